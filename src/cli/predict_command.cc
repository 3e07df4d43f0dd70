// `staycast predict BUNDLE INPUT --out FILE`: batch scoring through the bundle's Predictor.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <thread>
#include <utility>

#include "src/bundle/predictor.h"
#include "src/cli/command.h"
#include "src/data/io.h"
#include "src/registry/registry.h"

namespace staycast::cli {
namespace {

struct PredictOptions {
  std::string bundle;
  std::string input;
  std::string history;
  std::string query;
  std::string out;
  std::string registry;
  int threads = 1;
};

StatusOr<data::Table> PredictionTable(const bundle::Predictor& predictor, const data::Table& input,
                                      const bundle::Predictions& p) {
  data::Table out;
  const features::RunConfig& config = predictor.config();
  for (const std::string& name : {config.IdColumn(), config.EntityColumn()}) {
    const data::Column* c = name.empty() ? nullptr : input.FindColumn(name);
    if (c != nullptr && out.FindColumn(name) == nullptr) RETURN_IF_ERROR(out.AddColumn(*c));
  }
  const auto add = [&](const std::string& name, const auto& values) -> Status {
    if (values.empty()) return OkStatus();
    data::Column col(name, data::ColumnType::kNumeric);
    for (auto v : values) col.AppendNumeric(static_cast<double>(v));
    return out.AddColumn(std::move(col));
  };
  if (predictor.task() == models::Task::kClassification) {
    RETURN_IF_ERROR(add("probability", p.value));
    RETURN_IF_ERROR(add("decision", p.decision));
  } else {
    RETURN_IF_ERROR(add("prediction", p.value));
    RETURN_IF_ERROR(add("lower", p.lower));
    RETURN_IF_ERROR(add("upper", p.upper));
  }
  data::Column warnings("warnings", data::ColumnType::kCategorical);
  for (const auto& row : p.warnings) {
    std::string text;
    for (const std::string& w : row) text += (text.empty() ? "" : "; ") + w;
    if (text.empty()) {
      warnings.AppendMissing();
    } else {
      warnings.AppendCategory(text);
    }
  }
  RETURN_IF_ERROR(out.AddColumn(std::move(warnings)));
  return out;
}

// Seconds since `start`, for the stage timings logged with --verbose.
double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status RunPredict(const PredictOptions& opts) {
  auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(std::string bundle_path,
                   registry::ResolveBundleLocation(opts.bundle, opts.registry));
  ASSIGN_OR_RETURN(std::unique_ptr<bundle::Predictor> predictor,
                   bundle::Predictor::Load(bundle_path));
  predictor->SetThreads(opts.threads);
  data::ReadOptions read = predictor->read_options();
  read.ignore_absent_overrides = true;  // absent inputs are imputed and reported per row
  read.query = opts.query;
  read.threads = opts.threads;
  ASSIGN_OR_RETURN(data::Table input, data::ReadTable(opts.input, read));
  spdlog::debug("predict: loaded the bundle and read {} rows in {:.3f} s", input.num_rows(),
                SecondsSince(start));
  start = std::chrono::steady_clock::now();
  data::Table history;
  if (!opts.history.empty()) {
    data::ReadOptions hread = predictor->read_options();
    hread.ignore_absent_overrides = true;
    hread.threads = opts.threads;
    ASSIGN_OR_RETURN(history, data::ReadTable(opts.history, hread));
  }
  ASSIGN_OR_RETURN(bundle::Predictions p,
                   predictor->Predict(input, opts.history.empty() ? nullptr : &history));
  spdlog::debug("predict: scored in {:.3f} s", SecondsSince(start));
  start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(data::Table out, PredictionTable(*predictor, input, p));
  const size_t rows = input.num_rows();
  size_t warned = 0;
  for (const auto& w : p.warnings) warned += w.empty() ? 0 : 1;
  const std::string report = p.report.empty() ? "" : p.report.ToString();
  // The input table and the scores are freed on another thread while the output is written:
  // freeing a million-row table (per-row code lists) takes a few tenths of a second.
  std::thread release([doomed = std::make_pair(std::move(input), std::move(p))]() mutable {
    const auto gone = std::move(doomed);
  });
  data::WriteOptions write;
  write.threads = opts.threads;
  const Status written = data::WriteTable(out, opts.out, write);
  release.join();
  RETURN_IF_ERROR(written);
  spdlog::debug("predict: wrote {} in {:.3f} s", opts.out, SecondsSince(start));
  std::printf("predicted %zu rows with %s (%s) -> %s; %zu rows with warnings\n", rows,
              predictor->metadata().value("chosen", std::string("model")).c_str(),
              models::TaskName(predictor->task()), opts.out.c_str(), warned);
  if (!report.empty()) std::printf("%s", report.c_str());
  return OkStatus();
}

}  // namespace

void AddPredictCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<PredictOptions>();
  CLI::App* sub = app.add_subcommand(
      "predict", "Score a table with a bundle (the same Predictor as evaluate and serve)");
  sub->add_option("bundle", opts->bundle,
                  "Bundle directory, .tar, or model URI (models:/NAME@ALIAS, models:/NAME/N)")
      ->required();
  sub->add_option("--registry", opts->registry, "Registry URI for model URIs");
  sub->add_option("input", opts->input,
                  "Rows to score: CSV path, sqlite:FILE?table=T or postgresql://...?table=T")
      ->required();
  sub->add_option("--out", opts->out, "Where to write the predictions (CSV or SQL location)")
      ->required();
  sub->add_option("--history", opts->history,
                  "Earlier admissions of the same patients, for history features");
  sub->add_option("--threads", opts->threads, "Threads the model predicts with (default 1)")
      ->check(CLI::Range(1, 256));
  sub->add_option("--query", opts->query, "SQL query selecting the rows to score");
  sub->callback([opts, action] { *action = [opts] { return RunPredict(*opts); }; });
}

}  // namespace staycast::cli
