// Store: the registry's database seam. One transactional SQL connection with two implementations,
// SQLite (embedded default) and PostgreSQL (libpq), so one Registry runs unchanged on either.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "src/core/status.h"

namespace staycast::registry {

// A bound parameter: NULL, integer, real or text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
// A result row in text form; std::nullopt is SQL NULL. Reals are printed shortest-round-trip.
using SqlRow = std::vector<std::optional<std::string>>;

enum class Dialect { kSqlite, kPostgres };

struct StoreOptions {
  // SQLite only: create the database file (and its directory) when missing.
  bool create_if_missing = true;
  // SQLite only: how long a writer waits for another process's write transaction.
  int busy_timeout_ms = 15000;
};

// One connection. Not thread-safe: use one Store per thread (or process). Statements use `?`
// placeholders in both dialects. Errors: a unique-key violation is kAlreadyExists; lock contention
// or a lost connection is kUnavailable; everything else kInternal, with the statement's context.
class Store {
 public:
  virtual ~Store() = default;

  virtual Dialect dialect() const = 0;
  // Printable location for messages ("sqlite:/path/staycast.db", "postgresql://host/db").
  virtual const std::string& location() const = 0;
  // The local database file (SQLite), empty for PostgreSQL.
  virtual const std::string& file_path() const = 0;

  // Runs one statement and returns its rows (none for statements that return none).
  virtual StatusOr<std::vector<SqlRow>> Query(const std::string& sql,
                                              const std::vector<SqlValue>& params = {}) = 0;
  // Runs several `;`-separated statements without parameters (schema migrations).
  virtual Status ExecScript(const std::string& sql) = 0;

  // Starts a write transaction. SQLite takes the database write lock at once (BEGIN IMMEDIATE,
  // waiting up to the busy timeout), so read-then-write sequences cannot interleave.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Column type of an auto-assigned integer primary key, used in DDL.
  virtual std::string AutoIdColumn() const = 0;

  Status Exec(const std::string& sql, const std::vector<SqlValue>& params = {}) {
    return Query(sql, params).status();
  }
};

// Opens a store from a registry URI: "sqlite:PATH", a plain PATH, or "postgresql://..." /
// "postgres://...". An empty URI means DefaultRegistryUri().
StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& uri,
                                           const StoreOptions& options = {});

// $STAYCAST_REGISTRY, else $STAYCAST_HOME/staycast.db, else ./staycast.db.
std::string DefaultRegistryUri();

// Rolls back on destruction unless Commit() was called. Begin() must succeed first: use Start().
class Transaction {
 public:
  static StatusOr<Transaction> Start(Store* store);
  Transaction(Transaction&& other) noexcept : store_(other.store_) { other.store_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Store* store) : store_(store) {}
  Store* store_;
};

// Conversions of result cells; a NULL or malformed cell is kDataLoss naming the column.
StatusOr<int64_t> CellInt(const SqlRow& row, size_t column, const char* name);
std::optional<int64_t> CellOptionalInt(const SqlRow& row, size_t column);
StatusOr<double> CellDouble(const SqlRow& row, size_t column, const char* name);
std::string CellText(const SqlRow& row, size_t column);

// Shortest text that parses back to the same double ("nan"/"inf" spelled as PostgreSQL reads them).
std::string FormatDouble(double value);

namespace internal {
StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                 const StoreOptions& options);
StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                   const StoreOptions& options);
}  // namespace internal

}  // namespace staycast::registry
