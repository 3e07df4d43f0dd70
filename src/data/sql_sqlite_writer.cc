// SQLite sink: writes a Table into a table in one transaction with a prepared insert, recording
// Staycast's column types beside it; nothing is visible before Commit().
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "src/data/sql.h"
#include "src/data/sql_common.h"
#include "src/data/sql_sqlite_db.h"

namespace staycast::data {
namespace {

using lite::BindText;
using lite::Db;
using lite::Exec;
using lite::FileExists;
using lite::OpenDatabase;
using lite::Prepare;
using lite::RelationExists;
using lite::SqliteError;
using lite::StepDone;
using lite::Stmt;
using sql::TableName;

const char* SqliteTypeFor(ColumnType type) {
  switch (type) {
    case ColumnType::kNumeric: return "REAL";
    case ColumnType::kTimestamp: return "TIMESTAMP";
    case ColumnType::kCategorical:
    case ColumnType::kStringList: return "TEXT";
  }
  return "TEXT";
}

// Writes into one SQLite transaction, begun at Open() and committed at Commit(). Destroying it
// earlier rolls back, and removes the database file when this writer created it.
class SqliteWriter : public sql::TransactionalWriter {
 public:
  SqliteWriter(Db db, Schema schema, WriteOptions options, std::string path, bool created_file,
               std::string context)
      : TransactionalWriter(std::move(schema), options, std::move(context)),
        db_(std::move(db)),
        path_(std::move(path)),
        created_file_(created_file) {}

  ~SqliteWriter() override {
    if (committed()) return;
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
      if (!options().replace) {
        return AlreadyExistsError("the table already exists (set replace to overwrite it)");
      }
      RETURN_IF_ERROR(
          Exec(db, "DROP TABLE " + sql::QuoteTableName(name), "cannot drop the existing table"));
    }
    std::string create = "CREATE TABLE " + sql::QuoteTableName(name) + " (";
    std::string insert = "INSERT INTO " + sql::QuoteTableName(name) + " VALUES (";
    for (size_t i = 0; i < schema().fields.size(); ++i) {
      const Field& f = schema().fields[i];
      create += (i > 0 ? ", " : "") + sql::QuoteIdentifier(f.name) + " " + SqliteTypeFor(f.type);
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
    const std::string separator(1, options().list_separator);
    for (const Field& f : schema().fields) {
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

  Status CommitTransaction() override {
    insert_.reset();
    return Exec(db_.get(), "COMMIT", "cannot commit");
  }

 private:
  Status WriteRows(const Table& chunk) override {
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
                            : sql::JoinList(col.lists()[r], options().list_separator);
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
        return SqliteError("cannot insert row " + std::to_string(rows_written() + r + 1), db, rc);
      }
    }
    return OkStatus();
  }

  Db db_;
  Stmt insert_;
  std::string path_;
  bool created_file_;
};

}  // namespace

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
