// Tests for the PostgreSQL source and sink against a real server started for this test binary:
// lossless round trips, query results with the server's types, replace/AlreadyExists, rollback
// without Commit(), and clear errors (including an unreachable server, which must not hang).
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "src/core/status_matchers.h"
#include "src/data/io.h"
#include "src/data/sql.h"
#include "src/data/sql_test_util.h"
#include "tests/support/postgres_server.h"

namespace staycast::data {
namespace {

using ::staycast::data::testing::RandomTable;
using ::staycast::data::testing::TableDifference;
using ::staycast::testing::IsOk;
using ::staycast::testing::PostgresServer;
using ::staycast::testing::SharedPostgresServer;
using ::staycast::testing::StatusIs;
using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class PostgresTest : public ::testing::Test {
 protected:
  // Each test gets its own schema (cheaper than a database) on the one server of this process,
  // first on the search path, so that unqualified table names land there.
  void SetUp() override {
    StatusOr<PostgresServer*> server = SharedPostgresServer();
    ASSERT_THAT(server, IsOk());
    static int counter = 0;
    const std::string schema = "test_" + std::to_string(++counter);
    base_ = (*server)->uri();
    ExecRaw("CREATE SCHEMA " + schema);
    base_ += "?options=-csearch_path%3D" + schema;
    std::string pattern = (std::filesystem::temp_directory_path() / "pg-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string Uri(const std::string& table) const { return base_ + "&table=" + table; }

  // Runs SQL directly, for fixtures with PostgreSQL types Staycast itself does not write.
  void ExecRaw(const std::string& sql) const {
    PGconn* conn = PQconnectdb(base_.c_str());
    ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(conn);
    ASSERT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) << message;
  }

  std::string base_;
  std::string dir_;  // For files such as CSV fixtures.
};

TEST_F(PostgresTest, RandomTablesRoundTripLosslessly) {
  for (uint64_t seed : {1, 2}) {
    for (size_t rows : {0, 1, 400}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", rows " + std::to_string(rows));
      const Table table = RandomTable(seed, rows);
      const std::string uri = Uri("t" + std::to_string(seed) + "_" + std::to_string(rows));
      ASSERT_OK(WriteTable(table, uri));
      ASSERT_OK_AND_ASSIGN(Table back, ReadTable(uri));
      EXPECT_EQ(TableDifference(table, back), "");
    }
  }
}

TEST_F(PostgresTest, ChunkedWritesAndReadsKeepRowOrder) {
  const Table table = RandomTable(7, 1000);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer,
                       OpenTableWriter(Uri("chunks"), table.schema()));
  for (size_t start = 0; start < table.num_rows(); start += 300) {
    std::vector<size_t> rows;
    for (size_t r = start; r < std::min(start + 300, table.num_rows()); ++r) rows.push_back(r);
    ASSERT_OK(writer->Write(table.Take(rows)));
  }
  ASSERT_OK(writer->Commit());
  ReadOptions options;
  options.chunk_rows = 128;
  ASSERT_OK_AND_ASSIGN(Table back, ReadTable(Uri("chunks"), options));
  EXPECT_EQ(TableDifference(table, back), "");
}

TEST_F(PostgresTest, ACsvFileRoundTripsThroughTheDatabase) {
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

TEST_F(PostgresTest, SchemaQualifiedAndMixedCaseNames) {
  ExecRaw("CREATE SCHEMA s1");
  const Table table = RandomTable(8, 30);
  ASSERT_OK(WriteTable(table, Uri("s1.Admissions")));
  ASSERT_OK_AND_ASSIGN(Table back, ReadTable(Uri("s1.Admissions")));
  EXPECT_EQ(TableDifference(table, back), "");
  EXPECT_THAT(ReadTable(Uri("s1.admissions")),
              StatusIs(StatusCode::kNotFound, HasSubstr("does not exist")));
}

TEST_F(PostgresTest, ReadsAQueryWithTheServersTypes) {
  ExecRaw(
      "CREATE TABLE stays (patient text, ward varchar(20), los numeric(6,2), admitted timestamptz,"
      " day date, urgent boolean, n int, note text);"
      "INSERT INTO stays VALUES"
      " ('p1', 'ICU', 3.5, '2021-03-01 10:00:00+02', '2021-03-01', true, 1, 'NA'),"
      " ('p1', 'ICU', 1.00, '1950-06-01 00:00:00+00', '1950-06-01', false, 2, 'ok'),"
      " ('p2', 'general', NULL, NULL, NULL, NULL, NULL, NULL);"
      "CREATE TABLE patients (id text, sex char(1));"
      "INSERT INTO patients VALUES ('p1', 'F'), ('p2', 'M');");
  ReadOptions options;
  options.query =
      "SELECT p.sex, s.ward, count(*) AS n, avg(s.los) AS mean_los, max(s.admitted) AS last,"
      " min(s.day) AS first_day, bool_or(s.urgent) AS urgent, sum(s.n) AS total,"
      " string_agg(s.note, '|' ORDER BY s.n) AS notes"
      " FROM stays s JOIN patients p ON p.id = s.patient GROUP BY 1, 2 ORDER BY 1;";
  ASSERT_OK_AND_ASSIGN(Table t, ReadTable(base_, options));
  const Schema expected{{{"sex", ColumnType::kCategorical},
                         {"ward", ColumnType::kCategorical},
                         {"n", ColumnType::kNumeric},
                         {"mean_los", ColumnType::kNumeric},
                         {"last", ColumnType::kTimestamp},
                         {"first_day", ColumnType::kTimestamp},
                         {"urgent", ColumnType::kNumeric},
                         {"total", ColumnType::kNumeric},
                         {"notes", ColumnType::kCategorical}}};
  EXPECT_EQ(t.schema(), expected);
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.column(0).CategoryAt(0), "F");
  EXPECT_EQ(t.column(2).numeric()[0], 2.0);
  EXPECT_EQ(t.column(3).numeric()[0], 2.25);
  EXPECT_TRUE(t.column(3).IsMissing(1));
  // Time zones are converted to UTC.
  EXPECT_EQ(t.column(4).timestamps()[0], DaysFromCivil(2021, 3, 1) * kSecondsPerDay + 8 * 3600);
  EXPECT_EQ(t.column(5).timestamps()[0], DaysFromCivil(1950, 6, 1) * kSecondsPerDay);
  EXPECT_TRUE(t.column(5).IsMissing(1));
  EXPECT_EQ(t.column(6).numeric()[0], 1.0);
  EXPECT_EQ(t.column(7).numeric()[0], 3.0);
  EXPECT_EQ(t.column(8).CategoryAt(0), "NA|ok");

  // Text columns of tables Staycast did not write: missing tokens are missing; overrides apply.
  options.query = "SELECT note, n::text AS n_text, 'I10;E11'::text AS dx FROM stays ORDER BY n";
  options.type_overrides = {{"n_text", ColumnType::kNumeric}, {"dx", ColumnType::kStringList}};
  ASSERT_OK_AND_ASSIGN(Table notes, ReadTable(base_, options));
  EXPECT_TRUE(notes.column(0).IsMissing(0));
  EXPECT_EQ(notes.column(0).CategoryAt(1), "ok");
  EXPECT_EQ(notes.column(1).numeric()[1], 2.0);
  EXPECT_EQ(notes.column(2).lists()[0], (std::vector<std::string>{"I10", "E11"}));
}

TEST_F(PostgresTest, AQueryOverAStaycastTableKeepsItsTypes) {
  const Table table = RandomTable(5, 60);
  ASSERT_OK(WriteTable(table, Uri("adm")));
  ReadOptions options;
  options.query = "SELECT * FROM adm";
  ASSERT_OK_AND_ASSIGN(Table all, ReadTable(base_, options));
  EXPECT_EQ(TableDifference(table, all), "");
  options.query = "SELECT diagnoses AS dx, a.ward, \"größe\" * 2 AS twice FROM adm a";
  ASSERT_OK_AND_ASSIGN(Table some, ReadTable(base_, options));
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

TEST_F(PostgresTest, ReplaceOrAlreadyExists) {
  const Table first = RandomTable(1, 5);
  const Table second = RandomTable(2, 9);
  ASSERT_OK(WriteTable(first, Uri("adm")));
  WriteOptions keep;
  keep.replace = false;
  EXPECT_THAT(WriteTable(second, Uri("adm"), keep),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("already exists")));
  ASSERT_OK_AND_ASSIGN(Table still, ReadTable(Uri("adm")));
  EXPECT_EQ(TableDifference(first, still), "");
  ASSERT_OK(WriteTable(second, Uri("adm")));
  ASSERT_OK_AND_ASSIGN(Table replaced, ReadTable(Uri("adm")));
  EXPECT_EQ(TableDifference(second, replaced), "");
}

TEST_F(PostgresTest, NothingIsWrittenWithoutCommit) {
  const Table table = RandomTable(3, 20);
  ASSERT_OK(WriteTable(table, Uri("adm")));
  {
    const Table other = RandomTable(4, 3);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> replacing,
                         OpenTableWriter(Uri("adm"), other.schema()));
    ASSERT_OK(replacing->Write(other));
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> fresh,
                         OpenTableWriter(Uri("fresh"), other.schema()));
    ASSERT_OK(fresh->Write(other));
  }
  ASSERT_OK_AND_ASSIGN(Table still, ReadTable(Uri("adm")));
  EXPECT_EQ(TableDifference(table, still), "");
  EXPECT_THAT(ReadTable(Uri("fresh")),
              StatusIs(StatusCode::kNotFound,
                       AllOf(HasSubstr("table 'fresh'"), HasSubstr("does not exist"))));
}

TEST_F(PostgresTest, AFailedWriteCommitsNothing) {
  Column ward("ward", ColumnType::kCategorical);
  ward.AppendCategory("ICU");
  ward.AppendCategory("bad \xff byte secret");
  Table bad;
  ASSERT_OK(bad.AddColumn(std::move(ward)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer,
                       OpenTableWriter(Uri("adm"), bad.schema()));
  EXPECT_THAT(writer->Write(bad), StatusIs(StatusCode::kInvalidArgument,
                                           AllOf(HasSubstr("column 'ward' row 2"),
                                                 HasSubstr("UTF-8"), Not(HasSubstr("secret")))));
  EXPECT_THAT(writer->Commit(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("nothing was written")));
  writer.reset();
  EXPECT_THAT(ReadTable(Uri("adm")), StatusIs(StatusCode::kNotFound, HasSubstr("does not exist")));
}

TEST_F(PostgresTest, ClearErrors) {
  ASSERT_OK(WriteTable(RandomTable(1, 3), Uri("adm")));
  EXPECT_THAT(
      ReadTable(Uri("nope")),
      StatusIs(StatusCode::kNotFound, AllOf(HasSubstr("127.0.0.1"), HasSubstr("table 'nope'"),
                                            HasSubstr("does not exist"))));
  ReadOptions bad;
  bad.query = "SELEC ward FROM adm";
  EXPECT_THAT(ReadTable(base_, bad),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("query \"SELEC ward"), HasSubstr("syntax error"))));
  bad.query = "SELECT 1; DROP TABLE adm";
  EXPECT_THAT(ReadTable(base_, bad), StatusIs(StatusCode::kInvalidArgument, HasSubstr("multiple")));
  EXPECT_THAT(ReadTable(Uri("adm")), IsOk());
  ExecRaw("CREATE TABLE v (x text); INSERT INTO v VALUES ('1'), ('patient-secret');");
  ReadOptions numeric;
  numeric.type_overrides = {{"x", ColumnType::kNumeric}};
  EXPECT_THAT(
      ReadTable(Uri("v"), numeric),
      StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr("column 'x' row 2: expected a number"),
                                                   Not(HasSubstr("patient-secret")))));
  EXPECT_THAT(ReadTable("postgresql://postgres@127.0.0.1:notaport/x?table=t"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("notaport")));
}

TEST_F(PostgresTest, AnUnreachableServerFailsQuicklyWithoutThePassword) {
  // A port that is bound but not listening refuses connections.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string uri =
      "postgresql://postgres:hunter2@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
      "/x?table=adm";
  EXPECT_THAT(ReadTable(uri),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("cannot connect"), HasSubstr("postgres:***@127.0.0.1"),
                             Not(HasSubstr("hunter2")))));
  EXPECT_THAT(WriteTable(RandomTable(1, 1), uri),
              StatusIs(StatusCode::kUnavailable, Not(HasSubstr("hunter2"))));
  ::close(fd);
}

TEST_F(PostgresTest, TheServerHelperMakesMoreDatabases) {
  ASSERT_OK_AND_ASSIGN(PostgresServer * server, SharedPostgresServer());
  ASSERT_OK(server->CreateDatabase("extra"));
  const Table table = RandomTable(9, 4);
  const std::string uri = server->database_uri("extra") + "?table=adm";
  ASSERT_OK(WriteTable(table, uri));
  ASSERT_OK_AND_ASSIGN(Table back, ReadTable(uri));
  EXPECT_EQ(TableDifference(table, back), "");
  EXPECT_THAT(ReadTable(server->uri() + "?table=adm"), StatusIs(StatusCode::kNotFound, _));
  EXPECT_THAT(server->CreateDatabase("bad name"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("letters, digits")));
}

TEST(PostgresServerTest, MissingBinariesFailWithTheInstallHint) {
  ::setenv("STAYCAST_PG_BINDIR", "/nonexistent/bin", 1);
  StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  ::unsetenv("STAYCAST_PG_BINDIR");
  EXPECT_THAT(server,
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("/nonexistent/bin"), HasSubstr("scripts/install-deps.sh"))));
}

}  // namespace
}  // namespace staycast::data
