// Tests for location parsing.
#include "src/data/io.h"

#include "src/core/status_matchers.h"

namespace staycast::data {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

TEST(LocationTest, ParsesEachKind) {
  ASSERT_OK_AND_ASSIGN(Location csv, ParseLocation("data/a.csv"));
  EXPECT_EQ(csv.kind, LocationKind::kCsv);
  EXPECT_EQ(csv.target, "data/a.csv");
  ASSERT_OK_AND_ASSIGN(Location csv2, ParseLocation("csv:b.txt"));
  EXPECT_EQ(csv2.target, "b.txt");
  ASSERT_OK_AND_ASSIGN(Location lite, ParseLocation("sqlite:x.db?table=admissions"));
  EXPECT_EQ(lite.kind, LocationKind::kSqlite);
  EXPECT_EQ(lite.target, "x.db");
  EXPECT_EQ(lite.table, "admissions");
  ASSERT_OK_AND_ASSIGN(Location pg,
                       ParseLocation("postgresql://u@127.0.0.1:5433/db?sslmode=disable&table=adm"));
  EXPECT_EQ(pg.kind, LocationKind::kPostgres);
  EXPECT_EQ(pg.target, "postgresql://u@127.0.0.1:5433/db?sslmode=disable");
  EXPECT_EQ(pg.table, "adm");
}

TEST(LocationTest, RejectsBadLocations) {
  EXPECT_THAT(ParseLocation(""), StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ParseLocation("sqlite:x.db?table=a;drop"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("may only contain")));
  EXPECT_THAT(ReadTable("sqlite:x.db"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("?table=")));
}

}  // namespace
}  // namespace staycast::data
