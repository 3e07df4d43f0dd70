// `staycast summary DATA`: reads a table from any location and prints its per-column summary.
#include <cstdio>
#include <memory>

#include "src/cli/command.h"
#include "src/data/io.h"
#include "src/data/summary.h"

namespace staycast::cli {
namespace {

struct SummaryOptions {
  std::string data;
  std::string query;
  std::vector<std::string> types;
};

Status RunSummary(const SummaryOptions& opts) {
  data::ReadOptions read;
  read.query = opts.query;
  for (const std::string& spec : opts.types) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos) {
      return InvalidArgumentError("--type '" + spec + "': expected COLUMN=TYPE");
    }
    ASSIGN_OR_RETURN(data::ColumnType type, data::ParseColumnType(spec.substr(eq + 1)));
    read.type_overrides[spec.substr(0, eq)] = type;
  }
  ASSIGN_OR_RETURN(data::Table table, data::ReadTable(opts.data, read));
  const std::string text = data::FormatSummary(table, data::Summarize(table));
  std::fputs(text.c_str(), stdout);
  return OkStatus();
}

}  // namespace

void AddSummaryCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<SummaryOptions>();
  CLI::App* sub = app.add_subcommand("summary",
                                     "Print rows, column types, missing shares and "
                                     "distributions of a table");
  sub->add_option("data", opts->data,
                  "CSV path, sqlite:FILE?table=NAME or postgresql://...?table=NAME")
      ->required();
  sub->add_option("--query", opts->query, "SQL query to run instead of reading a table");
  sub->add_option("--type", opts->types,
                  "Override a column's type: COLUMN=numeric|categorical|"
                  "timestamp|string_list (repeatable)");
  sub->callback([opts, action] { *action = [opts] { return RunSummary(*opts); }; });
}

}  // namespace staycast::cli
