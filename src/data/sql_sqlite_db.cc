// SQLite handles, statements and error mapping for the SQLite source and sink.
#include "src/data/sql_sqlite_db.h"

#include <sys/stat.h>

namespace staycast::data::lite {

using sql::TableName;

// A Status for a failed SQLite call, with a code that says whose fault it is. `doing` says what
// failed ("" when the SQLite message says enough); callers add the database and table.
Status SqliteError(const std::string& doing, sqlite3* db, int rc) {
  const std::string sqlite_message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string message = doing.empty() ? sqlite_message : doing + ": " + sqlite_message;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError(message + " (another connection holds it; waited " +
                              std::to_string(kBusyTimeoutMs / 1000) + " s)");
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return FailedPreconditionError(message);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return DataLossError(message);
    case SQLITE_ERROR:
      if (message.find("no such table") != std::string::npos) return NotFoundError(message);
      return InvalidArgumentError(message);
    default: return InternalError(message);
  }
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

StatusOr<Db> OpenDatabase(const std::string& path, bool writable) {
  if (!writable && !FileExists(path)) return NotFoundError("no such database file");
  sqlite3* raw = nullptr;
  const int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return SqliteError("cannot open the database", db.get(), rc);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

StatusOr<Stmt> Prepare(sqlite3* db, const std::string& sql, const std::string& doing,
                       const char** tail) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, tail);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return SqliteError(doing, db, rc);
  return stmt;
}

Status Exec(sqlite3* db, const std::string& sql, const std::string& doing) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(doing, db, rc);
  return OkStatus();
}

Status BindText(sqlite3_stmt* stmt, int index, const std::string& text) {
  // SQLITE_STATIC: every bound string outlives the step that uses it.
  if (sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8) !=
      SQLITE_OK) {
    return InternalError("cannot bind parameter " + std::to_string(index));
  }
  return OkStatus();
}

// Steps a statement that returns no rows (or whose rows are not needed) and resets it.
Status StepDone(sqlite3* db, sqlite3_stmt* stmt, const std::string& doing) {
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteError(doing, db, rc);
  return OkStatus();
}

namespace {

// "schema".sqlite_master for a table name's schema.
std::string MasterTable(const TableName& name) {
  return name.schema.empty() ? "sqlite_master"
                             : sql::QuoteIdentifier(name.schema) + ".sqlite_master";
}

}  // namespace

// Whether a table (or, in *type, view) of this name exists; names are case-insensitive in SQLite.
StatusOr<bool> RelationExists(sqlite3* db, const TableName& name, std::string* type) {
  ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, "SELECT type FROM " + MasterTable(name) +
                                              " WHERE name = ?1 COLLATE NOCASE"
                                              " AND type IN ('table', 'view')"));
  RETURN_IF_ERROR(BindText(stmt.get(), 1, name.table));
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    if (type != nullptr) *type = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    return true;
  }
  if (rc != SQLITE_DONE) return SqliteError("", db, rc);
  return false;
}

}  // namespace staycast::data::lite
