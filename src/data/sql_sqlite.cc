// SQLite source: reads a table or a query's result into a Table, in one read transaction, with
// types from the recorded Staycast types, the declared SQL types, or the values. The writer is in
// sql_sqlite_writer.cc.
#include <cctype>
#include <map>
#include <utility>

#include "src/data/sql.h"
#include "src/data/sql_common.h"
#include "src/data/sql_sqlite_db.h"

namespace staycast::data {
namespace {

using lite::BindText;
using lite::Db;
using lite::Exec;
using lite::OpenDatabase;
using lite::Prepare;
using lite::RelationExists;
using lite::SqliteError;
using lite::Stmt;
using sql::ColumnBuilder;
using sql::RecordedType;
using sql::TableName;

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

}  // namespace

StatusOr<Table> ReadSqlite(const Location& location, const ReadOptions& options) {
  StatusOr<Table> table = ReadSqliteImpl(location, options);
  if (!table.ok()) {
    return table.status().WithContext(
        sql::DescribeSource("sqlite:" + location.target, location.table, options.query));
  }
  return table;
}

}  // namespace staycast::data
