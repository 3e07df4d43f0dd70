// SQL sources and sinks: SQLite (embedded) and PostgreSQL (libpq) tables and queries as Tables.
#pragma once

#include <memory>

#include "src/core/status.h"
#include "src/data/io.h"
#include "src/data/table.h"

namespace staycast::data {

// Reads `location.table` (or `options.query` when set) from a SQLite database file.
StatusOr<Table> ReadSqlite(const Location& location, const ReadOptions& options);
// Writes a table into a SQLite database in one transaction at Commit().
StatusOr<std::unique_ptr<TableWriter>> OpenSqliteWriter(const Location& location,
                                                        const Schema& schema,
                                                        const WriteOptions& options);

// Same for PostgreSQL; `location.target` is a libpq connection URI.
StatusOr<Table> ReadPostgres(const Location& location, const ReadOptions& options);
StatusOr<std::unique_ptr<TableWriter>> OpenPostgresWriter(const Location& location,
                                                          const Schema& schema,
                                                          const WriteOptions& options);

}  // namespace staycast::data
