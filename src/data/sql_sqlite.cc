// SQLite source and sink: reads a table or a query's result into a Table, and writes a Table into
// a table in one transaction (prepared inserts), recording Staycast's column types beside it.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <memory>

#include "src/data/sql.h"
#include "src/data/sql_common.h"

namespace staycast::data {
namespace {

using sql::ColumnBuilder;
using sql::RecordedType;
using sql::TableName;

constexpr int kBusyTimeoutMs = 5000;

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

StatusOr<Stmt> Prepare(sqlite3* db, const std::string& sql, const std::string& doing = "",
                       const char** tail = nullptr) {
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

std::string Upper(const char* text) {
  std::string out = text == nullptr ? "" : text;
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The Staycast type a declared SQLite column type stands for; nullopt when untyped or unclear.
std::optional<ColumnType> DeclaredType(const char* decltype_text) {
  const std::string decl = Upper(decltype_text);
  const auto has = [&decl](const char* part) { return decl.find(part) != std::string::npos; };
  if (has("DATE") || has("TIMESTAMP")) return ColumnType::kTimestamp;
  if (has("INT") || has("REAL") || has("FLOA") || has("DOUB") || has("NUMERIC") || has("DECIMAL") ||
      has("BOOL")) {
    return ColumnType::kNumeric;
  }
  if (has("CHAR") || has("CLOB") || has("TEXT")) return ColumnType::kCategorical;
  return std::nullopt;
}

const char* SqlTypeFor(ColumnType type) {
  switch (type) {
    case ColumnType::kNumeric: return "REAL";
    case ColumnType::kTimestamp: return "TIMESTAMP";
    case ColumnType::kCategorical:
    case ColumnType::kStringList: return "TEXT";
  }
  return "TEXT";
}

// "schema".sqlite_master for a table name's schema.
std::string MasterTable(const TableName& name) {
  return name.schema.empty() ? "sqlite_master"
                             : sql::QuoteIdentifier(name.schema) + ".sqlite_master";
}

// Whether a table (or, in *type, view) of this name exists; names are case-insensitive in SQLite.
StatusOr<bool> RelationExists(sqlite3* db, const TableName& name, std::string* type = nullptr) {
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

// The Staycast types recorded for a table's columns, by column name.
StatusOr<std::map<std::string, RecordedType>> ReadRecordedTypes(sqlite3* db,
                                                                const TableName& name) {
  std::map<std::string, RecordedType> out;
  ASSIGN_OR_RETURN(bool have, RelationExists(db, {name.schema, sql::kColumnsTable}));
  if (!have) return out;
  ASSIGN_OR_RETURN(
      Stmt stmt, Prepare(db,
                         "SELECT column_name, column_type, list_separator FROM " +
                             sql::QuoteColumnsTable(name) + " WHERE table_name = ?1 COLLATE NOCASE",
                         "reading the column types"));
  RETURN_IF_ERROR(BindText(stmt.get(), 1, name.table));
  int rc = 0;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const auto* column = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 1));
    const auto* sep = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 2));
    if (column == nullptr || type == nullptr) continue;
    StatusOr<ColumnType> parsed = ParseColumnType(type);
    if (!parsed.ok()) continue;  // Written by a newer Staycast or by hand: fall back to SQL types.
    out[column] = {*parsed, sep != nullptr && sep[0] != '\0' ? sep[0] : ';'};
  }
  if (rc != SQLITE_DONE) return SqliteError("reading the column types", db, rc);
  return out;
}

bool OnlyWhitespaceOrSemicolons(const char* text) {
  for (; text != nullptr && *text != '\0'; ++text) {
    if (!std::isspace(static_cast<unsigned char>(*text)) && *text != ';') return false;
  }
  return true;
}

// The recorded Staycast type of each result column that is a plain reference to a table column,
// so that a query over a table Staycast wrote gives the same types as reading the table.
StatusOr<std::vector<std::optional<RecordedType>>> RecordedTypesOfResult(sqlite3* db,
                                                                         sqlite3_stmt* stmt) {
  std::map<std::pair<std::string, std::string>, std::map<std::string, RecordedType>> by_table;
  std::vector<std::optional<RecordedType>> out;
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
    const char* database = sqlite3_column_database_name(stmt, i);
    const char* table = sqlite3_column_table_name(stmt, i);
    const char* column = sqlite3_column_origin_name(stmt, i);
    out.emplace_back();
    if (database == nullptr || table == nullptr || column == nullptr) continue;
    const std::pair<std::string, std::string> key(database, table);
    auto it = by_table.find(key);
    if (it == by_table.end()) {
      ASSIGN_OR_RETURN(auto recorded, ReadRecordedTypes(db, TableName{database, table}));
      it = by_table.emplace(key, std::move(recorded)).first;
    }
    const auto found = it->second.find(column);
    if (found != it->second.end()) out.back() = found->second;
  }
  return out;
}

// Reads every row of a prepared statement into a Table.
StatusOr<Table> ReadStatement(sqlite3* db, sqlite3_stmt* stmt, const ReadOptions& options) {
  const int n = sqlite3_column_count(stmt);
  ASSIGN_OR_RETURN(std::vector<std::optional<RecordedType>> recorded,
                   RecordedTypesOfResult(db, stmt));
  std::vector<ColumnBuilder> builders;
  builders.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    builders.emplace_back(sql::MakeColumnPlan(sqlite3_column_name(stmt, i),
                                              DeclaredType(sqlite3_column_decltype(stmt, i)),
                                              recorded[static_cast<size_t>(i)], options),
                          options.missing_tokens);
  }
  int rc = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      ColumnBuilder& b = builders[static_cast<size_t>(i)];
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL: b.AddNull(); break;
        case SQLITE_INTEGER: RETURN_IF_ERROR(b.AddInteger(sqlite3_column_int64(stmt, i))); break;
        case SQLITE_FLOAT: RETURN_IF_ERROR(b.AddReal(sqlite3_column_double(stmt, i))); break;
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          const auto size = static_cast<size_t>(sqlite3_column_bytes(stmt, i));
          RETURN_IF_ERROR(b.AddText(std::string_view(text, size)));
          break;
        }
        default:
          return InvalidArgumentError("column '" + std::string(sqlite3_column_name(stmt, i)) +
                                      "' holds binary data (BLOB), which Staycast cannot read");
      }
    }
  }
  if (rc != SQLITE_DONE) return SqliteError("", db, rc);
  Table table;
  for (ColumnBuilder& b : builders) {
    ASSIGN_OR_RETURN(Column column, b.Finish());
    const std::string name = column.name();
    Status added = table.AddColumn(std::move(column));
    if (!added.ok()) {
      return InvalidArgumentError("the result has two columns named '" + name +
                                  "'; rename one with AS");
    }
  }
  return table;
}

StatusOr<Table> ReadSqliteImpl(const Location& location, const ReadOptions& options) {
  ASSIGN_OR_RETURN(Db db, OpenDatabase(location.target, /*writable=*/false));
  // One read transaction: the column types and the rows come from the same snapshot.
  RETURN_IF_ERROR(Exec(db.get(), "BEGIN", ""));
  std::string query = options.query;
  if (query.empty()) {
    ASSIGN_OR_RETURN(TableName name, sql::SplitTableName(location.table));
    query = "SELECT * FROM " + sql::QuoteTableName(name);
  }
  const char* tail = nullptr;
  ASSIGN_OR_RETURN(Stmt stmt, Prepare(db.get(), query, "", &tail));
  if (stmt == nullptr) return InvalidArgumentError("the query is empty");
  if (!OnlyWhitespaceOrSemicolons(tail)) {
    return InvalidArgumentError("the query must be a single statement");
  }
  if (sqlite3_stmt_readonly(stmt.get()) == 0) {
    return InvalidArgumentError("the query must only read (a SELECT)");
  }
  return ReadStatement(db.get(), stmt.get(), options);
}

// Writes into one SQLite transaction, begun at Open() and committed at Commit(). Destroying it
// earlier rolls back, and removes the database file when this writer created it.
class SqliteWriter : public TableWriter {
 public:
  SqliteWriter(Db db, Schema schema, WriteOptions options, std::string path, bool created_file,
               std::string context)
      : db_(std::move(db)),
        schema_(std::move(schema)),
        options_(options),
        path_(std::move(path)),
        created_file_(created_file),
        context_(std::move(context)) {}

  ~SqliteWriter() override {
    if (committed_) return;
    insert_.reset();
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    db_.reset();
    // Remove the file this writer created, unless someone else has put data in it since.
    struct stat st {};
    if (created_file_ && ::stat(path_.c_str(), &st) == 0 && st.st_size == 0) {
      ::unlink(path_.c_str());
    }
  }

  // Begins the transaction, replaces or refuses an existing table, creates the table and records
  // the column types.
  Status Begin(const TableName& name) {
    sqlite3* db = db_.get();
    RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "cannot start a write transaction"));
    std::string existing_type;
    ASSIGN_OR_RETURN(bool exists, RelationExists(db, name, &existing_type));
    if (exists) {
      if (existing_type != "table") {
        return FailedPreconditionError("a " + existing_type +
                                       " of that name exists; not replacing it");
      }
      if (!options_.replace) {
        return AlreadyExistsError("the table already exists (set replace to overwrite it)");
      }
      RETURN_IF_ERROR(
          Exec(db, "DROP TABLE " + sql::QuoteTableName(name), "cannot drop the existing table"));
    }
    std::string create = "CREATE TABLE " + sql::QuoteTableName(name) + " (";
    std::string insert = "INSERT INTO " + sql::QuoteTableName(name) + " VALUES (";
    for (size_t i = 0; i < schema_.fields.size(); ++i) {
      const Field& f = schema_.fields[i];
      create += (i > 0 ? ", " : "") + sql::QuoteIdentifier(f.name) + " " + SqlTypeFor(f.type);
      insert += (i > 0 ? ", ?" : "?");
    }
    RETURN_IF_ERROR(Exec(db, create + ")", "cannot create the table"));
    const std::string columns_table = sql::QuoteColumnsTable(name);
    RETURN_IF_ERROR(Exec(db,
                         "CREATE TABLE IF NOT EXISTS " + columns_table +
                             " (table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
                             " column_type TEXT NOT NULL, list_separator TEXT,"
                             " PRIMARY KEY (table_name, column_name))",
                         "cannot create the column-type table"));
    ASSIGN_OR_RETURN(
        Stmt del,
        Prepare(db, "DELETE FROM " + columns_table + " WHERE table_name = ?1 COLLATE NOCASE",
                "cannot record the column types"));
    RETURN_IF_ERROR(BindText(del.get(), 1, name.table));
    RETURN_IF_ERROR(StepDone(db, del.get(), "cannot record the column types"));
    ASSIGN_OR_RETURN(Stmt rec,
                     Prepare(db, "INSERT INTO " + columns_table + " VALUES (?1, ?2, ?3, ?4)",
                             "cannot record the column types"));
    const std::string separator(1, options_.list_separator);
    for (const Field& f : schema_.fields) {
      const std::string type_name = ColumnTypeName(f.type);
      RETURN_IF_ERROR(BindText(rec.get(), 1, name.table));
      RETURN_IF_ERROR(BindText(rec.get(), 2, f.name));
      RETURN_IF_ERROR(BindText(rec.get(), 3, type_name));
      RETURN_IF_ERROR(BindText(rec.get(), 4, separator));
      RETURN_IF_ERROR(StepDone(db, rec.get(), "cannot record the column types"));
    }
    ASSIGN_OR_RETURN(insert_, Prepare(db, insert + ")", "cannot prepare the insert"));
    return OkStatus();
  }

  Status Write(const Table& chunk) override {
    Status status = WriteChunk(chunk);
    if (!status.ok()) {
      failed_ = true;
      return status.WithContext(context_);
    }
    return status;
  }

  Status Commit() override {
    if (committed_) return FailedPreconditionError(context_ + ": already committed");
    if (failed_) {
      return FailedPreconditionError(context_ + ": an earlier write failed; nothing was written");
    }
    insert_.reset();
    Status status = Exec(db_.get(), "COMMIT", "cannot commit");
    if (!status.ok()) return status.WithContext(context_);
    committed_ = true;
    return OkStatus();
  }

 private:
  Status WriteChunk(const Table& chunk) {
    if (failed_ || committed_) {
      return FailedPreconditionError(
          "the writer is finished (an earlier write failed or it was committed)");
    }
    if (chunk.schema() != schema_) {
      return InvalidArgumentError("the chunk's columns differ from the table's");
    }
    RETURN_IF_ERROR(sql::ValidateChunk(chunk, rows_written_, options_.list_separator));
    sqlite3* db = db_.get();
    sqlite3_stmt* stmt = insert_.get();
    const size_t ncols = chunk.num_columns();
    std::vector<std::string> text(ncols);  // Holds formatted values until the row is stepped.
    for (size_t r = 0; r < chunk.num_rows(); ++r) {
      for (size_t c = 0; c < ncols; ++c) {
        const Column& col = chunk.column(c);
        const int index = static_cast<int>(c) + 1;
        int rc = SQLITE_OK;
        if (col.IsMissing(r)) {
          rc = sqlite3_bind_null(stmt, index);
        } else {
          switch (col.type()) {
            case ColumnType::kNumeric:
              rc = sqlite3_bind_double(stmt, index, col.numeric()[r]);
              break;
            case ColumnType::kCategorical: {
              const std::string& v = col.CategoryAt(r);
              rc = sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
              break;
            }
            case ColumnType::kTimestamp:
            case ColumnType::kStringList:
              text[c] = col.type() == ColumnType::kTimestamp
                            ? FormatTimestamp(col.timestamps()[r])
                            : sql::JoinList(col.lists()[r], options_.list_separator);
              rc = sqlite3_bind_text64(stmt, index, text[c].data(), text[c].size(), SQLITE_STATIC,
                                       SQLITE_UTF8);
              break;
          }
        }
        if (rc != SQLITE_OK) return SqliteError("cannot bind column '" + col.name() + "'", db, rc);
      }
      const int rc = sqlite3_step(stmt);
      sqlite3_reset(stmt);
      if (rc != SQLITE_DONE) {
        return SqliteError("cannot insert row " + std::to_string(rows_written_ + r + 1), db, rc);
      }
    }
    rows_written_ += chunk.num_rows();
    return OkStatus();
  }

  Db db_;
  Stmt insert_;
  Schema schema_;
  WriteOptions options_;
  std::string path_;
  bool created_file_;
  std::string context_;
  size_t rows_written_ = 0;
  bool committed_ = false;
  bool failed_ = false;
};

}  // namespace

StatusOr<Table> ReadSqlite(const Location& location, const ReadOptions& options) {
  StatusOr<Table> table = ReadSqliteImpl(location, options);
  if (!table.ok()) {
    return table.status().WithContext(
        sql::DescribeSource("sqlite:" + location.target, location.table, options.query));
  }
  return table;
}

StatusOr<std::unique_ptr<TableWriter>> OpenSqliteWriter(const Location& location,
                                                        const Schema& schema,
                                                        const WriteOptions& options) {
  const std::string context = sql::DescribeSource("sqlite:" + location.target, location.table, "");
  Status valid = sql::ValidateSchemaForWrite(schema);
  if (!valid.ok()) return valid.WithContext(context);
  StatusOr<TableName> name = sql::SplitTableName(location.table);
  if (!name.ok()) return name.status().WithContext(context);
  Status writable = sql::ValidateTableForWrite(*name);
  if (!writable.ok()) return writable.WithContext(context);
  const bool created_file = !FileExists(location.target);
  StatusOr<Db> db = OpenDatabase(location.target, /*writable=*/true);
  if (!db.ok()) return db.status().WithContext(context);
  auto writer = std::make_unique<SqliteWriter>(std::move(db).value(), schema, options,
                                               location.target, created_file, context);
  Status begun = writer->Begin(*name);
  if (!begun.ok()) return begun.WithContext(context);  // The writer's destructor rolls back.
  return std::unique_ptr<TableWriter>(std::move(writer));
}

}  // namespace staycast::data
