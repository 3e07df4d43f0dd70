// Reading an importer's source CSV files as Tables and getting typed values out of them, whatever
// type the CSV reader chose, with errors that name the file, line and column.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/core/time.h"
#include "src/data/table.h"

namespace staycast::importers {

// One source table: its file name (for messages) and its contents.
struct SourceTable {
  std::string file;  // e.g. "admissions.csv"
  data::Table table;
};

// A required column of a source file and the type the importer asks the CSV reader for.
struct SourceColumn {
  std::string name;
  data::ColumnType type;
};

// Reads `dir`/`file` with the given column types forced, and checks the columns exist. Errors:
// NotFound naming the path and the data set (`what`, e.g. "a Synthea CSV export") when the file is
// absent (and saying so if a .gz of it is there), and InvalidArgument naming the file and the
// missing columns.
StatusOr<SourceTable> ReadSourceCsv(const std::string& dir, const std::string& file,
                                    const std::vector<SourceColumn>& columns,
                                    const std::string& what);

// Checks a table has the columns (used for hand-built tables too); the error names the file.
Status RequireColumns(const SourceTable& source, const std::vector<SourceColumn>& columns);

// The named column (which RequireColumns has checked).
const data::Column& Col(const SourceTable& source, const std::string& name);

// Values of any column type: text as written (empty when missing), a timestamp (kMissingTime when
// missing), a number (NaN when missing). A categorical value that does not parse is an error naming
// file, line and column; line numbers assume one line per record after the header.
std::string TextAt(const data::Column& column, size_t row);
StatusOr<Timestamp> TimeAt(const SourceTable& source, const data::Column& column, size_t row);
StatusOr<double> NumberAt(const SourceTable& source, const data::Column& column, size_t row);

// "admissions.csv line 7, column 'dischtime'" for data row 5.
std::string Where(const SourceTable& source, const data::Column& column, size_t row);

// Checks `dir` is a directory; the error says which data set was expected there.
Status RequireDirectory(const std::string& dir, const std::string& what);

}  // namespace staycast::importers
