// Pieces shared by the SQLite and PostgreSQL sources and sinks: identifier quoting, turning result
// cells into typed Columns (declared type, stored Staycast type or inference), and value checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/core/status.h"
#include "src/data/io.h"
#include "src/data/table.h"

namespace staycast::data::sql {

// What the SQLite and PostgreSQL writers share around their one transaction: every chunk is
// checked against the table's schema and values (ValidateChunk) before a row is sent; a failed
// chunk finishes the writer, so Commit refuses and the subclass's destructor rolls back; errors
// carry the location as context.
class TransactionalWriter : public TableWriter {
 public:
  Status Write(const Table& chunk) final;
  Status Commit() final;

 protected:
  TransactionalWriter(Schema schema, WriteOptions options, std::string context)
      : schema_(std::move(schema)), options_(options), context_(std::move(context)) {}
  // Sends a checked chunk; rows_written() rows went before it.
  virtual Status WriteRows(const Table& chunk) = 0;
  virtual Status CommitTransaction() = 0;

  const Schema& schema() const { return schema_; }
  const WriteOptions& options() const { return options_; }
  size_t rows_written() const { return rows_written_; }
  bool committed() const { return committed_; }

 private:
  Status CheckAndWrite(const Table& chunk);

  Schema schema_;
  WriteOptions options_;
  std::string context_;
  size_t rows_written_ = 0;
  bool committed_ = false;
  bool failed_ = false;
};

// Staycast records the type of every column it writes in this table, beside the data and in the
// same transaction: (table_name, column_name, column_type, list_separator). A declared SQL type
// alone cannot tell a string list from a category (both are TEXT), nor which separator joins the
// list items. A recorded type is used only while it still agrees with the column's declared SQL
// type, so a stale row (the table was replaced by another tool) is ignored. Reads look types up by
// each result column's origin (table and column), so a query that selects columns of such a table
// gets them too; computed columns are typed by their SQL type or their values.
inline constexpr char kColumnsTable[] = "staycast_columns";

// A table name from a location, split into an optional schema ("public" in "public.admissions")
// and the table itself.
struct TableName {
  std::string schema;
  std::string table;
};
// Splits "table" or "schema.table"; anything else is InvalidArgument.
StatusOr<TableName> SplitTableName(const std::string& name);

// "DATABASE table 'NAME'" or "DATABASE query \"SELECT ...\"" (the query shortened): the context
// every error of a read or write starts with.
std::string DescribeSource(const std::string& database, const std::string& table,
                           const std::string& query);

// "name" with embedded double quotes doubled: safe for any identifier.
std::string QuoteIdentifier(std::string_view name);
// "schema"."table", or "table".
std::string QuoteTableName(const TableName& name);
// "schema"."staycast_columns", or "staycast_columns" (same schema as the data table).
std::string QuoteColumnsTable(const TableName& name);

// Checks a table name can be written to (kColumnsTable cannot).
Status ValidateTableForWrite(const TableName& name);
// Checks a schema can be written: at least one column, names non-empty, unique, without NUL.
Status ValidateSchemaForWrite(const Schema& schema);

// Checks the values of a chunk can be stored and read back: timestamps within years 1..9999, list
// items without the separator. Errors name the column and row, never the value.
Status ValidateChunk(const Table& chunk, size_t first_row, char list_separator);

// Shortest text that reads back as exactly `v` ("Infinity" / "-Infinity" for infinities).
std::string FormatDouble(double v);
// Parses a whole string as a double (decimal or exponent form, inf, nan); false otherwise.
bool ParseDouble(std::string_view text, double* out);
// ParseTimestamp, also accepting PostgreSQL's short "+HH" zone suffix.
bool ParseSqlTimestamp(std::string_view text, Timestamp* out);
// The value of a string-list cell, joined with the separator.
std::string JoinList(const std::vector<std::string>& items, char separator);

// How one result column becomes a Column.
struct ColumnPlan {
  std::string name;
  // The type to produce, or nullopt to infer it from the values as the CSV reader does.
  std::optional<ColumnType> type;
  char list_separator = ';';
  // Whether text equal to one of ReadOptions::missing_tokens is missing. Off for columns Staycast
  // wrote itself: there NULL is the only missing value, so a category "NA" reads back as "NA".
  bool apply_missing_tokens = true;
};

// The Staycast type recorded for a column in kColumnsTable.
struct RecordedType {
  ColumnType type;
  char list_separator;
};

// Decides how to read a column: a type override wins, then the recorded Staycast type when it
// agrees with the declared SQL type (`declared`, nullopt when untyped), then the declared type, and
// else inference.
ColumnPlan MakeColumnPlan(const std::string& name, std::optional<ColumnType> declared,
                          const std::optional<RecordedType>& recorded, const ReadOptions& options);

// Accumulates one column's cells, row by row, and converts them to the planned type. Errors name
// the column and the 1-based row but never the value (it may be patient data).
class ColumnBuilder {
 public:
  ColumnBuilder(ColumnPlan plan, const std::vector<std::string>& missing_tokens);

  void AddNull();
  Status AddText(std::string_view text);
  Status AddInteger(int64_t value);
  Status AddReal(double value);
  // The finished column; inferred columns get their type here.
  StatusOr<Column> Finish();

 private:
  // A buffered cell of a column whose type is inferred at Finish().
  struct Cell {
    enum class Kind { kNull, kNumber, kText };
    Kind kind = Kind::kNull;
    double number = 0;
    std::string text;
  };
  bool IsMissingToken(std::string_view text) const;
  Status RowError(const std::string& what) const;
  void AppendText(std::string_view text);

  ColumnPlan plan_;
  const std::vector<std::string>& missing_tokens_;
  Column column_;
  std::vector<Cell> cells_;
  size_t rows_ = 0;
};

}  // namespace staycast::data::sql
