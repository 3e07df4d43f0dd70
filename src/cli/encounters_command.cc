// `staycast encounters load SOURCE`: fills the registry's encounter store (used by `serve` for
// history features at prediction time) from a CSV or SQL table, merging into known encounters.
#include <cmath>
#include <cstdio>
#include <memory>

#include "src/cli/command.h"
#include "src/data/io.h"
#include "src/features/config.h"
#include "src/registry/encounters.h"
#include "src/registry/registry.h"

namespace staycast::cli {
namespace {

struct EncountersOptions {
  std::string source;
  std::string query;
  std::string registry;
  std::string config;
  std::string id_column = "admission_id";
  std::string patient_column = "patient_id";
};

nlohmann::json CellJson(const data::Column& c, size_t r) {
  if (c.IsMissing(r)) return nullptr;
  switch (c.type()) {
    case data::ColumnType::kNumeric: {
      const double v = c.numeric()[r];
      return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
    }
    case data::ColumnType::kCategorical: return c.CategoryAt(r);
    case data::ColumnType::kTimestamp: return FormatTimestamp(c.timestamps()[r]);
    case data::ColumnType::kStringList: return c.lists()[r];
  }
  return nullptr;
}

Status RunLoad(const EncountersOptions& opts) {
  data::ReadOptions read;
  std::string id_col = opts.id_column;
  std::string patient_col = opts.patient_column;
  if (!opts.config.empty()) {
    ASSIGN_OR_RETURN(features::RunConfig config, features::LoadConfig(Env::Default(), opts.config));
    read = config.MakeReadOptions();
    read.ignore_absent_overrides = true;
    if (!config.IdColumn().empty()) id_col = config.IdColumn();
    if (!config.EntityColumn().empty()) patient_col = config.EntityColumn();
  }
  read.query = opts.query;
  ASSIGN_OR_RETURN(data::Table table, data::ReadTable(opts.source, read));
  ASSIGN_OR_RETURN(const data::Column* ids, table.GetColumn(id_col));
  ASSIGN_OR_RETURN(const data::Column* patients, table.GetColumn(patient_col));
  std::vector<registry::Encounter> encounters;
  encounters.reserve(table.num_rows());
  for (size_t r = 0; r < table.num_rows(); ++r) {
    registry::Encounter e;
    e.encounter_id = ids->ValueAsString(r);
    e.patient_id = patients->ValueAsString(r);
    if (e.encounter_id.empty() || e.patient_id.empty()) {
      return InvalidArgumentError(opts.source + ": row " + std::to_string(r + 1) + " has no " +
                                  (e.encounter_id.empty() ? id_col : patient_col));
    }
    for (const data::Column& c : table.columns()) {
      nlohmann::json v = CellJson(c, r);
      if (!v.is_null()) e.fields[c.name()] = std::move(v);
    }
    encounters.push_back(std::move(e));
  }
  registry::RegistryOptions ropts;
  ASSIGN_OR_RETURN(std::unique_ptr<registry::Registry> reg,
                   registry::Registry::Open(opts.registry, ropts));
  registry::EncounterStore store(reg->store());
  ASSIGN_OR_RETURN(const int created, store.Upsert(encounters));
  ASSIGN_OR_RETURN(const int64_t total, store.Count());
  std::printf("loaded %zu encounters (%d new, %zu updated) into %s; the store holds %lld\n",
              encounters.size(), created, encounters.size() - static_cast<size_t>(created),
              reg->location().c_str(), static_cast<long long>(total));
  return OkStatus();
}

}  // namespace

void AddEncountersCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<EncountersOptions>();
  CLI::App* sub = app.add_subcommand("encounters",
                                     "The encounter store that serve reads history features from");
  sub->require_subcommand(1);
  CLI::App* load = sub->add_subcommand(
      "load", "Add admissions (and their discharges) to the encounter store; known ids merge");
  load->add_option("source", opts->source,
                   "CSV path, sqlite:FILE?table=T or postgresql://...?table=T")
      ->required();
  load->add_option("--query", opts->query, "SQL query selecting the rows (SQL sources)");
  load->add_option("--registry", opts->registry, "Registry URI (default: $STAYCAST_REGISTRY ...)");
  load->add_option("--config", opts->config,
                   "Model config: column types and the id/patient columns");
  load->add_option("--id-column", opts->id_column, "Encounter id column")->capture_default_str();
  load->add_option("--patient-column", opts->patient_column, "Patient id column")
      ->capture_default_str();
  load->callback([opts, action] { *action = [opts] { return RunLoad(*opts); }; });
}

}  // namespace staycast::cli
