// `staycast train CONFIG`: trains and compares the configured models and writes one bundle.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>
#include <memory>

#include "src/cli/command.h"
#include "src/registry/registry.h"
#include "src/train/trainer.h"

namespace staycast::cli {
namespace {

struct TrainCliOptions {
  train::TrainOptions train;
  bool quiet = false;
  std::string register_name;  // register the bundle as a new version of this model
  std::string registry;       // registry URI (default: $STAYCAST_REGISTRY or ./staycast.db)
  std::string user;
};

// Records the finished run's metrics per model and split, and its outcome.
Status RecordRun(registry::Registry& reg, int64_t run_id, const train::TrainResult& result) {
  for (const train::ModelResult& m : result.models) {
    for (const auto& [split, metrics] :
         {std::pair{"validation", &m.valid}, std::pair{"test", &m.test}}) {
      std::map<std::string, double> values;
      if (metrics->is_object()) {
        for (const auto& [k, v] : metrics->items()) {
          if (v.is_number()) values[k] = v.get<double>();
        }
      }
      if (!values.empty()) RETURN_IF_ERROR(reg.LogMetrics(run_id, m.name, split, values));
    }
  }
  return OkStatus();
}

Status RunTrain(TrainCliOptions opts) {
  if (!opts.quiet) {
    opts.train.progress = [](const std::string& line) { spdlog::info("{}", line); };
  }
  std::unique_ptr<registry::Registry> reg;
  int64_t run_id = 0;
  if (!opts.register_name.empty()) {
    ASSIGN_OR_RETURN(reg, registry::Registry::Open(opts.registry));
    registry::RunSpec spec;
    spec.name = opts.register_name;
    spec.config = {{"config_file", opts.train.config_path}, {"data", opts.train.data_override}};
    spec.user = opts.user;
    ASSIGN_OR_RETURN(run_id, reg->CreateRun(spec));
  }
  StatusOr<train::TrainResult> trained = train::Train(opts.train);
  if (!trained.ok()) {
    if (reg)
      reg->FinishRun(run_id, registry::RunStatus::kFailed, "", trained.status().message())
          .IgnoreError();
    return trained.status();
  }
  const train::TrainResult& result = *trained;
  std::fputs(train::FormatComparison(result).c_str(), stdout);
  std::printf("bundle: %s\n", result.bundle_dir.c_str());
  if (reg) {
    RETURN_IF_ERROR(RecordRun(*reg, run_id, result));
    RETURN_IF_ERROR(reg->FinishRun(run_id, registry::RunStatus::kFinished, result.bundle_dir));
    registry::RegisterOptions ro;
    ro.run_id = run_id;
    ro.user = opts.user;
    ro.description = "trained from " + opts.train.config_path;
    ASSIGN_OR_RETURN(registry::ModelVersion v,
                     reg->RegisterVersion(opts.register_name, result.bundle_dir, ro));
    std::printf("registered %s version %lld (run %lld): models:/%s/%lld\n",
                opts.register_name.c_str(), static_cast<long long>(v.version),
                static_cast<long long>(run_id), opts.register_name.c_str(),
                static_cast<long long>(v.version));
  }
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
  sub->add_option("--register", opts->register_name,
                  "Record the run and register the bundle as a new version of this model");
  sub->add_option("--registry", opts->registry,
                  "Registry URI (default: $STAYCAST_REGISTRY, else ./staycast.db)");
  sub->add_option("--user", opts->user, "Who trained it, for the registry (default: OS user)");
  sub->callback([opts, action] { *action = [opts] { return RunTrain(*opts); }; });
}

}  // namespace staycast::cli
