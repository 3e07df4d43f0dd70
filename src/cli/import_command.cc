// Placeholder: `staycast import` lands with the importers.
#include "src/cli/command.h"

namespace staycast::cli {
void AddImportCommand(CLI::App& app, CommandAction* action) {}
}  // namespace staycast::cli
