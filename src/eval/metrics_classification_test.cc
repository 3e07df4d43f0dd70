// Property and error tests for the classification and threshold metrics on seeded random data.
#include "src/eval/metrics_classification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "src/core/status_matchers.h"
#include "src/eval/metrics_test_util.h"
#include "src/eval/metrics_threshold.h"

namespace staycast::eval {
namespace {

using ::staycast::eval::testing::CalibratedBinary;
using ::staycast::eval::testing::RandomBinary;
using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

TEST(BinaryPredictionsTest, RefusesHardLabelsUnlessAllowed) {
  const std::vector<double> y = {0, 1, 1, 0}, labels = {0, 1, 0, 0};
  EXPECT_THAT(BinaryPredictions::Create(y, labels),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("look like hard class labels")));
  EXPECT_THAT(BinaryPredictions::Create(y, labels),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("predict_proba")));
  EXPECT_OK(BinaryPredictions::Create(y, labels, {.hard_labels = HardLabelPolicy::kAllow}));
  // One probability strictly between 0 and 1 is enough to be accepted.
  EXPECT_OK(BinaryPredictions::Create(y, std::vector<double>{0, 1, 0.5, 0}));
}

TEST(BinaryPredictionsTest, RejectsBadInputNamingTheRow) {
  EXPECT_THAT(
      BinaryPredictions::Create(std::vector<double>{0, 1, 1}, std::vector<double>{0.1, 0.2}),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("length mismatch: 3 outcomes but 2 predicted probabilities")));
  EXPECT_THAT(BinaryPredictions::Create(std::vector<double>{}, std::vector<double>{}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no rows")));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(BinaryPredictions::Create(std::vector<double>{0, 1}, std::vector<double>{0.3, nan}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("row 1 is nan")));
  EXPECT_THAT(
      BinaryPredictions::Create(std::vector<double>{0, 1}, std::vector<double>{0.3, 1.5}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("row 1 is 1.5, expected a probability")));
  EXPECT_THAT(
      BinaryPredictions::Create(std::vector<double>{0, 2}, std::vector<double>{0.3, 0.5}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("outcomes: row 1 is 2, expected 0 or 1")));
  EXPECT_THAT(BinaryPredictions::Create(std::vector<double>{nan, 1}, std::vector<double>{0.3, 0.5}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("outcomes: row 0 is nan")));
}

TEST(ClassificationMetricsTest, SingleClassIsAnErrorWithAReason) {
  ASSERT_OK_AND_ASSIGN(
      BinaryPredictions none,
      BinaryPredictions::Create(std::vector<double>{0, 0, 0}, std::vector<double>{0.1, 0.5, 0.2}));
  EXPECT_THAT(RocAuc(none), StatusIs(StatusCode::kFailedPrecondition,
                                     HasSubstr("ROC-AUC is undefined: the outcomes contain only "
                                               "one class (all 0)")));
  EXPECT_THAT(AveragePrecision(none),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no positive outcome")));
  EXPECT_THAT(FitLogisticCalibration(none),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("only one class")));
  EXPECT_THAT(ChooseThresholdMaxF1(none),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no positive outcome")));
  ASSERT_OK_AND_ASSIGN(
      BinaryPredictions all,
      BinaryPredictions::Create(std::vector<double>{1, 1}, std::vector<double>{0.1, 0.5}));
  EXPECT_THAT(RocAuc(all), StatusIs(StatusCode::kFailedPrecondition, HasSubstr("(all 1)")));
  ASSERT_OK_AND_ASSIGN(double ap, AveragePrecision(all));
  EXPECT_DOUBLE_EQ(ap, 1.0);
}

TEST(ClassificationMetricsTest, RejectsRowCountsOfTheWrongLength) {
  const auto s = RandomBinary(10, 0.5, 1);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  const std::vector<uint32_t> counts(9, 1);
  EXPECT_THAT(RocAuc(data, counts),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("9 entries for 10 rows")));
}

TEST(ClassificationMetricsTest, AucPropertiesOnRandomData) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto s = RandomBinary(200, 0.05 + 0.04 * seed, seed);
    ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
    ASSERT_OK_AND_ASSIGN(double auc, RocAuc(data));
    EXPECT_GE(auc, 0.0);
    EXPECT_LE(auc, 1.0);
    std::vector<double> flipped;
    for (double p : s.p) flipped.push_back(1.0 - p);
    ASSERT_OK_AND_ASSIGN(BinaryPredictions reversed, BinaryPredictions::Create(s.y, flipped));
    ASSERT_OK_AND_ASSIGN(double auc_reversed, RocAuc(reversed));
    EXPECT_NEAR(auc_reversed, 1.0 - auc, 1e-12);
    ASSERT_OK_AND_ASSIGN(double ap, AveragePrecision(data));
    EXPECT_GT(ap, 0.0);
    EXPECT_LE(ap, 1.0);
    EXPECT_GE(BrierScore(data), 0.0);
  }
}

TEST(ClassificationMetricsTest, PerfectScores) {
  const std::vector<double> y = {0, 1, 0, 1, 1, 0};
  ASSERT_OK_AND_ASSIGN(
      BinaryPredictions ranked,
      BinaryPredictions::Create(y, std::vector<double>{0.1, 0.9, 0.2, 0.8, 0.7, 0.3}));
  EXPECT_DOUBLE_EQ(*RocAuc(ranked), 1.0);
  EXPECT_DOUBLE_EQ(*AveragePrecision(ranked), 1.0);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions exact,
                       BinaryPredictions::Create(y, y, {.hard_labels = HardLabelPolicy::kAllow}));
  EXPECT_DOUBLE_EQ(BrierScore(exact), 0.0);
  EXPECT_NEAR(LogLoss(exact), -std::log(1 - kLogLossEpsilon), 1e-18);
}

TEST(ClassificationMetricsTest, RowCountsEqualRepeatedRows) {
  const auto s = RandomBinary(300, 0.2, 7);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  std::mt19937_64 rng(7);
  std::vector<uint32_t> counts(s.y.size()), rows;
  for (size_t i = 0; i < counts.size(); ++i) {
    counts[i] = rng() % 4;
    for (uint32_t k = 0; k < counts[i]; ++k) rows.push_back(static_cast<uint32_t>(i));
  }
  ASSERT_OK_AND_ASSIGN(BinaryPredictions repeated, data.Subset(rows));
  EXPECT_NEAR(*RocAuc(data, counts), *RocAuc(repeated), 1e-12);
  EXPECT_NEAR(*AveragePrecision(data, counts), *AveragePrecision(repeated), 1e-12);
  EXPECT_NEAR(BrierScore(data, counts), BrierScore(repeated), 1e-12);
  EXPECT_NEAR(LogLoss(data, counts), LogLoss(repeated), 1e-12);
  ASSERT_OK_AND_ASSIGN(LogisticCalibration a, FitLogisticCalibration(data, counts));
  ASSERT_OK_AND_ASSIGN(LogisticCalibration b, FitLogisticCalibration(repeated));
  EXPECT_NEAR(a.slope, b.slope, 1e-9);
  EXPECT_NEAR(a.intercept, b.intercept, 1e-9);
}

TEST(ClassificationMetricsTest, CalibrationOfCalibratedAndOverconfidentModels) {
  const auto s = CalibratedBinary(20000, 11);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  ASSERT_OK_AND_ASSIGN(LogisticCalibration fit, FitLogisticCalibration(data));
  EXPECT_NEAR(fit.slope, 1.0, 0.1);
  EXPECT_NEAR(fit.intercept, 0.0, 0.1);
  EXPECT_NEAR(fit.intercept_in_the_large, 0.0, 0.1);
  ASSERT_OK_AND_ASSIGN(CalibrationCurve curve, ComputeCalibrationCurve(data));
  EXPECT_LT(curve.ece, 0.03);
  // Doubling every logit makes predictions too extreme: the slope halves.
  std::vector<double> extreme;
  for (double p : s.p) extreme.push_back(1 / (1 + std::pow((1 - p) / p, 2.0)));
  ASSERT_OK_AND_ASSIGN(BinaryPredictions over, BinaryPredictions::Create(s.y, extreme));
  ASSERT_OK_AND_ASSIGN(LogisticCalibration over_fit, FitLogisticCalibration(over));
  EXPECT_NEAR(over_fit.slope, 0.5, 0.05);
  ASSERT_OK_AND_ASSIGN(CalibrationCurve over_curve, ComputeCalibrationCurve(over));
  EXPECT_GT(over_curve.ece, curve.ece);
  EXPECT_THAT(ComputeCalibrationCurve(data, 0),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("calibration bins: 0")));
}

TEST(ThresholdMetricsTest, ThresholdChoicesMatchBruteForce) {
  const auto s = RandomBinary(400, 0.1, 5, 2.0);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  double best_f1 = -1, best_nb = 0;
  const double pt = 0.15;
  for (double t : s.p) {
    const ThresholdMetrics m = EvaluateAtThreshold(data, t);
    best_f1 = std::max(best_f1, m.positive.f1);
    best_nb = std::max(best_nb, NetBenefit(m.confusion, pt));
  }
  ASSERT_OK_AND_ASSIGN(ThresholdChoice f1, ChooseThresholdMaxF1(data));
  EXPECT_NEAR(f1.value, best_f1, 1e-12);
  EXPECT_NEAR(f1.metrics.positive.f1, best_f1, 1e-12);
  ASSERT_OK_AND_ASSIGN(ThresholdChoice nb, ChooseThresholdMaxNetBenefit(data, pt));
  EXPECT_NEAR(nb.value, best_nb, 1e-12);
  EXPECT_NEAR(NetBenefit(nb.metrics.confusion, pt), best_nb, 1e-12);

  ASSERT_OK_AND_ASSIGN(ThresholdChoice sens, ChooseThresholdForSensitivity(data, 0.8));
  EXPECT_GE(sens.metrics.sensitivity, 0.8);
  // Any higher threshold falls short of the target.
  for (double t : s.p) {
    if (t > sens.threshold) {
      EXPECT_LT(EvaluateAtThreshold(data, t).sensitivity, 0.8);
    }
  }
  EXPECT_THAT(ChooseThresholdForSensitivity(data, 1.5),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("outside (0, 1]")));
  EXPECT_THAT(ChooseThresholdMaxNetBenefit(data, 1.0),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("outside (0, 1)")));
}

TEST(ThresholdMetricsTest, NetBenefitBelowZeroEverywhereTreatsNobody) {
  // Scores carry no information and the exchange rate is steep: nobody should be treated.
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data,
                       BinaryPredictions::Create(std::vector<double>{0, 1, 0, 0},
                                                 std::vector<double>{0.9, 0.1, 0.8, 0.7}));
  ASSERT_OK_AND_ASSIGN(ThresholdChoice nb, ChooseThresholdMaxNetBenefit(data, 0.5));
  EXPECT_TRUE(std::isinf(nb.threshold));
  EXPECT_EQ(nb.value, 0.0);
  EXPECT_EQ(nb.metrics.confusion.tp + nb.metrics.confusion.fp, 0U);
}

TEST(DecisionCurveTest, ModelTreatAllAndTreatNone) {
  const auto s = RandomBinary(500, 0.15, 3, 1.5);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  ASSERT_OK_AND_ASSIGN(std::vector<DecisionCurvePoint> curve, DecisionCurve(data));
  ASSERT_EQ(curve.size(), 99U);
  const double prevalence = Prevalence(data);
  for (const DecisionCurvePoint& pt : curve) {
    EXPECT_EQ(pt.treat_none, 0.0);
    const double odds = pt.threshold / (1 - pt.threshold);
    EXPECT_NEAR(pt.treat_all, prevalence - (1 - prevalence) * odds, 1e-12);
    EXPECT_NEAR(pt.model, NetBenefit(ConfusionAt(data, pt.threshold), pt.threshold), 1e-12);
  }
  EXPECT_NEAR(curve.front().threshold, 0.01, 1e-12);
  EXPECT_NEAR(curve.back().threshold, 0.99, 1e-12);
  EXPECT_THAT(DecisionCurve(data, {.from = 0.0, .to = 0.5, .step = 0.1}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("outside (0, 1)")));
}

TEST(ThresholdMetricsTest, AlwaysNegativeHasHighAccuracyAndNoSkill) {
  // The story: 95% accuracy by predicting nobody is readmitted.
  const auto s = RandomBinary(2000, 0.05, 9, 0.0);
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  const ThresholdMetrics m = EvaluateAtThreshold(data, 1.01);
  EXPECT_NEAR(m.accuracy, 1 - Prevalence(data), 1e-12);
  EXPECT_EQ(m.sensitivity, 0.0);
  EXPECT_EQ(m.balanced_accuracy, 0.5);
  EXPECT_EQ(m.positive.precision, 0.0);  // zero_division = 0
  const std::string report = FormatClassificationReport(m);
  EXPECT_THAT(report, HasSubstr("macro avg"));
  EXPECT_THAT(report, HasSubstr("balanced accuracy 0.500"));
}

}  // namespace
}  // namespace staycast::eval
