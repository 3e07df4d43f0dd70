// Golden tests: every metric against scikit-learn's value on the same vectors, from
// tests/golden/metrics_golden.json (written by bench/peers/metrics_golden.py).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "src/core/status_matchers.h"
#include "src/eval/metrics_classification.h"
#include "src/eval/metrics_logistic.h"
#include "src/eval/metrics_regression.h"
#include "src/eval/metrics_threshold.h"

namespace staycast::eval {
namespace {

using ::nlohmann::json;

constexpr double kTol = 1e-9;
// The reference calibration fit is an iterative optimiser (sklearn newton-cg), not a formula.
constexpr double kFitTol = 1e-6;

json LoadGolden() {
  const char* root = std::getenv("STAYCAST_SOURCE_DIR");
  const std::string path =
      std::string(root != nullptr ? root : ".") + "/tests/golden/metrics_golden.json";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str());
}

const json& Golden() {
  static const json kGolden = LoadGolden();
  return kGolden;
}

std::vector<double> Doubles(const json& j) { return j.get<std::vector<double>>(); }

void ExpectVectorNear(const std::vector<double>& actual, const json& expected, double tol,
                      const std::string& what) {
  const std::vector<double> e = Doubles(expected);
  ASSERT_EQ(actual.size(), e.size()) << what;
  for (size_t i = 0; i < e.size(); ++i)
    EXPECT_NEAR(actual[i], e[i], tol) << what << "[" << i << "]";
}

void CheckClassification(const BinaryPredictions& data, RowCounts counts, const json& e,
                         const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_NEAR(Prevalence(data, counts), e["prevalence"].get<double>(), kTol);
  EXPECT_NEAR(BrierScore(data, counts), e["brier"].get<double>(), kTol);
  EXPECT_NEAR(LogLoss(data, counts), e["log_loss"].get<double>(), kTol);
  if (e.contains("roc_auc")) {
    ASSERT_OK_AND_ASSIGN(double auc, RocAuc(data, counts));
    EXPECT_NEAR(auc, e["roc_auc"].get<double>(), kTol);
  } else {
    EXPECT_THAT(RocAuc(data, counts), testing::StatusIs(StatusCode::kFailedPrecondition,
                                                        ::testing::HasSubstr("one class")));
  }
  if (e.contains("average_precision")) {
    ASSERT_OK_AND_ASSIGN(double ap, AveragePrecision(data, counts));
    EXPECT_NEAR(ap, e["average_precision"].get<double>(), kTol);
  }
  if (e.contains("calibration")) {
    ASSERT_OK_AND_ASSIGN(LogisticCalibration fit, FitLogisticCalibration(data, counts));
    EXPECT_NEAR(fit.intercept, e["calibration"]["intercept"].get<double>(), kFitTol);
    EXPECT_NEAR(fit.slope, e["calibration"]["slope"].get<double>(), kFitTol);
    EXPECT_NEAR(fit.intercept_in_the_large,
                e["calibration"]["intercept_in_the_large"].get<double>(), kFitTol);
  } else {
    // Constant or perfectly separating probabilities: no finite maximum-likelihood fit.
    EXPECT_THAT(FitLogisticCalibration(data, counts),
                testing::StatusIs(StatusCode::kFailedPrecondition, ::testing::_));
  }
  ASSERT_OK_AND_ASSIGN(CalibrationCurve curve, ComputeCalibrationCurve(data, 10, counts));
  EXPECT_NEAR(curve.ece, e["ece"].get<double>(), kTol);
  std::vector<double> bin_counts, observed, predicted;
  for (const CalibrationBin& bin : curve.bins) {
    bin_counts.push_back(static_cast<double>(bin.count));
    if (bin.count == 0) continue;
    observed.push_back(bin.observed_rate);
    predicted.push_back(bin.mean_predicted);
  }
  ExpectVectorNear(bin_counts, e["calibration_bin_counts"], 0, "bin counts");
  ExpectVectorNear(observed, e["calibration_curve_true"], kTol, "calibration_curve prob_true");
  ExpectVectorNear(predicted, e["calibration_curve_pred"], kTol, "calibration_curve prob_pred");

  for (const json& at : e["at_threshold"]) {
    const double t = at["threshold"].get<double>();
    SCOPED_TRACE("threshold " + std::to_string(t));
    const ThresholdMetrics m = EvaluateAtThreshold(data, t, counts);
    EXPECT_EQ(m.confusion.tn, at["tn"].get<uint64_t>());
    EXPECT_EQ(m.confusion.fp, at["fp"].get<uint64_t>());
    EXPECT_EQ(m.confusion.fn, at["fn"].get<uint64_t>());
    EXPECT_EQ(m.confusion.tp, at["tp"].get<uint64_t>());
    EXPECT_NEAR(m.accuracy, at["accuracy"].get<double>(), kTol);
    EXPECT_NEAR(m.balanced_accuracy, at["balanced_accuracy"].get<double>(), kTol);
    ExpectVectorNear({m.negative.precision, m.positive.precision}, at["precision"], kTol,
                     "precision");
    ExpectVectorNear({m.negative.recall, m.positive.recall}, at["recall"], kTol, "recall");
    ExpectVectorNear({m.negative.f1, m.positive.f1}, at["f1"], kTol, "f1");
    ExpectVectorNear(
        {static_cast<double>(m.negative.support), static_cast<double>(m.positive.support)},
        at["support"], 0, "support");
    ExpectVectorNear({m.macro_avg.precision, m.macro_avg.recall, m.macro_avg.f1}, at["macro"], kTol,
                     "macro avg");
    ExpectVectorNear({m.weighted_avg.precision, m.weighted_avg.recall, m.weighted_avg.f1},
                     at["weighted"], kTol, "weighted avg");
    EXPECT_NEAR(m.sensitivity, at["recall"][1].get<double>(), kTol);
    EXPECT_NEAR(m.specificity, at["recall"][0].get<double>(), kTol);
    for (const auto& [pt, nb] : at["net_benefit"].items()) {
      EXPECT_NEAR(NetBenefit(m.confusion, std::stod(pt)), nb.get<double>(), kTol) << "pt " << pt;
    }
  }
}

TEST(MetricsGoldenTest, ClassificationMatchesScikitLearn) {
  ASSERT_GE(Golden()["classification"].size(), 5U);
  for (const json& c : Golden()["classification"]) {
    const std::string name = c["name"].get<std::string>();
    ASSERT_OK_AND_ASSIGN(BinaryPredictions data,
                         BinaryPredictions::Create(Doubles(c["y"]), Doubles(c["p"])));
    CheckClassification(data, {}, c["expected"], name);
    const auto counts = c["counts"].get<std::vector<uint32_t>>();
    CheckClassification(data, counts, c["expected_counted"], name + " with row counts");
  }
}

TEST(MetricsGoldenTest, CurvesMatchScikitLearn) {
  for (const json& c : Golden()["classification"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const json& e = c["expected"];
    ASSERT_OK_AND_ASSIGN(BinaryPredictions data,
                         BinaryPredictions::Create(Doubles(c["y"]), Doubles(c["p"])));
    ASSERT_OK_AND_ASSIGN(std::vector<CurvePoint> roc, RocCurve(data));
    std::vector<double> fpr, tpr;
    for (const CurvePoint& pt : roc) {
      fpr.push_back(pt.x);
      tpr.push_back(pt.y);
    }
    ExpectVectorNear(fpr, e["roc_fpr"], kTol, "roc fpr");
    ExpectVectorNear(tpr, e["roc_tpr"], kTol, "roc tpr");
    ASSERT_OK_AND_ASSIGN(std::vector<CurvePoint> pr, PrecisionRecallCurve(data));
    // sklearn lists precision-recall points by increasing threshold.
    std::vector<double> recall, precision, thresholds;
    for (auto it = pr.rbegin(); it != pr.rend(); ++it) {
      recall.push_back(it->x);
      precision.push_back(it->y);
      thresholds.push_back(it->threshold);
    }
    ExpectVectorNear(recall, e["pr_recall"], kTol, "pr recall");
    ExpectVectorNear(precision, e["pr_precision"], kTol, "pr precision");
    ExpectVectorNear(thresholds, e["pr_thresholds"], 0, "pr thresholds");
  }
}

void CheckRegression(const RegressionPredictions& data, RowCounts counts, const json& e,
                     const std::string& name) {
  SCOPED_TRACE(name);
  ASSERT_OK_AND_ASSIGN(RegressionMetrics m, ComputeRegressionMetrics(data, counts));
  EXPECT_NEAR(m.mse, e["mse"].get<double>(), kTol);
  EXPECT_NEAR(m.rmse, e["rmse"].get<double>(), kTol);
  EXPECT_NEAR(m.mae, e["mae"].get<double>(), kTol);
  EXPECT_NEAR(m.median_ae, e["median_ae"].get<double>(), kTol);
  EXPECT_NEAR(m.r2, e["r2"].get<double>(), kTol);
  EXPECT_NEAR(m.bias, e["bias"].get<double>(), kTol);
  EXPECT_EQ(m.has_interval, e.contains("coverage"));
  if (e.contains("coverage")) {
    EXPECT_NEAR(m.coverage, e["coverage"].get<double>(), kTol);
    EXPECT_NEAR(m.mean_width, e["mean_width"].get<double>(), kTol);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<BandErrors> bands,
                       ErrorsByBand(data, DefaultLosBandEdges(), counts));
  ASSERT_EQ(bands.size(), e["los_bands"].size());
  for (size_t b = 0; b < bands.size(); ++b) {
    const json& eb = e["los_bands"][b];
    EXPECT_EQ(bands[b].count, eb["count"].get<uint64_t>()) << "band " << b;
    if (eb.contains("mae")) {
      EXPECT_NEAR(bands[b].mae, eb["mae"].get<double>(), kTol) << "band " << b;
      EXPECT_NEAR(bands[b].rmse, eb["rmse"].get<double>(), kTol) << "band " << b;
      EXPECT_NEAR(bands[b].bias, eb["bias"].get<double>(), kTol) << "band " << b;
    } else {
      EXPECT_TRUE(std::isnan(bands[b].mae)) << "band " << b;
    }
  }
}

TEST(MetricsGoldenTest, RegressionMatchesScikitLearn) {
  ASSERT_GE(Golden()["regression"].size(), 4U);
  for (const json& c : Golden()["regression"]) {
    const std::string name = c["name"].get<std::string>();
    StatusOr<RegressionPredictions> data =
        c.contains("lower")
            ? RegressionPredictions::CreateWithInterval(Doubles(c["actual"]),
                                                        Doubles(c["predicted"]),
                                                        Doubles(c["lower"]), Doubles(c["upper"]))
            : RegressionPredictions::Create(Doubles(c["actual"]), Doubles(c["predicted"]));
    ASSERT_OK(data);
    CheckRegression(*data, {}, c["expected"], name);
    const auto counts = c["counts"].get<std::vector<uint32_t>>();
    CheckRegression(*data, counts, c["expected_counted"], name + " with row counts");
  }
}

// The calibration fit is a maximum of the likelihood: the score equations vanish there.
TEST(MetricsGoldenTest, CalibrationFitSolvesScoreEquations) {
  for (const json& c : Golden()["classification"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    if (!c["expected"].contains("calibration")) continue;
    const std::vector<double> y = Doubles(c["y"]);
    ASSERT_OK_AND_ASSIGN(BinaryPredictions data, BinaryPredictions::Create(y, Doubles(c["p"])));
    ASSERT_OK_AND_ASSIGN(LogisticCalibration fit, FitLogisticCalibration(data));
    const std::vector<double> x = ClippedLogits(data.probabilities());
    double g0 = 0, g1 = 0, g_citl = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      const double r = y[i] - 1 / (1 + std::exp(-(fit.intercept + fit.slope * x[i])));
      g0 += r;
      g1 += r * x[i];
      g_citl += y[i] - 1 / (1 + std::exp(-(fit.intercept_in_the_large + x[i])));
    }
    EXPECT_NEAR(g0, 0, 1e-8);
    EXPECT_NEAR(g1, 0, 1e-8);
    EXPECT_NEAR(g_citl, 0, 1e-8);
  }
}

}  // namespace
}  // namespace staycast::eval
