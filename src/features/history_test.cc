// Tests for the point-in-time history engine on small hand-made stays.
#include "src/features/history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace staycast::features {
namespace {

using ::testing::ElementsAre;

constexpr Timestamp kDay = kSecondsPerDay;

// One patient (entity 0) with four stays given as (admit day, discharge day), plus an unrelated
// patient (entity 1) and a row with no entity.
struct Stays {
  std::vector<int32_t> entity = {0, 0, 0, 0, 1, -1};
  std::vector<Timestamp> admit = {0 * kDay, 10 * kDay, 12 * kDay, 400 * kDay, 11 * kDay, 5 * kDay};
  // Stay 1 (day 10..20) overlaps stay 2 (day 12..13).
  std::vector<Timestamp> discharge = {5 * kDay,   20 * kDay, 13 * kDay,
                                      402 * kDay, 15 * kDay, 6 * kDay};
  std::vector<double> los = {5, 10, 1, 2, 4, 1};
};

std::vector<double> History(HistoryOp op, const Stays& s, const std::vector<Timestamp>& prediction,
                            const std::vector<Timestamp>& known, double window_days = 0,
                            double fill = -1) {
  HistoryRows rows{s.entity, prediction};
  HistoryFacts facts{known, s.los};
  std::vector<double> out;
  ComputeHistory(op, rows, facts, window_days * kDay, fill, &out);
  return out;
}

TEST(HistoryTest, CountsPreviousAdmissionsKnownStrictlyBefore) {
  Stays s;
  const auto out = History(HistoryOp::kCount, s, s.admit, KnownTimes(s.admit, s.admit, 0));
  EXPECT_THAT(out, ElementsAre(0, 1, 2, 3, 0, 0));
  const auto windowed =
      History(HistoryOp::kCount, s, s.admit, KnownTimes(s.admit, s.admit, 0), /*window_days=*/365);
  EXPECT_THAT(windowed, ElementsAre(0, 1, 2, 0, 0, 0));
  const auto first = History(HistoryOp::kFirstVisit, s, s.admit, KnownTimes(s.admit, s.admit, 0));
  EXPECT_THAT(first, ElementsAre(1, 0, 0, 0, 1, 1));
}

TEST(HistoryTest, PastLengthOfStayIsKnownOnlyAtItsDischarge) {
  Stays s;
  const auto known = KnownTimes(s.admit, s.discharge, 0);
  // At admission of stay 2 (day 12), stay 1 (discharged day 20) is still running: only stay 0.
  EXPECT_THAT(History(HistoryOp::kMean, s, s.admit, known),
              ElementsAre(-1, 5, 5, 16.0 / 3, -1, -1));
  EXPECT_THAT(History(HistoryOp::kMax, s, s.admit, known), ElementsAre(-1, 5, 5, 10, -1, -1));
  EXPECT_THAT(History(HistoryOp::kMin, s, s.admit, known), ElementsAre(-1, 5, 5, 1, -1, -1));
  EXPECT_THAT(History(HistoryOp::kSum, s, s.admit, known), ElementsAre(-1, 5, 5, 16, -1, -1));
  // Last by discharge time: before day 400 the latest discharge is stay 1's (day 20).
  EXPECT_THAT(History(HistoryOp::kLast, s, s.admit, known), ElementsAre(-1, 5, 5, 10, -1, -1));
}

TEST(HistoryTest, PredictionAtDischargeExcludesTheRowItself) {
  Stays s;
  // Predicting at discharge: the row's own admission and its own length of stay must not count.
  EXPECT_THAT(History(HistoryOp::kCount, s, s.discharge, KnownTimes(s.admit, s.admit, 0)),
              ElementsAre(0, 2, 2, 3, 0, 0));
  const auto known = KnownTimes(s.admit, s.discharge, 0);
  EXPECT_THAT(History(HistoryOp::kMean, s, s.discharge, known),
              ElementsAre(-1, 3, 5, 16.0 / 3, -1, -1));
  EXPECT_THAT(History(HistoryOp::kMax, s, s.discharge, known), ElementsAre(-1, 5, 5, 10, -1, -1));
  EXPECT_THAT(History(HistoryOp::kLast, s, s.discharge, known), ElementsAre(-1, 1, 5, 10, -1, -1));
}

TEST(HistoryTest, DaysSinceLastDischargeAndOffsets) {
  Stays s;
  const auto since =
      History(HistoryOp::kDaysSince, s, s.admit, KnownTimes(s.admit, s.discharge, 0));
  EXPECT_THAT(since, ElementsAre(-1, 5, 7, 380, -1, -1));
  // A readmission flag known 30 days after discharge: at day 400 all three earlier stays count;
  // at day 12, none (stay 0's flag is known at day 35).
  const auto later = KnownTimes(s.admit, s.discharge, 30 * kDay);
  EXPECT_THAT(History(HistoryOp::kSum, s, s.admit, later, 0, 0), ElementsAre(0, 0, 0, 16, 0, 0));
}

TEST(HistoryTest, MissingValuesAndTimesAreNotFacts) {
  Stays s;
  s.los[0] = std::nan("");
  std::vector<Timestamp> discharge = s.discharge;
  discharge[1] = kMissingTime;
  const auto known = KnownTimes(s.admit, discharge, 0);
  EXPECT_THAT(History(HistoryOp::kMean, s, s.admit, known), ElementsAre(-1, -1, -1, 1, -1, -1));
  std::vector<Timestamp> prediction = s.admit;
  prediction[3] = kMissingTime;
  EXPECT_THAT(History(HistoryOp::kCount, s, prediction, KnownTimes(s.admit, s.admit, 0)),
              ElementsAre(0, 1, 2, 0, 0, 0));
}

}  // namespace
}  // namespace staycast::features
