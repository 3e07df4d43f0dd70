// The staycast subcommands. Each Add*Command registers one subcommand on the CLI11 app; when the
// user picks it, its action (parse done, work to do) is stored in *action for main() to run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "src/core/status.h"

namespace staycast::cli {

using CommandAction = std::function<Status()>;

void AddGenerateCommand(CLI::App& app, CommandAction* action);
void AddImportCommand(CLI::App& app, CommandAction* action);
void AddSummaryCommand(CLI::App& app, CommandAction* action);
void AddAuditCommand(CLI::App& app, CommandAction* action);
void AddFeaturesCommand(CLI::App& app, CommandAction* action);
void AddTrainCommand(CLI::App& app, CommandAction* action);
void AddPredictCommand(CLI::App& app, CommandAction* action);
void AddEvaluateCommand(CLI::App& app, CommandAction* action);
void AddRunsCommand(CLI::App& app, CommandAction* action);
void AddModelsCommand(CLI::App& app, CommandAction* action);
void AddServeCommand(CLI::App& app, CommandAction* action);
void AddEncountersCommand(CLI::App& app, CommandAction* action);

}  // namespace staycast::cli
