// Test helpers for building hand-made source tables and reading admissions-table cells.
#include "src/importers/test_tables.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace staycast::importers::testing {

data::Table MakeTable(const std::vector<TestColumn>& columns) {
  data::Table table;
  for (const TestColumn& spec : columns) {
    data::Column column(spec.name, spec.type);
    for (const std::string& v : spec.values) {
      if (v.empty()) {
        column.AppendMissing();
        continue;
      }
      switch (spec.type) {
        case data::ColumnType::kNumeric: column.AppendNumeric(std::stod(v)); break;
        case data::ColumnType::kCategorical: column.AppendCategory(v); break;
        case data::ColumnType::kTimestamp: {
          Timestamp t = kMissingTime;
          EXPECT_TRUE(ParseTimestamp(v, &t)) << v;
          column.AppendTimestamp(t);
          break;
        }
        case data::ColumnType::kStringList: column.AppendList({v}); break;
      }
    }
    EXPECT_TRUE(table.AddColumn(std::move(column)).ok()) << spec.name;
  }
  return table;
}

SourceTable MakeSource(const std::string& file, const std::vector<TestColumn>& columns) {
  return SourceTable{file, MakeTable(columns)};
}

size_t RowOf(const data::Table& table, const std::string& column, const std::string& value) {
  const data::Column* c = table.FindColumn(column);
  for (size_t row = 0; c != nullptr && row < table.num_rows(); ++row) {
    if (c->ValueAsString(row) == value) return row;
  }
  ADD_FAILURE() << "no row with " << column << " = " << value;
  return table.num_rows();  // out of range: the accessors below throw, ending the test
}

namespace {
const data::Column& ColumnOf(const data::Table& table, const std::string& column) {
  const data::Column* c = table.FindColumn(column);
  if (c == nullptr) throw std::out_of_range("no column " + column);
  return *c;
}
}  // namespace

double Num(const data::Table& table, const std::string& column, size_t row) {
  return ColumnOf(table, column).numeric().at(row);
}

std::string Text(const data::Table& table, const std::string& column, size_t row) {
  const data::Column& c = ColumnOf(table, column);
  if (row >= c.size()) throw std::out_of_range("row " + std::to_string(row));
  return c.ValueAsString(row);
}

const std::vector<std::string>& List(const data::Table& table, const std::string& column,
                                     size_t row) {
  return ColumnOf(table, column).lists().at(row);
}

}  // namespace staycast::importers::testing
