// The registry's database schema: numbered migrations, applied in order on open, in one
// transaction, and recorded in the schema_version table.
#pragma once

#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/registry/store.h"

namespace staycast::registry {

// The schema version this build writes. A database at a higher version is refused.
inline constexpr int kSchemaVersion = 3;

// Migration N (1-based) as SQL for `store`'s dialect ({{id}} replaced by its auto-id column).
std::vector<std::string> MigrationScripts(const Store& store);

// Brings the database to kSchemaVersion: creates schema_version if needed, refuses a newer
// database (kFailedPrecondition naming both versions), applies the missing migrations and records
// the new version, all in one transaction (PostgreSQL: under an advisory lock, so two processes
// opening a fresh database do not race). Returns the version found before migrating (0: empty).
StatusOr<int> MigrateSchema(Store* store);

// The version recorded in the database (0 when it has no schema_version table).
StatusOr<int> ReadSchemaVersion(Store* store);

}  // namespace staycast::registry
