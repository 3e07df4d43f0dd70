// Headline metrics of one model's predictions as JSON, for the comparison table, the bundle and the
// registry: the same definitions (metrics_*.h) wherever a number is shown.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "src/core/status.h"

namespace staycast::eval {

// mae, rmse, median_ae, r2, bias, mse, n; with intervals also coverage and mean_width.
StatusOr<nlohmann::json> RegressionMetricsJson(const std::vector<double>& actual,
                                               const std::vector<double>& predicted,
                                               const std::vector<double>* lower = nullptr,
                                               const std::vector<double>* upper = nullptr);

// prevalence, roc_auc, pr_auc, brier, log_loss, n (roc_auc/pr_auc null when one class only); with a
// threshold also the threshold metrics (accuracy, balanced_accuracy, sensitivity, specificity,
// precision, recall, f1, confusion). `constant_ok` accepts 0/1-only scores (baselines such as
// always-negative); otherwise such scores are refused as hard labels.
StatusOr<nlohmann::json> ClassificationMetricsJson(const std::vector<double>& outcomes,
                                                   const std::vector<double>& probabilities,
                                                   std::optional<double> threshold,
                                                   bool constant_ok = false);

}  // namespace staycast::eval
