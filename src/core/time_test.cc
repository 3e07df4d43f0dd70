// Tests for timestamp parsing and formatting.
#include "src/core/time.h"

#include <random>

#include "src/core/status_matchers.h"

namespace staycast {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

Timestamp Parse(const char* s) {
  Timestamp t = 0;
  EXPECT_TRUE(ParseTimestamp(s, &t)) << s;
  return t;
}

TEST(TimeTest, AcceptsDatesAndIsoForms) {
  EXPECT_EQ(Parse("1970-01-01"), 0);
  EXPECT_EQ(Parse("1970-01-02"), kSecondsPerDay);
  EXPECT_EQ(Parse("2020-03-01 12:30:15"), Parse("2020-03-01T12:30:15Z"));
  EXPECT_EQ(Parse("2020-03-01T12:30"), Parse("2020-03-01 12:30:00"));
  EXPECT_EQ(Parse("2020-03-01T14:30:15+02:00"), Parse("2020-03-01T12:30:15Z"));
  EXPECT_EQ(Parse("2020-03-01T10:30:15-0200"), Parse("2020-03-01T12:30:15Z"));
  EXPECT_EQ(Parse("2020-03-01 12:30:15.987"), Parse("2020-03-01 12:30:15"));
  EXPECT_EQ(Parse("2024-02-29"), Parse("2024-03-01") - kSecondsPerDay);
  EXPECT_EQ(Parse("1969-12-31 23:59:59"), -1);
}

TEST(TimeTest, RejectsMalformedText) {
  Timestamp t = 0;
  for (const char* bad :
       {"", "2020", "2020-13-01", "2023-02-29", "2020-01-01X", "01/02/2020", "2020-01-01 25:00",
        "2020-01-01T10:00+5", "forty", "2020-01-01T10:00:00ZZ"}) {
    EXPECT_FALSE(ParseTimestamp(bad, &t)) << bad;
  }
  EXPECT_THAT(ParseTimestampOrError("forty"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"forty\"")));
}

TEST(TimeTest, FormatRoundTripsForRandomTimes) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> dist(-2'000'000'000LL, 6'000'000'000LL);
  for (int i = 0; i < 2000; ++i) {
    const Timestamp t = dist(rng);
    EXPECT_EQ(Parse(FormatTimestamp(t).c_str()), t);
  }
  EXPECT_EQ(FormatTimestamp(Parse("2021-07-04 08:09:10")), "2021-07-04 08:09:10");
  EXPECT_EQ(FormatTimestamp(Parse("2021-07-04"), /*date_only=*/true), "2021-07-04");
}

TEST(TimeTest, CivilPartsIncludeWeekday) {
  const CivilTime c = ToCivil(Parse("2026-12-03 13:51:00"));  // a Thursday
  EXPECT_EQ(c.year, 2026);
  EXPECT_EQ(c.month, 12u);
  EXPECT_EQ(c.day, 3u);
  EXPECT_EQ(c.hour, 13u);
  EXPECT_EQ(c.weekday, 3u);
  EXPECT_EQ(ToCivil(Parse("1969-12-28")).weekday, 6u);  // a Sunday, before the epoch
}

}  // namespace
}  // namespace staycast
