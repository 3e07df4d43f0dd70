// staycast: the command-line entry point. Parses arguments, runs the chosen subcommand and maps its
// Status to one clear error line and an exit code.
#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "src/cli/command.h"
#include "src/core/version.h"

int main(int argc, char** argv) {
  // OpenMP threads (XGBoost) must not spin while waiting: on a busy 2-core machine spinning made
  // training 15x slower (docs/measured-facts.md). Users may still override it.
  setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
  spdlog::set_default_logger(spdlog::stderr_color_mt("staycast"));
  spdlog::set_pattern("%^[%l]%$ %v");

  CLI::App app{
      "Staycast: length-of-stay and readmission models, from admissions data to a monitored "
      "service."};
  app.set_version_flag("--version", std::string("staycast ") + staycast::kVersion);
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log more detail to stderr");

  staycast::cli::CommandAction action;
  staycast::cli::AddGenerateCommand(app, &action);
  staycast::cli::AddImportCommand(app, &action);
  staycast::cli::AddSummaryCommand(app, &action);
  staycast::cli::AddAuditCommand(app, &action);
  staycast::cli::AddFeaturesCommand(app, &action);
  staycast::cli::AddTrainCommand(app, &action);
  staycast::cli::AddPredictCommand(app, &action);
  staycast::cli::AddEvaluateCommand(app, &action);
  staycast::cli::AddRunsCommand(app, &action);
  staycast::cli::AddModelsCommand(app, &action);
  staycast::cli::AddServeCommand(app, &action);
  staycast::cli::AddEncountersCommand(app, &action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  if (app.get_subcommands().empty() || app.get_subcommands().front()->get_name() != "serve") {
    // Batch commands allocate and free column-sized buffers (tens of MB) many times; glibc's
    // defaults map and unmap each one, and zeroing the fresh pages cost a third of `features` on
    // 1M rows (docs/benchmarks.md). Keep them in the heap instead; peak RSS is unchanged. Not for
    // the long-running server, which should hand memory back after loading or reloading a model.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
  }
  if (!action) return 0;
  const staycast::Status status = action();
  if (!status.ok()) {
    std::fprintf(stderr, "staycast: error: %s\n", status.message().c_str());
    return staycast::ExitCodeFor(status);
  }
  return 0;
}
