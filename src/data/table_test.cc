// Tests for Table and Column.
#include "src/data/table.h"

#include <cmath>

#include "src/core/status_matchers.h"

namespace staycast::data {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

Table MakeTable() {
  Column id("id", ColumnType::kCategorical);
  Column age("age", ColumnType::kNumeric);
  Column t("admit_time", ColumnType::kTimestamp);
  Column codes("codes", ColumnType::kStringList);
  for (int i = 0; i < 4; ++i) {
    id.AppendCategory("P" + std::to_string(i % 2));
    if (i == 2) {
      age.AppendMissing();
      t.AppendMissing();
      codes.AppendMissing();
    } else {
      age.AppendNumeric(40.5 + i);
      t.AppendTimestamp(1000 * i);
      codes.AppendList({"I10", "E11." + std::to_string(i)});
    }
  }
  Table table;
  EXPECT_OK(table.AddColumn(std::move(id)));
  EXPECT_OK(table.AddColumn(std::move(age)));
  EXPECT_OK(table.AddColumn(std::move(t)));
  EXPECT_OK(table.AddColumn(std::move(codes)));
  return table;
}

TEST(TableTest, ColumnsKeepTypesAndMissingValues) {
  const Table table = MakeTable();
  EXPECT_EQ(table.num_rows(), 4u);
  const Column& id = table.column(0);
  EXPECT_EQ(id.dictionary().size(), 2u);
  EXPECT_EQ(id.CategoryAt(3), "P1");
  const Column& age = table.column(1);
  EXPECT_TRUE(age.IsMissing(2));
  EXPECT_EQ(age.CountMissing(), 1u);
  EXPECT_EQ(age.ValueAsString(1), "41.5");
  EXPECT_EQ(age.ValueAsString(2), "");
  EXPECT_EQ(table.column(2).ValueAsString(1), "1970-01-01 00:16:40");
  EXPECT_EQ(table.column(3).ValueAsString(3, ';'), "I10;E11.3");
}

TEST(TableTest, AddColumnChecksSizeAndName) {
  Table table = MakeTable();
  Column short_col("x", ColumnType::kNumeric);
  short_col.AppendNumeric(1);
  EXPECT_THAT(table.AddColumn(std::move(short_col)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'x' has 1 rows, table has 4")));
  Column dup("age", ColumnType::kNumeric);
  EXPECT_THAT(table.AddColumn(std::move(dup)),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("age")));
  EXPECT_THAT(table.GetColumn("agee"),
              StatusIs(StatusCode::kNotFound, HasSubstr("columns: id, age, admit_time, codes")));
}

TEST(TableTest, TakeAndAppendPreserveValues) {
  const Table table = MakeTable();
  const Table taken = table.Take({3, 0});
  EXPECT_EQ(taken.num_rows(), 2u);
  EXPECT_EQ(taken.column(0).CategoryAt(0), "P1");
  EXPECT_EQ(taken.column(1).numeric()[1], 40.5);
  Table both = taken;
  ASSERT_OK(both.Append(table));
  EXPECT_EQ(both.num_rows(), 6u);
  EXPECT_EQ(both.column(0).CategoryAt(5), "P1");
  EXPECT_TRUE(both.column(3).IsMissing(4));
  Table other;
  Column c("other", ColumnType::kNumeric);
  ASSERT_OK(other.AddColumn(std::move(c)));
  EXPECT_THAT(both.Append(other), StatusIs(StatusCode::kInvalidArgument, HasSubstr("schema")));
}

TEST(TableTest, AppendRowsFromEqualsAppendingRowByRow) {
  // A categorical column with missing values and a dictionary in another order than the rows
  // taken; the other types too. The taken column's dictionary grows in the order of first use.
  Table table = MakeTable();
  Column dept("dept", ColumnType::kCategorical);
  for (const char* v : {"A", "B", "", "C"}) {
    if (*v == 0) {
      dept.AppendMissing();
    } else {
      dept.AppendCategory(v);
    }
  }
  ASSERT_OK(table.AddColumn(std::move(dept)));
  const std::vector<size_t> rows = {3, 2, 1, 3, 0, 2};
  for (const Column& c : table.columns()) {
    SCOPED_TRACE(c.name());
    Column one(c.name(), c.type());
    for (size_t r : rows) one.AppendFrom(c, r);
    Column many(c.name(), c.type());
    many.AppendRowsFrom(c, rows);
    ASSERT_EQ(many.size(), rows.size());
    EXPECT_EQ(many.dictionary(), one.dictionary());
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(many.ValueAsString(i), one.ValueAsString(i)) << "row " << i;
      EXPECT_EQ(many.IsMissing(i), one.IsMissing(i)) << "row " << i;
    }
    Column all(c.name(), c.type());
    all.AppendAllFrom(many);
    all.AppendAllFrom(c);
    ASSERT_EQ(all.size(), rows.size() + c.size());
    for (size_t i = 0; i < c.size(); ++i) {
      EXPECT_EQ(all.ValueAsString(rows.size() + i), c.ValueAsString(i)) << "row " << i;
    }
  }
  EXPECT_EQ(table.Take(rows).column(4).dictionary(), (std::vector<std::string>{"C", "B", "A"}));
}

TEST(TableTest, CategoryIndexGrowsAndBatchesAgreeWithSingleAppends) {
  Column one("c", ColumnType::kCategorical);
  Column batch("c", ColumnType::kCategorical);
  std::vector<std::string> values;
  for (int i = 0; i < 5000; ++i) values.push_back("v" + std::to_string((i * 7919) % 3001));
  values.emplace_back("");
  for (const std::string& v : values) one.AppendCategory(v);
  const std::vector<std::string_view> views(values.begin(), values.end());
  batch.AppendCategories(views);
  EXPECT_EQ(one.codes(), batch.codes());
  EXPECT_EQ(one.dictionary(), batch.dictionary());
  EXPECT_EQ(one.dictionary().size(), 3002U);
  for (size_t r = 0; r < values.size(); ++r) ASSERT_EQ(batch.CategoryAt(r), values[r]);
  EXPECT_EQ(batch.FindCategory("v0"), std::optional<int32_t>(0));
  EXPECT_EQ(batch.FindCategory("v3001"), std::nullopt);
  EXPECT_EQ(Column("e", ColumnType::kCategorical).FindCategory("x"), std::nullopt);
  Column copy = batch;  // the index is copied with the dictionary
  EXPECT_EQ(copy.InternCategory("v17"), *batch.FindCategory("v17"));
}

TEST(TableTest, ColumnTypeNamesParse) {
  for (ColumnType t : {ColumnType::kNumeric, ColumnType::kCategorical, ColumnType::kTimestamp,
                       ColumnType::kStringList}) {
    ASSERT_OK_AND_ASSIGN(ColumnType parsed, ParseColumnType(ColumnTypeName(t)));
    EXPECT_EQ(parsed, t);
  }
  EXPECT_THAT(ParseColumnType("float"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"float\"")));
}

}  // namespace
}  // namespace staycast::data
