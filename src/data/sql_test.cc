// Tests for the SQLite source and sink against real database files: lossless round trips, query
// results with inferred types, replace/AlreadyExists, rollback without Commit(), and clear errors.
#include "src/data/sql.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "src/core/status_matchers.h"
#include "src/data/io.h"
#include "src/data/sql_test_util.h"

namespace staycast::data {
namespace {

using ::staycast::data::testing::RandomTable;
using ::staycast::data::testing::TableDifference;
using ::staycast::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sqlite-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_ = dir_ + "/staycast.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Uri(const std::string& table) const { return "sqlite:" + db_ + "?table=" + table; }

  // Runs SQL directly, for fixtures that Staycast itself would not write (untyped columns).
  void ExecRaw(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  std::string dir_;
  std::string db_;
};

TEST_F(SqliteTest, RandomTablesRoundTripLosslessly) {
  for (uint64_t seed : {1, 2, 3}) {
    for (size_t rows : {0, 1, 7, 400}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", rows " + std::to_string(rows));
      const Table table = RandomTable(seed, rows);
      const std::string uri = Uri("t" + std::to_string(seed) + "_" + std::to_string(rows));
      ASSERT_OK(WriteTable(table, uri));
      ASSERT_OK_AND_ASSIGN(Table back, ReadTable(uri));
      EXPECT_EQ(TableDifference(table, back), "");
    }
  }
}

TEST_F(SqliteTest, ChunkedWritesKeepRowOrder) {
  const Table table = RandomTable(7, 1000);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer,
                       OpenTableWriter(Uri("chunks"), table.schema()));
  for (size_t start = 0; start < table.num_rows(); start += 300) {
    std::vector<size_t> rows;
    for (size_t r = start; r < std::min(start + 300, table.num_rows()); ++r) rows.push_back(r);
    ASSERT_OK(writer->Write(table.Take(rows)));
  }
  ASSERT_OK(writer->Commit());
  ASSERT_OK_AND_ASSIGN(Table back, ReadTable(Uri("chunks")));
  EXPECT_EQ(TableDifference(table, back), "");
}

TEST_F(SqliteTest, ACsvFileRoundTripsThroughTheDatabase) {
  // CSV -> Table -> database -> Table: what the CSV reader produced comes back unchanged.
  const std::string csv = dir_ + "/adm.csv";
  ASSERT_OK(WriteTable(RandomTable(21, 300), csv));
  ReadOptions csv_options;
  csv_options.type_overrides = {{"diagnoses", ColumnType::kStringList}};
  ASSERT_OK_AND_ASSIGN(Table from_csv, ReadTable(csv, csv_options));
  ASSERT_OK(WriteTable(from_csv, Uri("from_csv")));
  ASSERT_OK_AND_ASSIGN(Table back, ReadTable(Uri("from_csv")));
  EXPECT_EQ(TableDifference(from_csv, back), "");
}

TEST_F(SqliteTest, ReadsAQueryWithTypesFromDeclarationsAndValues) {
  ExecRaw(
      "CREATE TABLE stays (patient TEXT, ward VARCHAR(20), los DOUBLE, admitted DATETIME,"
      " untyped, code);"
      "INSERT INTO stays VALUES ('p1', 'ICU', 3.5, '2021-03-01 10:00:00', '7', '001'),"
      " ('p1', 'ICU', 1, '2021-04-01', 'NA', '002'),"
      " ('p2', 'general', NULL, '1960-01-01 00:00:00', '2.5', 'x');"
      "CREATE TABLE patients (id TEXT, sex TEXT, born);"
      "INSERT INTO patients VALUES ('p1', 'F', '1950-05-05'), ('p2', 'M', NULL);");
  ReadOptions options;
  options.query =
      "SELECT p.sex, s.ward, count(*) AS n, avg(s.los) AS mean_los, min(s.admitted) AS first,"
      " min(p.born) AS born, 'ward ' || s.ward AS label, group_concat(s.code, '|') AS codes"
      " FROM stays s JOIN patients p ON p.id = s.patient GROUP BY p.sex, s.ward ORDER BY p.sex;";
  ASSERT_OK_AND_ASSIGN(Table t, ReadTable("sqlite:" + db_, options));
  ASSERT_EQ(t.num_rows(), 2u);
  const Schema expected{{{"sex", ColumnType::kCategorical},
                         {"ward", ColumnType::kCategorical},
                         {"n", ColumnType::kNumeric},
                         {"mean_los", ColumnType::kNumeric},
                         {"first", ColumnType::kTimestamp},
                         {"born", ColumnType::kTimestamp},
                         {"label", ColumnType::kCategorical},
                         {"codes", ColumnType::kCategorical}}};
  EXPECT_EQ(t.schema(), expected);
  EXPECT_EQ(t.column(0).CategoryAt(0), "F");
  EXPECT_EQ(t.column(2).numeric()[0], 2.0);
  EXPECT_EQ(t.column(3).numeric()[0], 2.25);
  EXPECT_TRUE(t.column(3).IsMissing(1));
  EXPECT_EQ(t.column(4).timestamps()[1], DaysFromCivil(1960, 1, 1) * kSecondsPerDay);
  EXPECT_TRUE(t.column(5).IsMissing(1));
  EXPECT_EQ(t.column(7).CategoryAt(0), "001|002");

  // Untyped columns are inferred like CSV: "NA" is missing, the rest parse as numbers.
  options.query = "SELECT untyped, code FROM stays";
  ASSERT_OK_AND_ASSIGN(Table raw, ReadTable("sqlite:" + db_, options));
  EXPECT_EQ(raw.column(0).type(), ColumnType::kNumeric);
  EXPECT_TRUE(raw.column(0).IsMissing(1));
  EXPECT_EQ(raw.column(0).numeric()[2], 2.5);
  EXPECT_EQ(raw.column(1).type(), ColumnType::kCategorical);
}

TEST_F(SqliteTest, AQueryOverAStaycastTableKeepsItsTypes) {
  const Table table = RandomTable(5, 60);
  ASSERT_OK(WriteTable(table, Uri("adm")));
  ReadOptions options;
  options.query = "SELECT * FROM adm";
  ASSERT_OK_AND_ASSIGN(Table all, ReadTable("sqlite:" + db_, options));
  EXPECT_EQ(TableDifference(table, all), "");
  options.query = "SELECT diagnoses AS dx, a.ward, \"größe\" * 2 AS twice FROM adm a";
  ASSERT_OK_AND_ASSIGN(Table some, ReadTable("sqlite:" + db_, options));
  const Schema expected{{{"dx", ColumnType::kStringList},
                         {"ward", ColumnType::kCategorical},
                         {"twice", ColumnType::kNumeric}}};
  EXPECT_EQ(some.schema(), expected);
  Table want = table;
  for (const char* drop : {"length_of_stay", "code \"quoted\" name", "admit_time", "größe"}) {
    want.RemoveColumn(drop);
  }
  ASSERT_OK_AND_ASSIGN(const Column* dx, some.GetColumn("dx"));
  ASSERT_OK_AND_ASSIGN(const Column* ward, some.GetColumn("ward"));
  ASSERT_OK_AND_ASSIGN(const Column* want_dx, want.GetColumn("diagnoses"));
  ASSERT_OK_AND_ASSIGN(const Column* want_ward, want.GetColumn("ward"));
  for (size_t r = 0; r < table.num_rows(); ++r) {
    EXPECT_EQ(dx->lists()[r], want_dx->lists()[r]) << "row " << r;
    EXPECT_EQ(ward->IsMissing(r), want_ward->IsMissing(r)) << "row " << r;
    EXPECT_EQ(ward->CategoryAt(r), want_ward->CategoryAt(r)) << "row " << r;
  }
}

TEST_F(SqliteTest, TypeOverridesAndListSeparator) {
  ExecRaw(
      "CREATE TABLE t (dx TEXT, n TEXT, at TEXT);"
      "INSERT INTO t VALUES ('I10,E11', '4', '2020-01-02'), (NULL, 'NA', '');");
  ReadOptions options;
  options.list_separator = ',';
  options.type_overrides = {
      {"dx", ColumnType::kStringList}, {"n", ColumnType::kNumeric}, {"at", ColumnType::kTimestamp}};
  ASSERT_OK_AND_ASSIGN(Table t, ReadTable(Uri("t"), options));
  EXPECT_EQ(t.column(0).lists()[0], (std::vector<std::string>{"I10", "E11"}));
  EXPECT_TRUE(t.column(0).IsMissing(1));
  EXPECT_EQ(t.column(1).numeric()[0], 4.0);
  EXPECT_TRUE(t.column(1).IsMissing(1));
  EXPECT_EQ(t.column(2).timestamps()[0], 18263 * kSecondsPerDay);
  EXPECT_TRUE(t.column(2).IsMissing(1));
  // A list written with another separator reads back with it (it is recorded with the type).
  Column dx("dx", ColumnType::kStringList);
  dx.AppendList({"A;1", "B"});
  Table lists;
  ASSERT_OK(lists.AddColumn(std::move(dx)));
  WriteOptions comma;
  comma.list_separator = ',';
  ASSERT_OK(WriteTable(lists, Uri("lists"), comma));
  ASSERT_OK_AND_ASSIGN(Table lists_back, ReadTable(Uri("lists")));
  EXPECT_EQ(TableDifference(lists, lists_back), "");
  // Without overrides, declared TEXT stays categorical even when the values look numeric.
  ASSERT_OK_AND_ASSIGN(Table plain, ReadTable(Uri("t")));
  EXPECT_EQ(plain.column(1).type(), ColumnType::kCategorical);
}

TEST_F(SqliteTest, ReplaceOrAlreadyExists) {
  const Table first = RandomTable(1, 5);
  const Table second = RandomTable(2, 9);
  ASSERT_OK(WriteTable(first, Uri("adm")));
  WriteOptions keep;
  keep.replace = false;
  EXPECT_THAT(WriteTable(second, Uri("ADM"), keep),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("already exists")));
  ASSERT_OK_AND_ASSIGN(Table still, ReadTable(Uri("adm")));
  EXPECT_EQ(TableDifference(first, still), "");
  ASSERT_OK(WriteTable(second, Uri("adm")));
  ASSERT_OK_AND_ASSIGN(Table replaced, ReadTable(Uri("adm")));
  EXPECT_EQ(TableDifference(second, replaced), "");
}

TEST_F(SqliteTest, NothingIsWrittenWithoutCommit) {
  const Table table = RandomTable(3, 20);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer,
                         OpenTableWriter(Uri("fresh"), table.schema()));
    ASSERT_OK(writer->Write(table));
  }
  // The database file did not exist before: it is removed again.
  EXPECT_FALSE(std::filesystem::exists(db_));

  ASSERT_OK(WriteTable(table, Uri("adm")));
  {
    const Table other = RandomTable(4, 3);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer,
                         OpenTableWriter(Uri("adm"), other.schema()));
    ASSERT_OK(writer->Write(other));
  }
  {
    // SQLite has one writer at a time, so this one starts after the first is gone.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> fresh,
                         OpenTableWriter(Uri("fresh"), table.schema()));
    ASSERT_OK(fresh->Write(table));
  }
  ASSERT_OK_AND_ASSIGN(Table still, ReadTable(Uri("adm")));
  EXPECT_EQ(TableDifference(table, still), "");
  EXPECT_THAT(ReadTable(Uri("fresh")), StatusIs(StatusCode::kNotFound, HasSubstr("no such table")));
}

TEST_F(SqliteTest, AFailedWriteCommitsNothing) {
  const Table table = RandomTable(5, 10);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer,
                       OpenTableWriter(Uri("adm"), table.schema()));
  ASSERT_OK(writer->Write(table));
  const Table wrong = RandomTable(5, 2).Take({0});
  Table narrower = wrong;
  narrower.RemoveColumn("ward");
  EXPECT_THAT(writer->Write(narrower),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("columns differ")));
  EXPECT_THAT(writer->Commit(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("nothing was written")));
  writer.reset();
  EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(SqliteTest, ValuesThatCannotBeStoredAreRejected) {
  Column when("admit_time", ColumnType::kTimestamp);
  when.AppendTimestamp(DaysFromCivil(10000, 1, 1) * kSecondsPerDay);
  Table t1;
  ASSERT_OK(t1.AddColumn(std::move(when)));
  EXPECT_THAT(WriteTable(t1, Uri("a")),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("column 'admit_time' row 1"), HasSubstr("0001..9999"))));
  Column dx("dx", ColumnType::kStringList);
  dx.AppendList({"I10"});
  dx.AppendList({"secret;value"});
  Table t2;
  ASSERT_OK(t2.AddColumn(std::move(dx)));
  EXPECT_THAT(WriteTable(t2, Uri("b")),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("column 'dx' row 2"), HasSubstr("separator"),
                             Not(HasSubstr("secret")))));
  EXPECT_THAT(WriteTable(Table(), Uri("c")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at least a column")));
  EXPECT_THAT(WriteTable(RandomTable(1, 1), Uri("staycast_columns")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("reserved")));
}

TEST_F(SqliteTest, ClearErrors) {
  EXPECT_THAT(ReadTable("sqlite:" + dir_ + "/missing.db?table=adm"),
              StatusIs(StatusCode::kNotFound,
                       AllOf(HasSubstr("missing.db"), HasSubstr("no such database file"))));
  ASSERT_OK(WriteTable(RandomTable(1, 3), Uri("adm")));
  EXPECT_THAT(ReadTable(Uri("nope")),
              StatusIs(StatusCode::kNotFound, AllOf(HasSubstr(db_), HasSubstr("table 'nope'"),
                                                    HasSubstr("no such table"))));
  ReadOptions bad;
  bad.query = "SELEC ward FROM adm";
  EXPECT_THAT(ReadTable("sqlite:" + db_, bad),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("query \"SELEC ward"), HasSubstr("syntax error"))));
  bad.query = "SELECT 1; DROP TABLE adm";
  EXPECT_THAT(ReadTable("sqlite:" + db_, bad),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("single statement")));
  bad.query = "DELETE FROM adm";
  EXPECT_THAT(ReadTable("sqlite:" + db_, bad),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("only read")));
  bad.query = "SELECT 1 AS a, 2 AS a";
  EXPECT_THAT(ReadTable("sqlite:" + db_, bad),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("two columns named 'a'")));
  // A value that does not fit the requested type: the error names the row, not the value.
  ExecRaw("CREATE TABLE v (x TEXT); INSERT INTO v VALUES ('1'), ('patient-secret');");
  ReadOptions numeric;
  numeric.type_overrides = {{"x", ColumnType::kNumeric}};
  EXPECT_THAT(
      ReadTable(Uri("v"), numeric),
      StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr("column 'x' row 2: expected a number"),
                                                   Not(HasSubstr("patient-secret")))));
  // Not a database at all.
  const std::string junk = dir_ + "/junk.db";
  std::ofstream(junk) << "this is not a database, just text that is long enough to fail........";
  EXPECT_THAT(ReadTable("sqlite:" + junk + "?table=adm"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("not a database")));
  EXPECT_THAT(WriteTable(RandomTable(1, 1), "sqlite:" + dir_ + "/no/such/dir.db?table=adm"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("cannot open")));
}

}  // namespace
}  // namespace staycast::data
