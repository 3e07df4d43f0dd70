// Property and error tests for the regression metrics and errors by band.
#include "src/eval/metrics_regression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "src/core/status_matchers.h"

namespace staycast::eval {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RegressionPredictionsTest, RejectsBadInputNamingTheRow) {
  EXPECT_THAT(RegressionPredictions::Create(std::vector<double>{1, 2}, std::vector<double>{1}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("length mismatch: 2 actual values but 1 predictions")));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(
      RegressionPredictions::Create(std::vector<double>{1, 2, 3}, std::vector<double>{1, 2, nan}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("predictions: row 2 is nan")));
  EXPECT_THAT(RegressionPredictions::Create(std::vector<double>{1, nan}, std::vector<double>{1, 2}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("actual values: row 1 is nan")));
  EXPECT_THAT(RegressionPredictions::CreateWithInterval(
                  std::vector<double>{1, 2}, std::vector<double>{1, 2}, std::vector<double>{0, 3},
                  std::vector<double>{2, 2.5}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("row 1 has lower bound 3 above upper bound 2.5")));
  EXPECT_THAT(RegressionPredictions::CreateWithInterval(
                  std::vector<double>{1, 2}, std::vector<double>{1, 2}, std::vector<double>{0},
                  std::vector<double>{2, 2.5}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("interval lower bounds")));
  // Empty bounds mean no interval; one side empty is an error, not a silent drop.
  StatusOr<RegressionPredictions> none = RegressionPredictions::CreateWithInterval(
      std::vector<double>{1, 2}, std::vector<double>{1, 2}, {}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_interval());
  EXPECT_THAT(
      RegressionPredictions::CreateWithInterval(
          std::vector<double>{1, 2}, std::vector<double>{1, 2}, {}, std::vector<double>{2, 3}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("interval lower bounds")));
}

TEST(RegressionMetricsTest, SmallExampleByHand) {
  ASSERT_OK_AND_ASSIGN(RegressionPredictions data,
                       RegressionPredictions::CreateWithInterval(
                           std::vector<double>{1, 3, 10}, std::vector<double>{2, 3, 7},
                           std::vector<double>{0, 2, 8}, std::vector<double>{3, 4, 9}));
  ASSERT_OK_AND_ASSIGN(RegressionMetrics m, ComputeRegressionMetrics(data));
  EXPECT_EQ(m.n, 3U);
  EXPECT_DOUBLE_EQ(m.mae, 4.0 / 3);
  EXPECT_DOUBLE_EQ(m.mse, 10.0 / 3);
  EXPECT_DOUBLE_EQ(m.median_ae, 1.0);
  EXPECT_DOUBLE_EQ(m.bias, -2.0 / 3);
  EXPECT_DOUBLE_EQ(m.coverage, 2.0 / 3);  // 10 is outside [8, 9]
  EXPECT_DOUBLE_EQ(m.mean_width, 2.0);
}

TEST(RegressionMetricsTest, RowCountsEqualRepeatedRows) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> los(1.0, 0.8);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> a, p;
  for (int i = 0; i < 301; ++i) {
    a.push_back(los(rng));
    p.push_back(a.back() + noise(rng));
  }
  ASSERT_OK_AND_ASSIGN(RegressionPredictions data, RegressionPredictions::Create(a, p));
  std::vector<uint32_t> counts(a.size()), rows;
  for (size_t i = 0; i < a.size(); ++i) {
    counts[i] = rng() % 3;
    for (uint32_t k = 0; k < counts[i]; ++k) rows.push_back(static_cast<uint32_t>(i));
  }
  ASSERT_OK_AND_ASSIGN(RegressionPredictions repeated, data.Subset(rows));
  ASSERT_OK_AND_ASSIGN(RegressionMetrics x, ComputeRegressionMetrics(data, counts));
  ASSERT_OK_AND_ASSIGN(RegressionMetrics y, ComputeRegressionMetrics(repeated));
  EXPECT_EQ(x.n, y.n);
  EXPECT_NEAR(x.mae, y.mae, 1e-12);
  EXPECT_NEAR(x.median_ae, y.median_ae, 1e-12);
  EXPECT_NEAR(x.r2, y.r2, 1e-12);
  EXPECT_NEAR(x.bias, y.bias, 1e-12);
  const std::vector<uint32_t> zeros(a.size(), 0);
  EXPECT_THAT(ComputeRegressionMetrics(data, zeros),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no rows counted")));
}

TEST(ErrorsByBandTest, BandsAndValidation) {
  ASSERT_OK_AND_ASSIGN(RegressionPredictions data,
                       RegressionPredictions::Create(std::vector<double>{-1, 0.5, 1.9, 2, 20},
                                                     std::vector<double>{0, 1.5, 1.9, 4, 10}));
  ASSERT_OK_AND_ASSIGN(std::vector<BandErrors> bands, ErrorsByBand(data));
  // A leading band for the value below 0, then the five LOS bands.
  ASSERT_EQ(bands.size(), 6U);
  EXPECT_TRUE(std::isinf(bands[0].lower));
  EXPECT_EQ(bands[0].count, 1U);
  EXPECT_EQ(bands[1].count, 2U);  // [0, 2): 0.5 and 1.9
  EXPECT_DOUBLE_EQ(bands[1].mae, 0.5);
  EXPECT_EQ(bands[2].count, 1U);  // [2, 4): 2
  EXPECT_DOUBLE_EQ(bands[2].bias, 2.0);
  EXPECT_EQ(bands[3].count, 0U);
  EXPECT_TRUE(std::isnan(bands[3].mae));
  EXPECT_EQ(bands[5].count, 1U);  // [14, inf)
  EXPECT_TRUE(std::isinf(bands[5].upper));
  EXPECT_DOUBLE_EQ(bands[5].bias, -10.0);
  EXPECT_THAT(ErrorsByBand(data, {0, 2, 2}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("edge 2 (2)")));
  EXPECT_THAT(ErrorsByBand(data, {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no band edges")));
}

}  // namespace
}  // namespace staycast::eval
