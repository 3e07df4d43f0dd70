// Headline metric sets. The classification set caches per-row logits, log losses, calibration bins
// and the calibration fit's first-pass probabilities in decreasing order of probability, and starts
// each replicate's calibration fit from the full-data fit, so a replicate is one walk over the rows
// plus a few Newton passes over the rows it counts.
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

using internal::kNaN;

// All per-row quantities are cached in decreasing order of probability, so a replicate is one walk
// over the rows in that order (ROC/PR tie blocks, the confusion matrix at the threshold as a
// prefix, Brier, log loss, calibration bins, and packing the calibration fit's rows) plus the fit
// itself.
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
    const auto p = data_.descending_probabilities();
    const auto y = data_.descending_outcomes();
    const size_t n = p.size();
    logits_ = ClippedLogits(p);
    odds_inv_.resize(n);
    row_loss_.resize(n);
    bin_.resize(n);
    last_of_block_.resize(n);
    const double step = 1.0 / options_.calibration_bins;
    for (size_t k = 0; k < n; ++k) {
      odds_inv_[k] = std::exp(-logits_[k]);
      const double q = std::clamp(p[k], kLogLossEpsilon, 1.0 - kLogLossEpsilon);
      row_loss_[k] = y[k] != 0 ? -std::log(q) : -std::log(1.0 - q);
      bin_[k] = CalibrationBinOf(p[k], options_.calibration_bins, step);
      last_of_block_[k] = k + 1 == n || p[k + 1] != p[k];
    }
    // Bins are monotone in p, so each is one run of the descending order.
    last_of_bin_.resize(n);
    for (size_t k = 0; k < n; ++k) last_of_bin_[k] = k + 1 == n || bin_[k + 1] != bin_[k];
    // Rows predicted 1 (p >= threshold) are a prefix of the descending order.
    predicted_positive_ =
        options_.threshold
            ? static_cast<size_t>(
                  std::partition_point(p.begin(), p.end(),
                                       [t = *options_.threshold](double v) { return v >= t; }) -
                  p.begin())
            : 0;
    auto fit = FitCalibrationFromLogits(logits_, y, {}, {});
    if (fit.ok()) start_ = *fit;
    // Every replicate's fit starts here: cache the first Newton pass's probabilities.
    mu_start_.resize(n);
    mu_citl_start_.resize(n);
    const double scale = std::exp(-start_.intercept_in_the_large);
    for (size_t k = 0; k < n; ++k) {
      mu_start_[k] = FittedProbability(start_.intercept, start_.slope, logits_[k]);
      mu_citl_start_[k] = OffsetProbability(scale, odds_inv_[k]);
    }
  }

  const std::vector<std::string>& names() const override { return names_; }
  size_t num_rows() const override { return data_.size(); }

  void Compute(RowCounts counts, std::span<double> out) const override {
    const auto order = data_.descending();
    const auto p = data_.descending_probabilities();
    const auto y = data_.descending_outcomes();
    const size_t rows = p.size();
    const int bins = options_.calibration_bins;
    thread_local std::vector<double> bin_n, bin_p, bin_y;
    thread_local CalibrationRows fit_rows;
    bin_n.assign(bins, 0);
    bin_p.assign(bins, 0);
    bin_y.assign(bins, 0);
    fit_rows.Reserve(rows, true);
    thread_local std::vector<double> ap_pos, ap_tp, ap_fp;
    if (ap_pos.size() < rows) {
      ap_pos.resize(rows);
      ap_tp.resize(rows);
      ap_fp.resize(rows);
    }
    size_t blocks = 0;
    // A row with count 0 adds exact zeros to every sum below, so the walk takes every row without
    // branching on the count (a bootstrap replicate leaves about a third of the rows out at
    // random) and packs the counted rows for the calibration fit by advancing `m` only for them.
    double n = 0, pos = 0, brier = 0, loss = 0;
    // ROC area, running true/false positives over completed tie blocks, and the precision sum
    // of average precision; the current block's positives and rows.
    double area = 0, tp = 0, fp = 0, precision_sum = 0, block_pos = 0, block_all = 0;
    double tp_at_threshold = 0, fp_at_threshold = 0;
    double run_n = 0, run_p = 0, run_y = 0;  // the current calibration bin's sums
    size_t m = 0;
    for (size_t k = 0; k < rows; ++k) {
      if (k == predicted_positive_) {
        tp_at_threshold = tp;
        fp_at_threshold = fp;
      }
      const double c = counts.empty() ? 1.0 : static_cast<double>(counts[order[k]]);
      const double yk = y[k];
      n += c;
      pos += c * yk;
      const double d = p[k] - yk;
      brier += c * d * d;
      loss += c * row_loss_[k];
      run_n += c;
      run_p += c * p[k];
      run_y += c * yk;
      if (last_of_bin_[k]) {
        bin_n[bin_[k]] += run_n;
        bin_p[bin_[k]] += run_p;
        bin_y[bin_[k]] += run_y;
        run_n = run_p = run_y = 0;
      }
      block_pos += c * yk;
      block_all += c;
      fit_rows.x[m] = logits_[k];
      fit_rows.odds_inv[m] = odds_inv_[k];
      fit_rows.y[m] = yk;
      fit_rows.w[m] = c;
      fit_rows.mu_start[m] = mu_start_[k];
      fit_rows.mu_citl_start[m] = mu_citl_start_[k];
      m += c != 0 ? 1 : 0;
      if (last_of_block_[k]) {
        const double block_neg = block_all - block_pos;
        area += block_neg * (tp + 0.5 * block_pos);
        tp += block_pos;
        fp += block_neg;
        // Average precision needs tp / (tp + fp) after each block with positives: keep those
        // blocks (most have none) and divide after the walk.
        ap_pos[blocks] = block_pos;
        ap_tp[blocks] = tp;
        ap_fp[blocks] = fp;
        blocks += block_pos > 0 ? 1 : 0;
        block_pos = block_all = 0;
      }
    }
    fit_rows.size = m;
    for (size_t i = 0; i < blocks; ++i)
      precision_sum += ap_pos[i] * (ap_tp[i] / (ap_tp[i] + ap_fp[i]));
    fit_rows.descending = true;
    if (predicted_positive_ == rows) {
      tp_at_threshold = tp;
      fp_at_threshold = fp;
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b) {
      if (bin_n[b] > 0) ece += std::fabs(bin_y[b] - bin_p[b]) / n;
    }
    out[0] = pos / n;
    out[1] = tp == 0 || fp == 0 ? kNaN : area / (tp * fp);
    out[2] = tp == 0 ? kNaN : precision_sum / tp;
    out[3] = brier / n;
    out[4] = loss / n;
    out[5] = out[6] = out[7] = kNaN;
    if (pos > 0 && pos < n) {
      auto fit = FitCalibrationPacked(fit_rows, start_);
      if (fit.ok()) {
        out[5] = fit->intercept;
        out[6] = fit->slope;
        out[7] = fit->intercept_in_the_large;
      }
    }
    out[8] = ece;
    if (options_.threshold) {
      // Counts are whole numbers, exact in a double.
      ConfusionMatrix m;
      m.tp = static_cast<uint64_t>(tp_at_threshold);
      m.fp = static_cast<uint64_t>(fp_at_threshold);
      m.fn = static_cast<uint64_t>(pos - tp_at_threshold);
      m.tn = static_cast<uint64_t>(n - pos - fp_at_threshold);
      const ThresholdMetrics t = MetricsFromConfusion(*options_.threshold, m);
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
  // Per row in decreasing order of probability (data_.descending()).
  std::vector<double> logits_, odds_inv_, row_loss_, mu_start_, mu_citl_start_;
  std::vector<int> bin_;
  std::vector<uint8_t> last_of_block_, last_of_bin_;
  size_t predicted_positive_ = 0;  // rows with p >= threshold: a prefix of that order
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
