// Scale tests for the SQL sources and sinks: 100,000 random rows through SQLite and PostgreSQL and
// back, losslessly. Labelled slow (seconds under AddressSanitizer); the Release suite runs them.
#include <unistd.h>

#include <filesystem>

#include "src/core/status_matchers.h"
#include "src/data/io.h"
#include "src/data/sql_test_util.h"
#include "tests/support/postgres_server.h"

namespace staycast::data {
namespace {

using ::staycast::data::testing::RandomTable;
using ::staycast::data::testing::TableDifference;
using ::staycast::testing::IsOk;
using ::staycast::testing::PostgresServer;
using ::staycast::testing::SharedPostgresServer;

constexpr size_t kRows = 100000;

TEST(SqlScaleTest, HundredThousandRowsThroughSqlite) {
  std::string dir = (std::filesystem::temp_directory_path() / "sqlite-scale-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  const std::string uri = "sqlite:" + dir + "/big.db?table=big";
  const Table table = RandomTable(11, kRows);
  EXPECT_OK(WriteTable(table, uri));
  StatusOr<Table> back = ReadTable(uri);
  std::filesystem::remove_all(dir);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(TableDifference(table, *back), "");
}

TEST(SqlScaleTest, HundredThousandRowsThroughPostgres) {
  StatusOr<PostgresServer*> server = SharedPostgresServer();
  ASSERT_THAT(server, IsOk());
  const std::string uri = (*server)->uri() + "?table=big";
  const Table table = RandomTable(11, kRows);
  ASSERT_OK(WriteTable(table, uri));
  ASSERT_OK_AND_ASSIGN(Table back, ReadTable(uri));
  EXPECT_EQ(TableDifference(table, back), "");
}

}  // namespace
}  // namespace staycast::data
