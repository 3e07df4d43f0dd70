// `staycast train CONFIG`: trains and compares the configured models and writes one bundle.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

#include "src/cli/command.h"
#include "src/train/trainer.h"

namespace staycast::cli {
namespace {

struct TrainCliOptions {
  train::TrainOptions train;
  bool quiet = false;
};

Status RunTrain(TrainCliOptions opts) {
  if (!opts.quiet) {
    opts.train.progress = [](const std::string& line) { spdlog::info("{}", line); };
  }
  ASSIGN_OR_RETURN(train::TrainResult result, train::Train(opts.train));
  std::fputs(train::FormatComparison(result).c_str(), stdout);
  std::printf("bundle: %s\n", result.bundle_dir.c_str());
  return OkStatus();
}

}  // namespace

void AddTrainCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<TrainCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "train", "Train and compare the config's models beside baselines; write one bundle");
  sub->add_option("config", opts->train.config_path, "Run config (YAML), e.g. examples/los.yaml")
      ->required();
  sub->add_option("--out", opts->train.out_dir,
                  "Bundle directory to write (default: runs/<config name>)");
  sub->add_option("--data", opts->train.data_override, "Data location replacing data.source");
  sub->add_flag("--overwrite", opts->train.overwrite, "Replace an existing bundle at --out");
  sub->add_flag("--tar", opts->train.tar, "Also write the bundle as one <out>.tar file");
  sub->add_flag("--every-round", opts->train.every_round,
                "Report every boosting round (default: every 25th)");
  sub->add_flag("-q,--quiet", opts->quiet, "No progress lines, only the comparison table");
  sub->callback([opts, action] { *action = [opts] { return RunTrain(*opts); }; });
}

}  // namespace staycast::cli
