// Placeholder: `staycast generate` lands with the synthetic generator.
#include "src/cli/command.h"

namespace staycast::cli {
void AddGenerateCommand(CLI::App& app, CommandAction* action) {}
}  // namespace staycast::cli
