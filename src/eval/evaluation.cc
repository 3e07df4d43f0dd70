// Metrics to JSON.
#include "src/eval/evaluation.h"

#include <cmath>

#include "src/eval/metrics_classification.h"
#include "src/eval/metrics_inputs.h"
#include "src/eval/metrics_regression.h"
#include "src/eval/metrics_threshold.h"

namespace staycast::eval {
namespace {

nlohmann::json NumberOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

}  // namespace

StatusOr<nlohmann::json> RegressionMetricsJson(const std::vector<double>& actual,
                                               const std::vector<double>& predicted,
                                               const std::vector<double>* lower,
                                               const std::vector<double>* upper) {
  const bool interval = lower != nullptr && upper != nullptr;
  ASSIGN_OR_RETURN(
      RegressionPredictions data,
      RegressionPredictions::CreateWithInterval(
          actual, predicted, interval ? std::span<const double>(*lower) : std::span<const double>(),
          interval ? std::span<const double>(*upper) : std::span<const double>()));
  ASSIGN_OR_RETURN(RegressionMetrics m, ComputeRegressionMetrics(data));
  nlohmann::json j = {{"n", m.n},   {"mae", m.mae},   {"rmse", m.rmse}, {"median_ae", m.median_ae},
                      {"r2", m.r2}, {"bias", m.bias}, {"mse", m.mse}};
  if (m.has_interval) {
    j["coverage"] = m.coverage;
    j["mean_width"] = m.mean_width;
  }
  return j;
}

StatusOr<nlohmann::json> ClassificationMetricsJson(const std::vector<double>& outcomes,
                                                   const std::vector<double>& probabilities,
                                                   std::optional<double> threshold,
                                                   bool constant_ok) {
  ProbabilityOptions options;
  if (constant_ok) options.hard_labels = HardLabelPolicy::kAllow;
  ASSIGN_OR_RETURN(BinaryPredictions data,
                   BinaryPredictions::Create(outcomes, probabilities, options));
  nlohmann::json j = {{"n", data.size()},
                      {"prevalence", Prevalence(data)},
                      {"roc_auc", NumberOrNull(internal::RocAucOrNaN(data, {}))},
                      {"pr_auc", NumberOrNull(internal::AveragePrecisionOrNaN(data, {}))},
                      {"brier", BrierScore(data)},
                      {"log_loss", LogLoss(data)}};
  StatusOr<LogisticCalibration> cal = FitLogisticCalibration(data);
  if (cal.ok()) {
    j["calibration_intercept"] = cal->intercept;
    j["calibration_slope"] = cal->slope;
    j["calibration_in_the_large"] = cal->intercept_in_the_large;
  }
  if (threshold.has_value()) {
    const ThresholdMetrics t = EvaluateAtThreshold(data, *threshold);
    j["threshold"] = *threshold;
    j["accuracy"] = t.accuracy;
    j["balanced_accuracy"] = t.balanced_accuracy;
    j["sensitivity"] = t.sensitivity;
    j["specificity"] = t.specificity;
    j["precision"] = t.positive.precision;
    j["f1"] = t.positive.f1;
    j["confusion"] = {{"tn", t.confusion.tn},
                      {"fp", t.confusion.fp},
                      {"fn", t.confusion.fn},
                      {"tp", t.confusion.tp}};
  }
  return j;
}

}  // namespace staycast::eval
