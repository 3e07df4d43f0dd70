// `staycast generate`: writes a synthetic admissions table (docs/synthetic-data.md) to a CSV file
// or a database table, chunk by chunk, atomically.
#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "src/cli/command.h"
#include "src/core/time.h"
#include "src/data/admissions.h"
#include "src/data/io.h"
#include "src/synth/generator.h"

namespace staycast::cli {
namespace {

struct GenerateOptions {
  int64_t rows = 0;
  uint64_t seed = 1;
  std::string out;
  std::string start = "2019-01-01";
  int years = 5;
  std::string drift_start;
};

StatusOr<Timestamp> ParseDateOption(const char* flag, const std::string& text) {
  Timestamp t = 0;
  if (!ParseTimestamp(text, &t)) {
    return InvalidArgumentError(std::string(flag) + " '" + text +
                                "': expected a date YYYY-MM-DD (or YYYY-MM-DD HH:MM:SS)");
  }
  return t;
}

Status RunGenerate(const GenerateOptions& opts) {
  const auto began = std::chrono::steady_clock::now();
  synth::GeneratorOptions options;
  options.rows = opts.rows;
  options.seed = opts.seed;
  options.years = opts.years;
  ASSIGN_OR_RETURN(options.start, ParseDateOption("--start", opts.start));
  if (!opts.drift_start.empty()) {
    ASSIGN_OR_RETURN(options.drift_start, ParseDateOption("--drift-start", opts.drift_start));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<synth::Generator> generator, synth::Generator::Create(options));
  ASSIGN_OR_RETURN(std::unique_ptr<data::TableWriter> writer,
                   data::OpenTableWriter(opts.out, data::admissions::AdmissionsSchema()));
  data::Table chunk;
  while (generator->Next(&chunk)) RETURN_IF_ERROR(writer->Write(chunk));
  RETURN_IF_ERROR(writer->Commit());

  const synth::GeneratorStats& stats = generator->stats();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  const double rows = static_cast<double>(stats.rows);
  fmt::print(
      "generated {} admissions of {} patients ({} .. {}) into {} in {:.2f} s: "
      "readmitted_30d {:.1f}%, mean length_of_stay {:.2f} days\n",
      stats.rows, stats.patients, FormatTimestamp(generator->window().start, true),
      FormatTimestamp(generator->window().end, true), opts.out, seconds,
      100.0 * static_cast<double>(stats.readmissions) / rows, stats.total_los / rows);
  std::fflush(stdout);
  return OkStatus();
}

}  // namespace

void AddGenerateCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<GenerateOptions>();
  CLI::App* sub =
      app.add_subcommand("generate",
                         "Write a synthetic admissions table (deterministic for a seed; see "
                         "docs/synthetic-data.md)");
  sub->add_option("--rows", opts->rows, "Number of admissions to generate")->required();
  sub->add_option("--out", opts->out,
                  "Where to write: a CSV path, sqlite:FILE?table=NAME or "
                  "postgresql://...?table=NAME")
      ->required();
  sub->add_option("--seed", opts->seed, "Random seed (same seed, same data)")
      ->capture_default_str();
  sub->add_option("--start", opts->start, "First admission date, YYYY-MM-DD")
      ->capture_default_str();
  sub->add_option("--years", opts->years, "Years of admissions after --start")
      ->capture_default_str();
  sub->add_option("--drift-start", opts->drift_start,
                  "Date from which case mix, coding intensity and the weekend effect on length "
                  "of stay shift (must lie inside the generated period)");
  sub->callback([opts, action] { *action = [opts] { return RunGenerate(*opts); }; });
}

}  // namespace staycast::cli
