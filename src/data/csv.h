// CSV files as tables: an RFC 4180 reader with type inference (whole file or chunk by chunk) and an
// atomic writer.
//
// Reading: a header row is required (names non-empty and distinct). Fields may be quoted, with ""
// for a quote and embedded delimiters/line breaks; records end with LF, CRLF or CR; a UTF-8 byte
// order mark is skipped; blank lines are skipped. The file must be UTF-8. A value equal to one of
// ReadOptions::missing_tokens is missing. Without an override, a column is numeric if every
// non-missing value is a number (fast_float; "inf"/"nan" become missing), else timestamp if every
// one parses with ParseTimestamp, else categorical; a column with no values at all is numeric.
// string_list columns come only from ReadOptions::type_overrides; their values are split on
// ReadOptions::list_separator. Errors name the file, line and column, e.g.
//   admissions.csv:1042: column 'age': expected a number, got "forty"
//
// Writing: a header, then one line (LF) per row; a field is quoted only when it contains the
// delimiter, a quote, CR or LF, or starts or ends with a space or tab. Numbers are written in their
// shortest round-trip form, timestamps as "YYYY-MM-DD HH:MM:SS", lists joined with the separator,
// missing values as empty fields. Reading a written file back (with the same column types) gives an
// equal table, except for values that cannot be told apart from missing in CSV: a category or list
// item equal to a missing token (e.g. "NA", or ""), a list holding one empty item, a list item that
// contains the separator, and infinite numbers (read back as missing).
#pragma once

#include <memory>
#include <string>

#include "src/core/status.h"
#include "src/data/io.h"
#include "src/data/table.h"

namespace staycast::data {

// Bytes read from a CSV file at a time (the reader's memory is about this plus one chunk of rows).
inline constexpr size_t kCsvBlockBytes = size_t{1} << 20;

// Reads a whole CSV file; types are inferred over the whole file unless overridden in `options`.
// The file is read once, or twice when a column first looks numeric (or timestamp) and later turns
// out not to be.
StatusOr<Table> ReadCsv(const std::string& path, const ReadOptions& options = {});
// How a ReadCsv went: parts is 2 when the file was read in two parts on two threads
// (ReadOptions::threads), else 1.
struct CsvReadStats {
  int parts = 1;
};
StatusOr<Table> ReadCsv(const std::string& path, const ReadOptions& options, size_t block_bytes,
                        CsvReadStats* stats = nullptr);

// Reads a CSV file in chunks of ReadOptions::chunk_rows rows, so that files larger than memory can
// be scanned. Column types are inferred from the first chunk (and then fixed: schema()); a later
// value that does not fit is an error naming its line and column and suggesting a type override.
// Not thread-safe.
class CsvChunkReader {
 public:
  static StatusOr<std::unique_ptr<CsvChunkReader>> Open(const std::string& path,
                                                        const ReadOptions& options = {},
                                                        size_t block_bytes = kCsvBlockBytes);
  ~CsvChunkReader();
  CsvChunkReader(const CsvChunkReader&) = delete;
  CsvChunkReader& operator=(const CsvChunkReader&) = delete;

  // Replaces *chunk with the next rows (at most chunk_rows); false (and an empty chunk) at the end.
  StatusOr<bool> Next(Table* chunk);
  // The columns and their types, known once Open() has returned.
  const Schema& schema() const;

 private:
  struct State;
  explicit CsvChunkReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Opens a CSV writer that writes a header for `schema`, then each chunk; the file appears only at
// Commit().
StatusOr<std::unique_ptr<TableWriter>> OpenCsvWriter(const std::string& path, const Schema& schema,
                                                     const WriteOptions& options = {});

}  // namespace staycast::data
