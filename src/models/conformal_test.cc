// Tests for split-conformal intervals: coverage on fresh data, adaptive width, persistence.
#include "src/models/conformal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "src/core/status_matchers.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

struct Hetero {
  Matrix x;
  std::vector<double> y;
  std::vector<double> pred;   // the true conditional mean, as a point model would predict
  std::vector<double> noise;  // the true noise sd
};

// y = 2 + 3 x0 + (0.2 + 2 x0) * N(0, 1), x0 ~ U(0, 1); x1 is irrelevant.
Hetero MakeHetero(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unif(0, 1);
  std::normal_distribution<double> normal(0, 1);
  Hetero h;
  h.x.rows = n;
  h.x.cols = 2;
  h.x.feature_names = {"x0", "x1"};
  for (size_t i = 0; i < n; ++i) {
    const double x0 = unif(rng);
    h.x.values.push_back(static_cast<float>(x0));
    h.x.values.push_back(static_cast<float>(unif(rng)));
    h.pred.push_back(2 + 3 * x0);
    h.noise.push_back(0.2 + 2 * x0);
    h.y.push_back(h.pred.back() + h.noise.back() * normal(rng));
  }
  return h;
}

double MeanWidth(const Intervals& in, const Hetero& h, bool low_noise) {
  double sum = 0;
  size_t n = 0;
  for (size_t i = 0; i < h.y.size(); ++i) {
    if ((h.x.at(i, 0) < 0.2F) == low_noise && (h.x.at(i, 0) > 0.8F) != low_noise) {
      sum += in.upper[i] - in.lower[i];
      ++n;
    }
  }
  return sum / n;
}

TEST(Conformal, AdaptiveIntervalsCoverFreshDataAndFollowTheNoise) {
  const Hetero cal = MakeHetero(4000, 1);
  const Hetero fresh = MakeHetero(20000, 2);
  for (const std::string scale : {"gradient_boosting", "ridge"}) {
    ConformalOptions options;
    options.scale_model = scale;
    options.seed = 3;
    ASSERT_OK_AND_ASSIGN(ConformalIntervals ci,
                         ConformalIntervals::Fit(cal.x, cal.y, cal.pred, options));
    EXPECT_EQ(ci.calibration_size(), 2000u);
    EXPECT_EQ(ci.scale_fit_size(), 2000u);
    EXPECT_GE(ci.achieved_coverage(), 0.9);
    ASSERT_OK_AND_ASSIGN(Intervals in, ci.Predict(fresh.x, fresh.pred));
    EXPECT_NEAR(ConformalIntervals::Coverage(in, fresh.y), 0.9, 0.02) << scale;
    // Narrower where the noise is low (x0 < 0.2) than where it is high (x0 > 0.8).
    EXPECT_LT(MeanWidth(in, fresh, true) * 2, MeanWidth(in, fresh, false)) << scale;
  }
}

TEST(Conformal, ConstantWidthAndProvidedScale) {
  const Hetero cal = MakeHetero(3000, 4);
  const Hetero fresh = MakeHetero(20000, 5);
  ConformalOptions options;
  options.scale_model = "none";
  ASSERT_OK_AND_ASSIGN(ConformalIntervals flat,
                       ConformalIntervals::Fit(cal.x, cal.y, cal.pred, options));
  EXPECT_EQ(flat.calibration_size(), 3000u);
  ASSERT_OK_AND_ASSIGN(Intervals in, flat.Predict(fresh.x, fresh.pred));
  EXPECT_NEAR(ConformalIntervals::Coverage(in, fresh.y), 0.9, 0.02);
  EXPECT_DOUBLE_EQ(in.upper[0] - in.lower[0], in.upper[1] - in.lower[1]);

  options.coverage = 0.8;
  ASSERT_OK_AND_ASSIGN(ConformalIntervals oracle,
                       ConformalIntervals::FitWithScale(cal.y, cal.pred, cal.noise, options));
  ASSERT_OK_AND_ASSIGN(Intervals oin, oracle.PredictWithScale(fresh.pred, fresh.noise));
  EXPECT_NEAR(ConformalIntervals::Coverage(oin, fresh.y), 0.8, 0.02);
  EXPECT_THAT(oracle.Predict(fresh.x, fresh.pred),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("use PredictWithScale")));
}

TEST(Conformal, JsonRoundTripGivesIdenticalIntervals) {
  const Hetero cal = MakeHetero(1000, 6);
  const Hetero fresh = MakeHetero(500, 7);
  ConformalOptions options;
  options.lower_bound = 0;
  ASSERT_OK_AND_ASSIGN(ConformalIntervals ci,
                       ConformalIntervals::Fit(cal.x, cal.y, cal.pred, options));
  ASSERT_OK_AND_ASSIGN(nlohmann::json j, ci.ToJson());
  ASSERT_OK_AND_ASSIGN(ConformalIntervals back,
                       ConformalIntervals::FromJson(nlohmann::json::parse(j.dump())));
  ASSERT_OK_AND_ASSIGN(Intervals a, ci.Predict(fresh.x, fresh.pred));
  ASSERT_OK_AND_ASSIGN(Intervals b, back.Predict(fresh.x, fresh.pred));
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
  EXPECT_EQ(back.quantile(), ci.quantile());
  EXPECT_EQ(back.calibration_size(), ci.calibration_size());
  for (double l : a.lower) EXPECT_GE(l, 0);
  j.erase("scale_model");
  EXPECT_THAT(ConformalIntervals::FromJson(j),
              StatusIs(StatusCode::kDataLoss, HasSubstr("do not contain it")));
}

TEST(Conformal, TooFewRowsOrBadCoverage) {
  const Hetero cal = MakeHetero(12, 8);
  ConformalOptions options;
  options.scale_model = "none";
  options.coverage = 0.95;
  EXPECT_THAT(ConformalIntervals::Fit(cal.x, cal.y, cal.pred, options),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("12 calibration rows are too few for coverage 0.95")));
  options.coverage = 1.0;
  EXPECT_THAT(ConformalIntervals::Fit(cal.x, cal.y, cal.pred, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("coverage must be in (0, 1)")));
  options.coverage = 0.9;
  std::vector<double> short_pred(cal.pred.begin(), cal.pred.end() - 1);
  EXPECT_THAT(ConformalIntervals::Fit(cal.x, cal.y, short_pred, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("11 predictions for 12")));
}

}  // namespace
}  // namespace staycast::models
