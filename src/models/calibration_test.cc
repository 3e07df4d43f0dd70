// Tests for isotonic and Platt calibration and the cross-fitted choice between them.
#include "src/models/calibration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "src/core/status_matchers.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

struct Scored {
  std::vector<double> scores;
  std::vector<double> labels;
};

// Labels from a true probability; scores are an overconfident, shifted version of it.
Scored MakeMiscalibrated(size_t n, uint64_t seed, double stretch, double shift) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(-1.2, 1.0);
  std::uniform_real_distribution<double> unif(0, 1);
  Scored s;
  for (size_t i = 0; i < n; ++i) {
    const double z = normal(rng);
    s.labels.push_back(unif(rng) < 1 / (1 + std::exp(-z)) ? 1.0 : 0.0);
    s.scores.push_back(1 / (1 + std::exp(-(stretch * z + shift))));
  }
  return s;
}

TEST(Calibration, ChosenCalibratorLowersBrierAndFixesTheSlope) {
  const Scored cal = MakeMiscalibrated(4000, 11, 2.5, 0.8);
  const Scored fresh = MakeMiscalibrated(20000, 12, 2.5, 0.8);
  ASSERT_OK_AND_ASSIGN(CalibrationChoice choice, ChooseCalibrator(cal.scores, cal.labels));
  EXPECT_LT(choice.brier_platt, choice.brier_uncalibrated);
  EXPECT_LT(choice.brier_isotonic, choice.brier_uncalibrated);
  const std::vector<double> calibrated = choice.calibrator.Apply(fresh.scores);
  EXPECT_LT(BrierScore(fresh.labels, calibrated), BrierScore(fresh.labels, fresh.scores));
  ASSERT_OK_AND_ASSIGN(CalibrationLine raw, FitCalibrationLine(fresh.labels, fresh.scores));
  ASSERT_OK_AND_ASSIGN(CalibrationLine after, FitCalibrationLine(fresh.labels, calibrated));
  EXPECT_LT(raw.slope, 0.6);  // the scores are overconfident: slope ~ 1 / 2.5
  EXPECT_NEAR(after.slope, 1.0, 0.1);
  EXPECT_NEAR(after.intercept, 0.0, 0.15);
}

TEST(Calibration, BothMethodsCalibrateOnTheirOwn) {
  const Scored cal = MakeMiscalibrated(4000, 21, 0.5, -0.5);  // underconfident this time
  const Scored fresh = MakeMiscalibrated(20000, 22, 0.5, -0.5);
  for (auto fit : {&Calibrator::FitIsotonic, &Calibrator::FitPlatt}) {
    ASSERT_OK_AND_ASSIGN(Calibrator c, fit(cal.scores, cal.labels));
    const std::vector<double> p = c.Apply(fresh.scores);
    EXPECT_LT(BrierScore(fresh.labels, p), BrierScore(fresh.labels, fresh.scores))
        << CalibrationMethodName(c.method());
    ASSERT_OK_AND_ASSIGN(CalibrationLine line, FitCalibrationLine(fresh.labels, p));
    EXPECT_NEAR(line.slope, 1.0, 0.15) << CalibrationMethodName(c.method());
  }
}

TEST(Calibration, IsotonicIsMonotoneAndWithinRange) {
  const Scored cal = MakeMiscalibrated(2000, 31, 1.7, 0.3);
  ASSERT_OK_AND_ASSIGN(Calibrator c, Calibrator::FitIsotonic(cal.scores, cal.labels));
  double previous = -1;
  for (int i = 0; i <= 1000; ++i) {
    const double p = c.Apply(i / 1000.0);
    EXPECT_GE(p, previous);
    EXPECT_GE(p, 0.001);  // never exactly 0 or 1
    EXPECT_LE(p, 0.999);
    previous = p;
  }
  // A perfectly ordered toy case: PAV pools the violators (0.2, 0.3) into their mean; the pure
  // blocks at the ends (0 and 1) are kept inside [0.001, 0.999].
  ASSERT_OK_AND_ASSIGN(Calibrator toy, Calibrator::FitIsotonic({0.1, 0.2, 0.3, 0.4}, {0, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(toy.Apply(0.1), 0.001);
  EXPECT_DOUBLE_EQ(toy.Apply(0.25), 0.5);
  EXPECT_DOUBLE_EQ(toy.Apply(0.4), 0.999);
  EXPECT_DOUBLE_EQ(toy.Apply(0.9), 0.999);  // flat outside the knots
}

TEST(Calibration, JsonRoundTripGivesIdenticalOutput) {
  const Scored cal = MakeMiscalibrated(1000, 41, 2.0, 0.5);
  for (auto fit : {&Calibrator::FitIsotonic, &Calibrator::FitPlatt}) {
    ASSERT_OK_AND_ASSIGN(Calibrator c, fit(cal.scores, cal.labels));
    ASSERT_OK_AND_ASSIGN(Calibrator back,
                         Calibrator::FromJson(nlohmann::json::parse(c.ToJson().dump())));
    EXPECT_EQ(back.method(), c.method());
    EXPECT_EQ(back.Apply(cal.scores), c.Apply(cal.scores));
  }
  EXPECT_THAT(Calibrator::FromJson({{"method", "beta"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'isotonic' or 'platt'")));
  EXPECT_THAT(Calibrator::FromJson({{"method", "isotonic"}, {"x", {0.5, 0.1}}, {"y", {0, 1}}}),
              StatusIs(StatusCode::kDataLoss, HasSubstr("knots not increasing")));
  EXPECT_THAT(Calibrator::FromJson({{"method", "platt"}}),
              StatusIs(StatusCode::kDataLoss, HasSubstr("malformed calibrator")));
}

TEST(Calibration, BadInputsAreNamed) {
  EXPECT_THAT(ChooseCalibrator({0.1, 0.2, 0.3}, {0, 0, 0}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("only class 0 in its 3 rows")));
  EXPECT_THAT(
      Calibrator::FitPlatt({0.1, 1.5}, {0, 1}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("at row 1 is not a probability in [0, 1]")));
  EXPECT_THAT(Calibrator::FitPlatt({}, {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("calibration slice is empty")));
  EXPECT_THAT(ChooseCalibrator({0.1, 0.2, 0.3, 0.9}, {0, 0, 1, 1}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("2 positives and 2 negatives; each class needs at least 5")));
}

}  // namespace
}  // namespace staycast::models
