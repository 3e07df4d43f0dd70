// SqliteStore: the embedded registry database (WAL journal, full sync, foreign keys on, a busy
// timeout so that concurrent writers queue instead of failing, prepared statements reused).
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "src/registry/store.h"

namespace staycast::registry {
namespace {

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)), location_("sqlite:" + path_) {}
  ~SqliteStore() override {
    statements_.clear();  // finalized before the connection closes
    sqlite3_close_v2(db_);
  }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  const std::string& location() const override { return location_; }
  const std::string& file_path() const override { return path_; }
  std::string AutoIdColumn() const override { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }

  StatusOr<std::vector<SqlRow>> Query(const std::string& sql,
                                      const std::vector<SqlValue>& params) override {
    // Preparing costs more than running a one-row lookup (serving's encounter queries), so each
    // connection keeps its statements; a statement is reset (its read snapshot released) after
    // every use.
    auto cached = statements_.find(sql);
    if (cached == statements_.end()) {
      if (statements_.size() >= kMaxStatements) statements_.clear();
      sqlite3_stmt* raw = nullptr;
      const int prepared =
          sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
      StatementPtr owned(raw);
      if (prepared != SQLITE_OK) return Error(prepared, sql);
      cached = statements_.emplace(sql, std::move(owned)).first;
    }
    struct ResetOnExit {
      sqlite3_stmt* s;
      ~ResetOnExit() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    };
    const ResetOnExit reset{cached->second.get()};
    sqlite3_stmt* const statement = cached->second.get();
    if (sqlite3_bind_parameter_count(statement) != static_cast<int>(params.size())) {
      return InternalError(location_ + ": statement expects " +
                           std::to_string(sqlite3_bind_parameter_count(statement)) +
                           " parameters, got " + std::to_string(params.size()) + ": " + sql);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const SqlValue& value = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(value)) {
        rc = sqlite3_bind_null(statement, index);
      } else if (const auto* n = std::get_if<int64_t>(&value)) {
        rc = sqlite3_bind_int64(statement, index, *n);
      } else if (const auto* d = std::get_if<double>(&value)) {
        rc = sqlite3_bind_double(statement, index, *d);
      } else {
        const std::string& s = std::get<std::string>(value);
        rc = sqlite3_bind_text(statement, index, s.data(), static_cast<int>(s.size()),
                               SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return Error(rc, sql);
    }
    std::vector<SqlRow> rows;
    const int columns = sqlite3_column_count(statement);
    while (true) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error(rc, sql);
      SqlRow row(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        const int type = sqlite3_column_type(statement, c);
        if (type == SQLITE_NULL) continue;
        if (type == SQLITE_FLOAT) {
          row[static_cast<size_t>(c)] = FormatDouble(sqlite3_column_double(statement, c));
          continue;
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
        row[static_cast<size_t>(c)] =
            std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement, c)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status ExecScript(const std::string& sql) override {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      const std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return InternalError(location_ + ": " + text);
    }
    return OkStatus();
  }

  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_) != 0) return OkStatus();  // nothing open
    return Exec("ROLLBACK");
  }

 private:
  Status Error(int rc, const std::string& sql) const {
    const std::string text = location_ + ": " + sqlite3_errmsg(db_) + " (in: " + sql + ")";
    const int primary = rc & 0xff;
    if (primary == SQLITE_CONSTRAINT) {
      const int extended = sqlite3_extended_errcode(db_);
      if (extended == SQLITE_CONSTRAINT_PRIMARYKEY || extended == SQLITE_CONSTRAINT_UNIQUE) {
        return AlreadyExistsError(text);
      }
      return FailedPreconditionError(text);
    }
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return UnavailableError(text);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return DataLossError(text);
    return InternalError(text);
  }

  struct Finalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  using StatementPtr = std::unique_ptr<sqlite3_stmt, Finalize>;
  static constexpr size_t kMaxStatements = 64;

  sqlite3* db_;
  std::string path_;
  std::string location_;
  std::unordered_map<std::string, StatementPtr> statements_;
};

}  // namespace

namespace internal {

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                 const StoreOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!options.create_if_missing) {
      return NotFoundError("registry " + path +
                           ": no such database (register a model first, or pass --registry)");
    }
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return UnavailableError(path + ": cannot create directory: " + ec.message());
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string text = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return UnavailableError("registry " + path + ": cannot open: " + text);
  }
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  auto store = std::make_unique<SqliteStore>(db, path);
  // WAL lets readers work during a registration; FULL sync makes each commit durable.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Status status = store->Exec(pragma);
    if (!status.ok()) {
      return status.WithContext("registry " + path + ": not a usable SQLite database");
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace internal
}  // namespace staycast::registry
