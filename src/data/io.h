// Where tables come from and go to. A location is a URI-like string:
//   admissions.csv  or  csv:admissions.csv                  a CSV file
//   sqlite:staycast.db?table=admissions                       a SQLite table (query with
//   ReadOptions::query) postgresql://user@127.0.0.1:5432/db?table=admissions      a PostgreSQL
//   table (libpq URI)
// ReadTable/OpenTableWriter dispatch to the CSV, SQLite and PostgreSQL implementations.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"

namespace staycast::data {

struct ReadOptions {
  // Text values read as missing (compared after trimming nothing: exact match).
  std::vector<std::string> missing_tokens = {"", "NA", "N/A", "NULL", "null", "NaN", "nan", "?"};
  // Column types that override inference, by column name.
  std::map<std::string, ColumnType> type_overrides;
  // When true, an override for a column the source lacks is ignored instead of refused (scoring
  // input may omit columns; the Predictor reports them as missing).
  bool ignore_absent_overrides = false;
  // Separator inside string-list values, e.g. "I10;E11.9".
  char list_separator = ';';
  char delimiter = ',';
  // For SQL sources: a SELECT to run instead of reading the location's table.
  std::string query;
  // Rows per chunk for streaming readers.
  size_t chunk_rows = 1 << 16;
  // CSV: with threads > 1, a file of at least parallel_min_bytes (after its first 1000 rows) is
  // read in two parts on two threads, split at a record boundary that is checked; the table is
  // the same as on one thread.
  int threads = 1;
  uint64_t parallel_min_bytes = uint64_t{16} << 20;
};

struct WriteOptions {
  char list_separator = ';';
  char delimiter = ',';
  // For SQL sinks: replace an existing table of the same name (else it is an error).
  bool replace = true;
  // CSV: large tables (kParallelWriteRows rows or more) have their rows formatted on this many
  // threads; the file is the same for any number.
  int threads = 1;
  static constexpr size_t kParallelWriteRows = 65536;
};

enum class LocationKind { kCsv, kSqlite, kPostgres };

struct Location {
  LocationKind kind = LocationKind::kCsv;
  // File path (CSV, SQLite) or libpq connection URI without Staycast's own parameters (PostgreSQL).
  std::string target;
  // Table name from "?table=..." (SQL only).
  std::string table;
};

// Parses a location string; errors say which form was expected.
StatusOr<Location> ParseLocation(const std::string& uri);

// Reads a whole table from a location.
StatusOr<Table> ReadTable(const std::string& uri, const ReadOptions& options = {});

// Receives a table chunk by chunk; nothing is visible at the destination until Commit() (a CSV is
// written to a temp file and renamed; SQL writes happen in one transaction). Destroying a writer
// without Commit() discards everything written.
class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual Status Write(const Table& chunk) = 0;
  virtual Status Commit() = 0;
};

StatusOr<std::unique_ptr<TableWriter>> OpenTableWriter(const std::string& uri, const Schema& schema,
                                                       const WriteOptions& options = {});

// Writes a whole table to a location atomically.
Status WriteTable(const Table& table, const std::string& uri, const WriteOptions& options = {});

}  // namespace staycast::data
