// SQLite plumbing for the SQLite source and sink: owned handles, statements that return Status,
// and errors whose code says whose fault it is.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "src/core/status.h"
#include "src/data/sql_common.h"

namespace staycast::data::lite {

// How long a connection waits for another one's lock before giving up.
inline constexpr int kBusyTimeoutMs = 5000;

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// A Status for a failed SQLite call, with a code that says whose fault it is. `doing` says what
// failed ("" when the SQLite message says enough); callers add the database and table.
Status SqliteError(const std::string& doing, sqlite3* db, int rc);

bool FileExists(const std::string& path);

// Opens a database file: read-only (NotFound when missing), or read-write, creating it.
StatusOr<Db> OpenDatabase(const std::string& path, bool writable);

// Prepares the first statement of `sql`; *tail points after it.
StatusOr<Stmt> Prepare(sqlite3* db, const std::string& sql, const std::string& doing = "",
                       const char** tail = nullptr);
// Runs statements that return no rows.
Status Exec(sqlite3* db, const std::string& sql, const std::string& doing);
// Binds text that outlives the next step (SQLITE_STATIC).
Status BindText(sqlite3_stmt* stmt, int index, const std::string& text);
// Steps a statement whose rows are not needed, and resets it.
Status StepDone(sqlite3* db, sqlite3_stmt* stmt, const std::string& doing);

// Whether a table or view of this name exists (names are case-insensitive in SQLite); its kind
// ("table" or "view") in *type.
StatusOr<bool> RelationExists(sqlite3* db, const sql::TableName& name, std::string* type = nullptr);

}  // namespace staycast::data::lite
