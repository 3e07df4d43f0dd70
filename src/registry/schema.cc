// Registry schema migrations. Never edit a published migration: add the next one.
#include "src/registry/schema.h"

#include <ctime>

#include "src/core/version.h"

namespace staycast::registry {
namespace {

// v1: runs, their metrics, registered models, immutable versions, aliases and their history.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE runs (
  id {{id}},
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  config TEXT NOT NULL,
  params TEXT NOT NULL,
  data_fingerprint TEXT NOT NULL,
  staycast_version TEXT NOT NULL,
  seed BIGINT,
  tags TEXT NOT NULL,
  user_name TEXT NOT NULL,
  start_time BIGINT NOT NULL,
  end_time BIGINT,
  bundle_path TEXT,
  error TEXT
);
CREATE TABLE run_metrics (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  model TEXT NOT NULL,
  split TEXT NOT NULL,
  name TEXT NOT NULL,
  value DOUBLE PRECISION,
  PRIMARY KEY (run_id, model, split, name)
);
CREATE TABLE models (
  name TEXT PRIMARY KEY,
  created BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  description TEXT NOT NULL
);
CREATE TABLE model_versions (
  model TEXT NOT NULL REFERENCES models(name),
  version INTEGER NOT NULL,
  run_id BIGINT REFERENCES runs(id),
  artifact_path TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  source_path TEXT NOT NULL,
  metadata TEXT NOT NULL,
  created BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  description TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (model, version)
);
CREATE TABLE aliases (
  model TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (model, alias),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
CREATE TABLE alias_history (
  id {{id}},
  model TEXT NOT NULL,
  alias TEXT NOT NULL,
  from_version INTEGER,
  to_version INTEGER,
  at BIGINT NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX alias_history_by_alias ON alias_history (model, alias, id);
)sql";

// v2: liveness of runs (owning process and heartbeat, so that a dead run can be marked failed) and
// mutable key=value tags on versions.
constexpr const char* kMigration2 = R"sql(
ALTER TABLE runs ADD COLUMN pid BIGINT;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN process_start BIGINT;
ALTER TABLE runs ADD COLUMN heartbeat BIGINT;
CREATE TABLE version_tags (
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model, version, key),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
)sql";

// v3: serving. The encounter store (admissions and discharges as they happen, for history
// features at serving time), the prediction log (patients only as a salted hash) and serving
// settings such as that salt.
constexpr const char* kMigration3 = R"sql(
CREATE TABLE encounters (
  encounter_id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  updated BIGINT NOT NULL
);
CREATE INDEX encounters_by_patient ON encounters (patient_id);
CREATE TABLE prediction_log (
  id {{id}},
  at_ms BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  alias TEXT NOT NULL,
  arm TEXT NOT NULL,
  shadow INTEGER NOT NULL,
  patient_hash TEXT NOT NULL,
  features TEXT NOT NULL,
  output TEXT NOT NULL,
  warnings TEXT NOT NULL
);
CREATE INDEX prediction_log_by_model ON prediction_log (model, version, at_ms);
CREATE TABLE serving_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

// Arbitrary constant key for pg_advisory_xact_lock: "registry schema".
constexpr int64_t kSchemaLockKey = 0x5374617963617374;

}  // namespace

std::vector<std::string> MigrationScripts(const Store& store) {
  std::vector<std::string> scripts;
  for (const char* script : {kMigration1, kMigration2, kMigration3}) {
    scripts.push_back(ReplaceAll(script, "{{id}}", store.AutoIdColumn()));
  }
  return scripts;
}

StatusOr<int> ReadSchemaVersion(Store* store) {
  const std::string probe =
      store->dialect() == Dialect::kSqlite
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_name = 'schema_version'";
  ASSIGN_OR_RETURN(std::vector<SqlRow> tables, store->Query(probe));
  ASSIGN_OR_RETURN(int64_t count, CellInt(tables.at(0), 0, "count"));
  if (count == 0) return 0;
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store->Query("SELECT MAX(version) FROM schema_version"));
  if (rows.empty() || !rows[0][0].has_value()) return 0;
  ASSIGN_OR_RETURN(int64_t version, CellInt(rows[0], 0, "schema_version.version"));
  return static_cast<int>(version);
}

StatusOr<int> MigrateSchema(Store* store) {
  const std::vector<std::string> scripts = MigrationScripts(*store);
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store));
  if (store->dialect() == Dialect::kPostgres) {
    RETURN_IF_ERROR(store->Exec("SELECT pg_advisory_xact_lock(?)", {kSchemaLockKey}));
  }
  RETURN_IF_ERROR(
      store->Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
                  "staycast_version TEXT NOT NULL, applied BIGINT NOT NULL)"));
  ASSIGN_OR_RETURN(const int found, ReadSchemaVersion(store));
  const int latest = static_cast<int>(scripts.size());
  if (found > latest) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     store->Query("SELECT staycast_version FROM schema_version WHERE version = ?",
                                  {static_cast<int64_t>(found)}));
    const std::string writer = rows.empty() ? "?" : CellText(rows[0], 0);
    return FailedPreconditionError(
        "registry " + store->location() + ": database schema version " + std::to_string(found) +
        " was written by a newer Staycast (" + writer + "); this Staycast (" + kVersion +
        ") understands up to version " + std::to_string(latest) + ". Upgrade Staycast.");
  }
  if (found == latest) return found;  // the transaction rolls back: nothing to change
  for (int v = found + 1; v <= latest; ++v) {
    Status applied = store->ExecScript(scripts[static_cast<size_t>(v - 1)]);
    if (!applied.ok()) {
      return applied.WithContext("registry " + store->location() + ": migration to schema " +
                                 std::to_string(v) + " failed");
    }
    RETURN_IF_ERROR(store->Exec(
        "INSERT INTO schema_version (version, staycast_version, applied) VALUES (?, ?, ?)",
        {static_cast<int64_t>(v), std::string(kVersion),
         static_cast<int64_t>(std::time(nullptr))}));
  }
  RETURN_IF_ERROR(tx.Commit());
  return found;
}

}  // namespace staycast::registry
