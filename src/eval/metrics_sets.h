// The headline metrics as MetricSets, for bootstrap intervals and subgroup tables: one for a binary
// outcome with probabilities, one for regression. Names are stable keys for JSON and reports.
#pragma once

#include <memory>
#include <optional>

#include "src/core/status.h"
#include "src/eval/metrics_bootstrap.h"
#include "src/eval/metrics_classification.h"
#include "src/eval/metrics_inputs.h"

namespace staycast::eval {

struct ClassificationSetOptions {
  // When set, also the metrics at this threshold (predict 1 when p >= threshold).
  std::optional<double> threshold;
  int calibration_bins = kDefaultCalibrationBins;
};

// Metrics, in order: prevalence, roc_auc, pr_auc, brier, log_loss, calibration_intercept,
// calibration_slope, calibration_in_the_large, ece; with a threshold also accuracy,
// balanced_accuracy, sensitivity, specificity, precision, f1. A metric undefined on a replicate
// (one class only, calibration fit not converging) is NaN there.
StatusOr<std::unique_ptr<MetricSet>> MakeClassificationMetricSet(
    BinaryPredictions data, const ClassificationSetOptions& options = {});

// Metrics, in order: mae, rmse, median_ae, r2, bias, mse; with intervals also coverage and
// mean_width.
StatusOr<std::unique_ptr<MetricSet>> MakeRegressionMetricSet(RegressionPredictions data);

}  // namespace staycast::eval
