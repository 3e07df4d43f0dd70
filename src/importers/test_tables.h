// Test helpers: small hand-made source tables (values as text, "" = missing) for the importer
// tests, so the mapping logic is tested without CSV files.
#pragma once

#include <string>
#include <vector>

#include "src/data/table.h"
#include "src/importers/source_table.h"

namespace staycast::importers::testing {

struct TestColumn {
  std::string name;
  data::ColumnType type;
  std::vector<std::string> values;
};

// A table with the given columns; numbers and timestamps are parsed from the text (tests only).
data::Table MakeTable(const std::vector<TestColumn>& columns);
SourceTable MakeSource(const std::string& file, const std::vector<TestColumn>& columns);

// The row of `table` whose categorical `column` equals `value`; aborts the test when absent.
size_t RowOf(const data::Table& table, const std::string& column, const std::string& value);
// The value of a numeric column, and the text of any column, at `row`.
double Num(const data::Table& table, const std::string& column, size_t row);
std::string Text(const data::Table& table, const std::string& column, size_t row);
const std::vector<std::string>& List(const data::Table& table, const std::string& column,
                                     size_t row);

}  // namespace staycast::importers::testing
