// `staycast audit CONFIG`: validates the run config (before reading any data), reads its data and
// prints the leakage and data-quality audit.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "src/cli/command.h"
#include "src/data/io.h"
#include "src/features/audit.h"
#include "src/features/config.h"

namespace staycast::cli {
namespace {

struct AuditCommandOptions {
  std::string config;
  std::string data;
  bool naive_history = false;
  size_t proof_rows = 300;
  uint64_t seed = 1;
};

Status RunAuditCommand(const AuditCommandOptions& opts) {
  ASSIGN_OR_RETURN(features::RunConfig config, features::LoadConfig(Env::Default(), opts.config));
  const std::string source = opts.data.empty() ? config.data.source : opts.data;
  ASSIGN_OR_RETURN(data::Table table, data::ReadTable(source, config.MakeReadOptions()));
  features::AuditOptions options;
  options.naive_history = opts.naive_history;
  options.proof_rows = opts.proof_rows;
  options.seed = opts.seed;
  ASSIGN_OR_RETURN(features::AuditReport report, features::RunAudit(config, table, options));
  const std::string text = features::FormatAudit(report, isatty(fileno(stdout)) != 0);
  std::fputs(text.c_str(), stdout);
  return OkStatus();
}

}  // namespace

void AddAuditCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<AuditCommandOptions>();
  CLI::App* sub =
      app.add_subcommand("audit", "Leakage and data-quality audit of a run config over its data");
  sub->add_option("config", opts->config, "Run config (YAML)")->required();
  sub->add_option("--data", opts->data, "Read this location instead of the config's data.source");
  sub->add_flag("--naive-history", opts->naive_history,
                "Also show what the seed's naive per-patient mean (including the current stay) "
                "would have done to a test metric");
  sub->add_option("--proof-rows", opts->proof_rows,
                  "Rows sampled for each history feature's proof (default 300)");
  sub->add_option("--seed", opts->seed, "Seed for the sampled rows (default 1)");
  sub->callback([opts, action] { *action = [opts] { return RunAuditCommand(*opts); }; });
}

}  // namespace staycast::cli
