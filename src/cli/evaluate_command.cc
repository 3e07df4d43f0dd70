// `staycast evaluate BUNDLE [DATA] [--report FILE.html] [--json FILE]`: scores DATA through the
// bundle's Predictor and runs the full evaluation, or (without DATA) renders the evaluation the
// bundle stored at training time.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "src/bundle/bundle_files.h"
#include "src/bundle/layout.h"
#include "src/bundle/predictor.h"
#include "src/cli/command.h"
#include "src/core/env.h"
#include "src/data/io.h"
#include "src/eval/full_evaluation.h"
#include "src/features/audit_internal.h"
#include "src/registry/registry.h"
#include "src/report/html_report.h"
#include "src/train/train_config.h"

namespace staycast::cli {
namespace {

constexpr size_t kLabelExamples = 5;

struct EvaluateOptions {
  std::string bundle;
  std::string data;
  std::string history;
  std::string report;
  std::string json;
  std::string registry;
  int bootstrap = -1;  // -1: the bundle config's evaluation.bootstrap
  int threads = 2;
  uint64_t seed = 2026;
};

Status WriteText(const std::string& path, const std::string& text) {
  ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> f, Env::Default()->NewAtomicFile(path));
  RETURN_IF_ERROR(f->Append(text));
  return f->Commit();
}

// Compares the input's columns with the bundle's input schema: missing feature columns are imputed,
// extra ones ignored; a missing target is refused.
StatusOr<nlohmann::json> SchemaNotes(const bundle::Predictor& p, const data::Table& input) {
  nlohmann::json notes = nlohmann::json::array();
  std::set<std::string> known;
  const std::string target = p.config().target.column;
  if (input.FindColumn(target) == nullptr) {
    return InvalidArgumentError("the data has no target column '" + target +
                                "': evaluation needs the outcome (use `staycast predict` to "
                                "score without it)");
  }
  for (const features::ColumnSpec& c : p.config().columns) known.insert(c.name);
  if (p.input_schema().contains("columns")) {
    for (const nlohmann::json& c : p.input_schema()["columns"]) {
      const std::string name = c.value("name", "");
      known.insert(name);
      if (c.value("role", "") == "feature" && input.FindColumn(name) == nullptr) {
        notes.push_back("missing column '" + name + "': imputed as missing in every row");
      }
    }
  }
  std::vector<std::string> extra;
  for (const data::Column& c : input.columns()) {
    if (known.count(c.name()) == 0) extra.push_back(c.name());
  }
  if (!extra.empty()) {
    std::string list;
    for (const std::string& e : extra) list += (list.empty() ? "'" : ", '") + e + "'";
    notes.push_back(fmt::format("{} extra column{} ignored: {}", extra.size(),
                                extra.size() == 1 ? "" : "s", list));
  }
  return notes;
}

// Classification labels must be 0/1: anything else is refused with examples.
Status CheckLabels(const bundle::Predictor& p, const data::Table& input,
                   const std::vector<double>& y) {
  if (p.task() != models::Task::kClassification) return OkStatus();
  const data::Column* col = input.FindColumn(p.config().target.column);
  std::vector<std::string> examples;
  size_t bad = 0;
  for (size_t r = 0; r < y.size(); ++r) {
    if (!std::isfinite(y[r]) || y[r] == 0.0 || y[r] == 1.0) continue;
    if (bad++ < kLabelExamples) {
      examples.push_back(fmt::format("'{}' (row {})", col->ValueAsString(r), r + 2));
    }
  }
  if (bad == 0) return OkStatus();
  std::string list;
  for (const std::string& e : examples) list += (list.empty() ? "" : ", ") + e;
  return InvalidArgumentError(fmt::format(
      "label column '{}' has {} value{} other than 0/1, e.g. {}; map them to 0/1 (or set "
      "target.positive in the config) and evaluate again",
      p.config().target.column, bad, bad == 1 ? "" : "s", list));
}

Status Emit(const EvaluateOptions& opts, const nlohmann::json& evaluation) {
  if (!opts.json.empty()) {
    RETURN_IF_ERROR(WriteText(opts.json, evaluation.dump(1)));
    std::printf("evaluation JSON: %s\n", opts.json.c_str());
  }
  if (!opts.report.empty()) {
    ASSIGN_OR_RETURN(std::string html, report::RenderHtmlReport(evaluation));
    RETURN_IF_ERROR(WriteText(opts.report, html));
    std::printf("report: %s (%.1f KB)\n", opts.report.c_str(), html.size() / 1024.0);
  }
  return OkStatus();
}

void PrintHeadline(const nlohmann::json& e) {
  std::printf("%-24s %10s   %s\n", "metric", "value", "95% CI (bootstrap by patient)");
  for (const nlohmann::json& m : e["headline"]) {
    if (m["value"].is_null()) continue;
    std::printf("%-24s %10.4f   ", m["name"].get<std::string>().c_str(), m["value"].get<double>());
    if (m["lower"].is_number()) {
      std::printf("[%.4f, %.4f]\n", m["lower"].get<double>(), m["upper"].get<double>());
    } else {
      std::printf("-\n");
    }
  }
  if (e.contains("classification")) {
    std::printf("%s\n",
                e["classification"]["accuracy_story"]["sentence"].get<std::string>().c_str());
  }
  for (const nlohmann::json& s : e["subgroups"]) {
    const int k = s.value("largest_flagged", -1);
    if (k >= 0) {
      const nlohmann::json& g = s["gaps"][k];
      std::printf("subgroups by %s: largest flagged gap in %s between %s and %s (%.4f)\n",
                  s["column"].get<std::string>().c_str(), g["metric"].get<std::string>().c_str(),
                  g["lowest"].get<std::string>().c_str(), g["highest"].get<std::string>().c_str(),
                  g["gap"].get<double>());
    }
  }
}

Status RunEvaluate(const EvaluateOptions& opts) {
  if (opts.report.empty() && opts.json.empty() && opts.data.empty()) {
    return InvalidArgumentError(
        "nothing to do: give DATA to evaluate, or --report/--json to "
        "render the bundle's stored evaluation");
  }
  ASSIGN_OR_RETURN(std::string path, registry::ResolveBundleLocation(opts.bundle, opts.registry));
  if (opts.data.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<bundle::BundleReader> reader,
                     bundle::BundleReader::Open(path));
    if (!reader->HasFile(bundle::kEvaluationFile)) {
      return NotFoundError(path + " has no " + bundle::kEvaluationFile +
                           " (trained before evaluations were stored); give DATA to evaluate");
    }
    ASSIGN_OR_RETURN(nlohmann::json evaluation, reader->ReadJson(bundle::kEvaluationFile));
    PrintHeadline(evaluation);
    return Emit(opts, evaluation);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<bundle::Predictor> predictor, bundle::Predictor::Load(path));
  ASSIGN_OR_RETURN(std::unique_ptr<bundle::BundleReader> reader, bundle::BundleReader::Open(path));
  data::ReadOptions read = predictor->read_options();
  read.ignore_absent_overrides = true;
  ASSIGN_OR_RETURN(data::Table input, data::ReadTable(opts.data, read));
  ASSIGN_OR_RETURN(nlohmann::json notes, SchemaNotes(*predictor, input));
  data::Table history;
  if (!opts.history.empty()) {
    data::ReadOptions hread = predictor->read_options();
    hread.ignore_absent_overrides = true;
    ASSIGN_OR_RETURN(history, data::ReadTable(opts.history, hread));
  }
  const data::Table* hist = opts.history.empty() ? nullptr : &history;
  ASSIGN_OR_RETURN(std::vector<double> y_all,
                   features::internal::TargetValues(predictor->config(), input));
  RETURN_IF_ERROR(CheckLabels(*predictor, input, y_all));
  ASSIGN_OR_RETURN(bundle::Predictions p, predictor->Predict(input, hist));
  features::TransformReport report;
  ASSIGN_OR_RETURN(models::Matrix x_all, predictor->Features(input, hist, &report));
  std::vector<size_t> keep;
  for (size_t r = 0; r < y_all.size(); ++r) {
    if (std::isfinite(y_all[r])) keep.push_back(r);
  }
  if (keep.size() < y_all.size()) {
    notes.push_back(fmt::format("{} of {} rows have no outcome in '{}': scored but not evaluated",
                                y_all.size() - keep.size(), y_all.size(),
                                predictor->config().target.column));
  }
  if (keep.empty()) {
    return FailedPreconditionError("no row of " + opts.data + " has an outcome in '" +
                                   predictor->config().target.column + "'");
  }
  for (const auto& [feature, count] : p.report.unknown_categories) {
    notes.push_back(
        fmt::format("{} rows with a category of '{}' unseen in training: treated as "
                    "unknown",
                    count, feature));
  }
  const data::Table table = input.Take(keep);
  const models::Matrix x = models::SelectRows(x_all, keep);
  const auto select = [&](const std::vector<double>& v) {
    return v.empty() ? v : models::SelectElements(v, keep);
  };
  ASSIGN_OR_RETURN(train::TrainConfig tc, train::ParseTrainConfig(predictor->config()));
  eval::EvaluationInput in;
  in.task = predictor->task();
  in.run = &predictor->config();
  in.table = &table;
  in.actual = select(y_all);
  in.predicted = select(p.value);
  in.lower = select(p.lower);
  in.upper = select(p.upper);
  in.threshold = predictor->threshold();
  in.model = &predictor->model();
  in.x = &x;
  in.groups = &predictor->feature_groups();
  in.data_notes = notes;
  if (reader->HasFile(bundle::kEvaluationFile)) {
    ASSIGN_OR_RETURN(nlohmann::json stored, reader->ReadJson(bundle::kEvaluationFile));
    if (stored.contains("explanations") && stored["explanations"].contains("coefficients")) {
      in.coefficients = stored["explanations"]["coefficients"];
    }
    if (stored.contains("comparison")) in.comparison = stored["comparison"];
    if (stored.contains("card")) in.card = stored["card"];
  }
  if (in.card.is_null()) in.card = nlohmann::json::object();
  in.card["evaluated_on"] = opts.data;
  in.card["bundle"] = opts.bundle;
  eval::FullEvaluationOptions eo;
  eo.bootstrap_replicates = opts.bootstrap >= 0 ? opts.bootstrap : tc.bootstrap_replicates;
  eo.seed = opts.seed;
  eo.threads = opts.threads;
  eo.subgroup_columns = tc.subgroups;
  eo.interval_coverage = predictor->coverage();
  ASSIGN_OR_RETURN(nlohmann::json evaluation, eval::EvaluateFull(in, eo));
  std::printf("evaluated %zu rows of %s with %s (%s)\n", keep.size(), opts.data.c_str(),
              predictor->metadata().value("chosen", std::string("model")).c_str(),
              models::TaskName(predictor->task()));
  for (const nlohmann::json& n : notes) std::printf("note: %s\n", n.get<std::string>().c_str());
  PrintHeadline(evaluation);
  return Emit(opts, evaluation);
}

}  // namespace

void AddEvaluateCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<EvaluateOptions>();
  CLI::App* sub = app.add_subcommand(
      "evaluate", "Evaluate a bundle on data with outcomes (metrics with CIs, report)");
  sub->add_option("bundle", opts->bundle,
                  "Bundle directory, .tar, or model URI (models:/NAME@ALIAS, models:/NAME/N)")
      ->required();
  sub->add_option("data", opts->data,
                  "Rows with outcomes: CSV, sqlite:FILE?table=T or postgresql://...; omit to "
                  "render the evaluation stored in the bundle");
  sub->add_option("--report", opts->report, "Write the self-contained HTML report here");
  sub->add_option("--json", opts->json, "Write the evaluation as JSON here");
  sub->add_option("--history", opts->history,
                  "Earlier admissions of the same patients, for history features");
  sub->add_option("--registry", opts->registry, "Registry URI for model URIs");
  sub->add_option("--bootstrap", opts->bootstrap,
                  "Bootstrap replicates (default: the config's evaluation.bootstrap)")
      ->check(CLI::Range(0, 100000));
  sub->add_option("--threads", opts->threads, "Threads for the bootstrap")
      ->check(CLI::Range(1, 64));
  sub->add_option("--seed", opts->seed, "Seed for the bootstrap and samples");
  sub->callback([opts, action] { *action = [opts] { return RunEvaluate(*opts); }; });
}

}  // namespace staycast::cli
