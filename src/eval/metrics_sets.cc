// Headline metric sets. The classification set caches per-row logits, log losses and calibration
// bins, and starts each replicate's calibration fit from the full-data fit, so a replicate is a few
// linear passes over the rows.
#include "src/eval/metrics_sets.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "fmt/format.h"
#include "src/eval/metrics_internal.h"
#include "src/eval/metrics_logistic.h"
#include "src/eval/metrics_regression.h"
#include "src/eval/metrics_threshold.h"

namespace staycast::eval {
namespace {

using internal::CountOf;
using internal::kNaN;

class ClassificationSet : public MetricSet {
 public:
  ClassificationSet(BinaryPredictions data, const ClassificationSetOptions& options)
      : data_(std::move(data)), options_(options) {
    names_ = {"prevalence",
              "roc_auc",
              "pr_auc",
              "brier",
              "log_loss",
              "calibration_intercept",
              "calibration_slope",
              "calibration_in_the_large",
              "ece"};
    if (options_.threshold) {
      for (const char* n :
           {"accuracy", "balanced_accuracy", "sensitivity", "specificity", "precision", "f1"}) {
        names_.emplace_back(n);
      }
    }
    const auto p = data_.probabilities();
    const auto y = data_.outcomes();
    logits_ = ClippedLogits(p);
    row_loss_.resize(p.size());
    bin_.resize(p.size());
    const double step = 1.0 / options_.calibration_bins;
    for (size_t i = 0; i < p.size(); ++i) {
      const double q = std::clamp(p[i], kLogLossEpsilon, 1.0 - kLogLossEpsilon);
      row_loss_[i] = y[i] != 0 ? -std::log(q) : -std::log(1.0 - q);
      bin_[i] = CalibrationBinOf(p[i], options_.calibration_bins, step);
    }
    auto fit = FitCalibrationFromLogits(logits_, y, {}, {});
    if (fit.ok()) start_ = *fit;
  }

  const std::vector<std::string>& names() const override { return names_; }
  size_t num_rows() const override { return data_.size(); }

  void Compute(RowCounts counts, std::span<double> out) const override {
    const auto p = data_.probabilities();
    const auto y = data_.outcomes();
    const int bins = options_.calibration_bins;
    std::vector<double> bin_n(bins, 0), bin_p(bins, 0), bin_y(bins, 0);
    double n = 0, pos = 0, brier = 0, loss = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      const double c = CountOf(counts, i);
      if (c == 0) continue;
      n += c;
      pos += c * y[i];
      const double d = p[i] - y[i];
      brier += c * d * d;
      loss += c * row_loss_[i];
      bin_n[bin_[i]] += c;
      bin_p[bin_[i]] += c * p[i];
      bin_y[bin_[i]] += c * y[i];
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b) {
      if (bin_n[b] > 0) ece += std::fabs(bin_y[b] - bin_p[b]) / n;
    }
    out[0] = pos / n;
    internal::RocAucAndAveragePrecisionOrNaN(data_, counts, &out[1], &out[2]);
    out[3] = brier / n;
    out[4] = loss / n;
    out[5] = out[6] = out[7] = kNaN;
    if (pos > 0 && pos < n) {
      auto fit = FitCalibrationFromLogits(logits_, y, counts, start_);
      if (fit.ok()) {
        out[5] = fit->intercept;
        out[6] = fit->slope;
        out[7] = fit->intercept_in_the_large;
      }
    }
    out[8] = ece;
    if (options_.threshold) {
      const ThresholdMetrics t = EvaluateAtThreshold(data_, *options_.threshold, counts);
      out[9] = t.accuracy;
      out[10] = t.balanced_accuracy;
      out[11] = t.confusion.tp + t.confusion.fn > 0 ? t.sensitivity : kNaN;
      out[12] = t.confusion.tn + t.confusion.fp > 0 ? t.specificity : kNaN;
      out[13] = t.positive.precision;
      out[14] = t.positive.f1;
    }
  }

  StatusOr<std::unique_ptr<MetricSet>> Subset(std::span<const uint32_t> rows) const override {
    ASSIGN_OR_RETURN(BinaryPredictions subset, data_.Subset(rows));
    return std::unique_ptr<MetricSet>(
        std::make_unique<ClassificationSet>(std::move(subset), options_));
  }

 private:
  BinaryPredictions data_;
  ClassificationSetOptions options_;
  std::vector<std::string> names_;
  std::vector<double> logits_, row_loss_;
  std::vector<int> bin_;
  LogisticCalibration start_;
};

class RegressionSet : public MetricSet {
 public:
  explicit RegressionSet(RegressionPredictions data) : data_(std::move(data)) {
    names_ = {"mae", "rmse", "median_ae", "r2", "bias", "mse"};
    if (data_.has_interval()) {
      names_.emplace_back("coverage");
      names_.emplace_back("mean_width");
    }
  }
  const std::vector<std::string>& names() const override { return names_; }
  size_t num_rows() const override { return data_.size(); }

  void Compute(RowCounts counts, std::span<double> out) const override {
    auto m = ComputeRegressionMetrics(data_, counts);
    if (!m.ok()) {
      std::fill(out.begin(), out.end(), kNaN);
      return;
    }
    out[0] = m->mae;
    out[1] = m->rmse;
    out[2] = m->median_ae;
    out[3] = m->r2;
    out[4] = m->bias;
    out[5] = m->mse;
    if (m->has_interval) {
      out[6] = m->coverage;
      out[7] = m->mean_width;
    }
  }

  StatusOr<std::unique_ptr<MetricSet>> Subset(std::span<const uint32_t> rows) const override {
    ASSIGN_OR_RETURN(RegressionPredictions subset, data_.Subset(rows));
    return std::unique_ptr<MetricSet>(std::make_unique<RegressionSet>(std::move(subset)));
  }

 private:
  RegressionPredictions data_;
  std::vector<std::string> names_;
};

}  // namespace

StatusOr<std::unique_ptr<MetricSet>> MakeClassificationMetricSet(
    BinaryPredictions data, const ClassificationSetOptions& options) {
  if (options.calibration_bins < 1) {
    return InvalidArgumentError(
        fmt::format("calibration bins: {}, expected at least 1", options.calibration_bins));
  }
  if (options.threshold && !std::isfinite(*options.threshold)) {
    return InvalidArgumentError("classification metrics: the threshold is not finite");
  }
  return std::unique_ptr<MetricSet>(std::make_unique<ClassificationSet>(std::move(data), options));
}

StatusOr<std::unique_ptr<MetricSet>> MakeRegressionMetricSet(RegressionPredictions data) {
  return std::unique_ptr<MetricSet>(std::make_unique<RegressionSet>(std::move(data)));
}

}  // namespace staycast::eval
