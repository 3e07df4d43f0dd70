// Tests of the group bootstrap, the headline metric sets and subgroup analysis.
#include "src/eval/metrics_bootstrap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "src/core/status_matchers.h"
#include "src/eval/metrics_classification.h"
#include "src/eval/metrics_regression.h"
#include "src/eval/metrics_sets.h"
#include "src/eval/metrics_subgroups.h"
#include "src/eval/metrics_test_util.h"
#include "src/eval/metrics_threshold.h"

namespace staycast::eval {
namespace {

using ::staycast::eval::testing::RandomBinary;
using ::staycast::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(GroupIndexTest, ReplicatesKeepAllRowsOfAGroupTogether) {
  // Patients with 1 to 4 admissions each, rows interleaved; -1 (missing id) rows stand alone.
  std::vector<int32_t> ids;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 500; ++i) ids.push_back(static_cast<int32_t>(rng() % 150) - 1);
  ASSERT_OK_AND_ASSIGN(GroupIndex groups, GroupIndex::Create(ids));
  size_t missing = 0;
  for (int32_t id : ids) missing += id < 0 ? 1 : 0;
  ASSERT_GT(missing, 0U);
  size_t distinct = 0;
  for (int32_t id = 0; id < 149; ++id) {
    distinct += std::find(ids.begin(), ids.end(), id) != ids.end() ? 1 : 0;
  }
  EXPECT_EQ(groups.num_groups(), distinct + missing);
  std::vector<uint32_t> counts;
  for (int r = 0; r < 20; ++r) {
    std::mt19937_64 draw(r);
    groups.DrawCounts(draw, &counts);
    ASSERT_EQ(counts.size(), ids.size());
    uint64_t drawn_groups = 0;
    for (size_t g = 0; g < groups.num_groups(); ++g) {
      const auto rows = groups.RowsOf(g);
      for (uint32_t row : rows) EXPECT_EQ(counts[row], counts[rows[0]]) << "group " << g;
      drawn_groups += counts[rows[0]];
    }
    EXPECT_EQ(drawn_groups, groups.num_groups());
  }
  EXPECT_THAT(GroupIndex::Create(std::vector<int32_t>{}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no rows")));
}

TEST(BootstrapTest, QuantileMatchesNumpyLinear) {
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(QuantileOfSorted(v, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(QuantileOfSorted(v, 0.975), 3.925);
  EXPECT_DOUBLE_EQ(QuantileOfSorted(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(QuantileOfSorted(v, 1.0), 4.0);
  EXPECT_TRUE(std::isnan(QuantileOfSorted({}, 0.5)));
}

TEST(BootstrapTest, IntervalsContainEstimatesAndIgnoreThreadCount) {
  const auto s = RandomBinary(1500, 0.1, 21, 1.5);
  std::vector<int32_t> patient;
  for (size_t i = 0; i < s.y.size(); ++i) patient.push_back(static_cast<int32_t>(i / 3));
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  ASSERT_OK_AND_ASSIGN(auto metrics, MakeClassificationMetricSet(data, {.threshold = 0.2}));
  EXPECT_THAT(metrics->names(), ::testing::Contains("calibration_slope"));
  ASSERT_EQ(metrics->names().size(), 15U);
  ASSERT_OK_AND_ASSIGN(GroupIndex groups, GroupIndex::Create(patient));
  BootstrapOptions options{.replicates = 200, .seed = 5, .threads = 1};
  ASSERT_OK_AND_ASSIGN(std::vector<Estimate> one, Bootstrap(*metrics, groups, options));
  options.threads = 2;
  ASSERT_OK_AND_ASSIGN(std::vector<Estimate> two, Bootstrap(*metrics, groups, options));
  ASSERT_EQ(one.size(), metrics->names().size());
  for (size_t m = 0; m < one.size(); ++m) {
    SCOPED_TRACE(metrics->names()[m]);
    EXPECT_EQ(one[m].lower, two[m].lower);
    EXPECT_EQ(one[m].upper, two[m].upper);
    EXPECT_EQ(one[m].replicates_used, 200);
    EXPECT_LE(one[m].lower, one[m].value);
    EXPECT_GE(one[m].upper, one[m].value);
    EXPECT_LT(one[m].lower, one[m].upper);
  }
  // The point estimates are the metrics on all rows.
  EXPECT_NEAR(one[1].value, *RocAuc(data), 1e-12);
  EXPECT_NEAR(one[2].value, *AveragePrecision(data), 1e-12);
  EXPECT_NEAR(one[6].value, FitLogisticCalibration(data)->slope, 1e-9);
  EXPECT_NEAR(one[8].value, ComputeCalibrationCurve(data)->ece, 1e-12);
}

// The set computes a replicate in one walk over its sorted rows; every value must equal the
// standalone metric on the same counts, with ties, rows left out and a threshold equal to a score.
TEST(BootstrapTest, ClassificationSetReplicateEqualsStandaloneMetrics) {
  auto s = RandomBinary(3000, 0.15, 33, 1.5);
  for (double& p : s.p) p = std::round(p * 200) / 200;  // many tied probabilities
  const double threshold = s.p[17];
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(s.y, s.p));
  ASSERT_OK_AND_ASSIGN(auto metrics, MakeClassificationMetricSet(data, {.threshold = threshold}));
  const GroupIndex rows = GroupIndex::Ungrouped(s.y.size());
  std::vector<uint32_t> counts;
  std::vector<double> out(metrics->names().size());
  for (uint64_t r = 0; r < 5; ++r) {
    SCOPED_TRACE(r);
    std::mt19937_64 rng(r);
    rows.DrawCounts(rng, &counts);
    ASSERT_GT(std::count(counts.begin(), counts.end(), 0U), 500);
    metrics->Compute(counts, out);
    EXPECT_NEAR(out[0], Prevalence(data, counts), 1e-12);
    EXPECT_NEAR(out[1], *RocAuc(data, counts), 1e-12);
    EXPECT_NEAR(out[2], *AveragePrecision(data, counts), 1e-12);
    EXPECT_NEAR(out[3], BrierScore(data, counts), 1e-12);
    EXPECT_NEAR(out[4], LogLoss(data, counts), 1e-12);
    ASSERT_OK_AND_ASSIGN(LogisticCalibration fit, FitLogisticCalibration(data, counts));
    EXPECT_NEAR(out[5], fit.intercept, 1e-9);
    EXPECT_NEAR(out[6], fit.slope, 1e-9);
    EXPECT_NEAR(out[7], fit.intercept_in_the_large, 1e-9);
    EXPECT_NEAR(out[8], ComputeCalibrationCurve(data, kDefaultCalibrationBins, counts)->ece, 1e-12);
    const ThresholdMetrics t = EvaluateAtThreshold(data, threshold, counts);
    EXPECT_NEAR(out[9], t.accuracy, 1e-12);
    EXPECT_NEAR(out[10], t.balanced_accuracy, 1e-12);
    EXPECT_NEAR(out[11], t.sensitivity, 1e-12);
    EXPECT_NEAR(out[12], t.specificity, 1e-12);
    EXPECT_NEAR(out[13], t.positive.precision, 1e-12);
    EXPECT_NEAR(out[14], t.positive.f1, 1e-12);
  }
}

TEST(BootstrapTest, ResamplingPatientsWidensIntervalsForRepeatedRows) {
  // Every patient appears 8 times with identical rows: the rows carry the information of one.
  const auto s = RandomBinary(200, 0.3, 8, 1.0);
  std::vector<double> y, p;
  std::vector<int32_t> patient;
  for (size_t i = 0; i < s.y.size(); ++i) {
    for (int k = 0; k < 8; ++k) {
      y.push_back(s.y[i]);
      p.push_back(s.p[i]);
      patient.push_back(static_cast<int32_t>(i));
    }
  }
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(y, p));
  ASSERT_OK_AND_ASSIGN(auto metrics, MakeClassificationMetricSet(data));
  ASSERT_OK_AND_ASSIGN(GroupIndex by_patient, GroupIndex::Create(patient));
  const BootstrapOptions options{.replicates = 200, .seed = 1};
  ASSERT_OK_AND_ASSIGN(auto grouped, Bootstrap(*metrics, by_patient, options));
  ASSERT_OK_AND_ASSIGN(auto rows, Bootstrap(*metrics, GroupIndex::Ungrouped(y.size()), options));
  const double grouped_width = grouped[1].upper - grouped[1].lower;
  const double row_width = rows[1].upper - rows[1].lower;
  EXPECT_GT(grouped_width, 2.0 * row_width);  // about sqrt(8) = 2.8 times wider
}

TEST(BootstrapTest, RegressionSetAndBadOptions) {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> a, p, lo, hi;
  for (int i = 0; i < 500; ++i) {
    a.push_back(3 + noise(rng));
    p.push_back(a.back() + noise(rng));
    lo.push_back(p.back() - 1.96);
    hi.push_back(p.back() + 1.96);
  }
  ASSERT_OK_AND_ASSIGN(RegressionPredictions data,
                       RegressionPredictions::CreateWithInterval(a, p, lo, hi));
  ASSERT_OK_AND_ASSIGN(auto metrics, MakeRegressionMetricSet(data));
  EXPECT_THAT(metrics->names(), ElementsAre("mae", "rmse", "median_ae", "r2", "bias", "mse",
                                            "coverage", "mean_width"));
  const GroupIndex groups = GroupIndex::Ungrouped(a.size());
  ASSERT_OK_AND_ASSIGN(auto est, Bootstrap(*metrics, groups, {.replicates = 100}));
  EXPECT_NEAR(est[0].value, ComputeRegressionMetrics(data)->mae, 1e-12);
  EXPECT_LE(est[6].lower, 0.95);  // coverage of a correct 95% interval
  EXPECT_GE(est[6].upper, 0.95);
  EXPECT_NEAR(est[7].value, 2 * 1.96, 1e-12);
  EXPECT_THAT(Bootstrap(*metrics, groups, {.replicates = 0}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("replicates 0")));
  EXPECT_THAT(Bootstrap(*metrics, GroupIndex::Ungrouped(10), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("500 rows of metrics but 10")));
}

TEST(SubgroupsTest, FlagsTheGapWhereTheModelFailsOneGroup) {
  // Subgroup "a": informative probabilities; "b": pure noise; "c": too small to evaluate;
  // missing codes form their own subgroup.
  std::mt19937_64 rng(12);
  std::normal_distribution<double> noise(0, 1);
  std::bernoulli_distribution outcome(0.3);
  std::vector<double> y, p;
  std::vector<int32_t> code, patient;
  for (int i = 0; i < 2400; ++i) {
    const int32_t c = i < 1200 ? 0 : (i < 2300 ? 1 : (i < 2310 ? 2 : -1));
    const double yi = outcome(rng) ? 1 : 0;
    const double signal = c == 1 ? 0.0 : 2.5 * yi;
    y.push_back(yi);
    p.push_back(1 / (1 + std::exp(-(noise(rng) + signal - 1.5))));
    code.push_back(c);
    patient.push_back(i / 2);
  }
  const std::vector<std::string> labels = {"a", "b", "c"};
  ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(y, p));
  ASSERT_OK_AND_ASSIGN(auto metrics, MakeClassificationMetricSet(data));
  ASSERT_OK_AND_ASSIGN(GroupIndex groups, GroupIndex::Create(patient));
  SubgroupOptions options;
  options.bootstrap.replicates = 100;
  ASSERT_OK_AND_ASSIGN(SubgroupReport report,
                       EvaluateSubgroups(*metrics, groups, "ward", code, labels, options));
  ASSERT_EQ(report.subgroups.size(), 4U);
  EXPECT_EQ(report.subgroups[0].value, "a");
  EXPECT_EQ(report.subgroups[0].rows, 1200U);
  EXPECT_EQ(report.subgroups[0].groups, 600U);
  EXPECT_FALSE(report.subgroups[2].evaluated);  // "c": 10 rows < min_rows
  EXPECT_EQ(report.subgroups[3].value, "(missing)");
  EXPECT_TRUE(report.subgroups[3].evaluated);
  const auto auc_gap = std::find_if(report.gaps.begin(), report.gaps.end(),
                                    [](const SubgroupGap& g) { return g.metric == "roc_auc"; });
  ASSERT_NE(auc_gap, report.gaps.end());
  EXPECT_EQ(auc_gap->lowest, "b");
  EXPECT_TRUE(auc_gap->flagged);
  EXPECT_GT(auc_gap->gap, 0.2);
  EXPECT_GE(report.largest_flagged, 0);
  EXPECT_TRUE(report.gaps[report.largest_flagged].flagged);

  std::vector<int32_t> bad = code;
  bad[5] = 3;
  EXPECT_THAT(EvaluateSubgroups(*metrics, groups, "ward", bad, labels, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("row 5 has code 3 but only 3")));
}

}  // namespace
}  // namespace staycast::eval
