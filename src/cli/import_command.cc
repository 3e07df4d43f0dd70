// `staycast import mimic-iv DIR --out LOCATION` and `staycast import synthea DIR --out LOCATION`:
// turn an EHR export into the admissions table, write it atomically and print a one-line summary.
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "src/cli/command.h"
#include "src/data/admissions.h"
#include "src/data/io.h"
#include "src/importers/mimic_iv.h"
#include "src/importers/synthea.h"

namespace staycast::cli {
namespace {

namespace adm = data::admissions;

struct ImportOptions {
  std::string dir;
  std::string out;
};

// "275 admissions, 100 patients, readmitted within 30 days 19.3%, mean length of stay 6.88 days".
std::string Summarize(const data::Table& table) {
  const data::Column* patients = table.FindColumn(adm::kPatientId);
  std::set<int32_t> distinct(patients->codes().begin(), patients->codes().end());
  auto mean = [](const data::Column* c) {
    double sum = 0;
    size_t n = 0;
    for (double v : c->numeric()) {
      if (!std::isnan(v)) {
        sum += v;
        ++n;
      }
    }
    return n == 0 ? std::nan("") : sum / static_cast<double>(n);
  };
  char text[256];
  std::snprintf(text, sizeof(text),
                "%zu admissions, %zu patients, readmitted within 30 days %.1f%%, mean length of "
                "stay %.2f days",
                table.num_rows(), distinct.size(),
                100.0 * mean(table.FindColumn(adm::kReadmitted30d)),
                mean(table.FindColumn(adm::kLengthOfStay)));
  return text;
}

Status RunImport(const ImportOptions& opts,
                 const std::function<StatusOr<data::Table>(const std::string&)>& import) {
  ASSIGN_OR_RETURN(data::Table table, import(opts.dir));
  RETURN_IF_ERROR(data::WriteTable(table, opts.out));
  std::printf("%s -> %s\n", Summarize(table).c_str(), opts.out.c_str());
  return OkStatus();
}

void AddSource(CLI::App* import, CommandAction* action, const std::string& name,
               const std::string& help, const std::string& dir_help,
               StatusOr<data::Table> (*import_fn)(const std::string&)) {
  auto opts = std::make_shared<ImportOptions>();
  CLI::App* sub = import->add_subcommand(name, help);
  sub->add_option("dir", opts->dir, dir_help)->required();
  sub->add_option("--out", opts->out,
                  "Where to write the admissions table: CSV path, sqlite:FILE?table=NAME or "
                  "postgresql://...?table=NAME")
      ->required();
  sub->callback([opts, action, import_fn] {
    *action = [opts, import_fn] { return RunImport(*opts, import_fn); };
  });
}

}  // namespace

void AddImportCommand(CLI::App& app, CommandAction* action) {
  CLI::App* import = app.add_subcommand(
      "import", "Turn an EHR export (MIMIC-IV, Synthea) into the admissions table");
  import->require_subcommand(1);
  AddSource(import, action, "mimic-iv", "Import the MIMIC-IV hospital module (hosp/*.csv)",
            "MIMIC-IV folder: hosp/ or the release folder holding it", &importers::ImportMimicIv);
  AddSource(import, action, "synthea", "Import a Synthea CSV export (inpatient encounters)",
            "Folder with encounters.csv, patients.csv, conditions.csv, procedures.csv, payers.csv",
            &importers::ImportSynthea);
}

}  // namespace staycast::cli
