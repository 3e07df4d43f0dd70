// Threshold-free classification metrics. All loops honour RowCounts so a bootstrap replicate is the
// same data with integer weights, and ranking metrics walk the rows once in the pre-sorted order.
#include "src/eval/metrics_classification.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fmt/format.h"
#include "src/eval/metrics_internal.h"
#include "src/eval/metrics_logistic.h"

namespace staycast::eval {
namespace {

using internal::CountOf;
using internal::ForEachTieBlock;
using internal::kNaN;

void ClassTotals(const BinaryPredictions& data, RowCounts counts, double* pos, double* neg) {
  *pos = 0;
  *neg = 0;
  const auto y = data.outcomes();
  for (size_t i = 0; i < y.size(); ++i) {
    const double c = CountOf(counts, i);
    if (y[i] != 0) {
      *pos += c;
    } else {
      *neg += c;
    }
  }
}

Status SingleClassError(const char* metric, double pos) {
  return FailedPreconditionError(fmt::format(
      "{} is undefined: the outcomes contain only one class (all {})", metric, pos > 0 ? 1 : 0));
}

}  // namespace

namespace internal {

double RocAucOrNaN(const BinaryPredictions& data, RowCounts counts) {
  double area = 0, tp = 0, fp = 0;
  ForEachTieBlock(data, counts, [&](double pos, double neg, double) {
    area += neg * (tp + 0.5 * pos);
    tp += pos;
    fp += neg;
  });
  if (tp == 0 || fp == 0) return kNaN;
  return area / (tp * fp);
}

double AveragePrecisionOrNaN(const BinaryPredictions& data, RowCounts counts) {
  double total_pos = 0, total_neg = 0;
  ClassTotals(data, counts, &total_pos, &total_neg);
  if (total_pos == 0) return kNaN;
  double ap = 0, tp = 0, fp = 0;
  ForEachTieBlock(data, counts, [&](double pos, double neg, double) {
    tp += pos;
    fp += neg;
    ap += (pos / total_pos) * (tp / (tp + fp));
  });
  return ap;
}

void RocAucAndAveragePrecisionOrNaN(const BinaryPredictions& data, RowCounts counts, double* auc,
                                    double* ap) {
  // One walk: the area under the ROC curve and, per block, tp/(tp+fp) weighted by its positives.
  double area = 0, tp = 0, fp = 0, precision_sum = 0;
  ForEachTieBlock(data, counts, [&](double pos, double neg, double) {
    area += neg * (tp + 0.5 * pos);
    tp += pos;
    fp += neg;
    precision_sum += pos * (tp / (tp + fp));
  });
  *auc = tp == 0 || fp == 0 ? kNaN : area / (tp * fp);
  *ap = tp == 0 ? kNaN : precision_sum / tp;
}

}  // namespace internal

double Prevalence(const BinaryPredictions& data, RowCounts counts) {
  double pos = 0, neg = 0;
  ClassTotals(data, counts, &pos, &neg);
  return pos + neg > 0 ? pos / (pos + neg) : kNaN;
}

StatusOr<double> RocAuc(const BinaryPredictions& data, RowCounts counts) {
  RETURN_IF_ERROR(CheckRowCounts(counts, data.size()));
  const double auc = internal::RocAucOrNaN(data, counts);
  if (std::isnan(auc)) return SingleClassError("ROC-AUC", Prevalence(data, counts));
  return auc;
}

StatusOr<double> AveragePrecision(const BinaryPredictions& data, RowCounts counts) {
  RETURN_IF_ERROR(CheckRowCounts(counts, data.size()));
  const double ap = internal::AveragePrecisionOrNaN(data, counts);
  if (std::isnan(ap)) {
    return FailedPreconditionError(
        "average precision (PR-AUC) is undefined: there is no positive outcome");
  }
  return ap;
}

double BrierScore(const BinaryPredictions& data, RowCounts counts) {
  const auto p = data.probabilities();
  const auto y = data.outcomes();
  double sum = 0, n = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double c = CountOf(counts, i);
    const double d = p[i] - y[i];
    sum += c * d * d;
    n += c;
  }
  return n > 0 ? sum / n : kNaN;
}

double LogLoss(const BinaryPredictions& data, RowCounts counts) {
  const auto p = data.probabilities();
  const auto y = data.outcomes();
  double sum = 0, n = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double c = CountOf(counts, i);
    if (c == 0) continue;
    const double q = std::clamp(p[i], kLogLossEpsilon, 1.0 - kLogLossEpsilon);
    sum -= c * (y[i] != 0 ? std::log(q) : std::log(1.0 - q));
    n += c;
  }
  return n > 0 ? sum / n : kNaN;
}

StatusOr<LogisticCalibration> FitLogisticCalibration(const BinaryPredictions& data,
                                                     RowCounts counts) {
  RETURN_IF_ERROR(CheckRowCounts(counts, data.size()));
  double pos = 0, neg = 0;
  ClassTotals(data, counts, &pos, &neg);
  if (pos == 0 || neg == 0) return SingleClassError("logistic calibration", pos);
  const std::vector<double> logits = ClippedLogits(data.probabilities());
  return FitCalibrationFromLogits(logits, data.outcomes(), counts, {});
}

StatusOr<CalibrationCurve> ComputeCalibrationCurve(const BinaryPredictions& data, int bins,
                                                   RowCounts counts) {
  RETURN_IF_ERROR(CheckRowCounts(counts, data.size()));
  if (bins < 1) {
    return InvalidArgumentError(fmt::format("calibration bins: {}, expected at least 1", bins));
  }
  CalibrationCurve curve;
  curve.bins.resize(bins);
  const double step = 1.0 / bins;  // numpy.linspace(0, 1, bins + 1) computes i * step
  for (int b = 0; b < bins; ++b) {
    curve.bins[b].lower = b * step;
    curve.bins[b].upper = b + 1 == bins ? 1.0 : (b + 1) * step;
  }
  std::vector<double> sum_p(bins, 0.0), sum_y(bins, 0.0), n(bins, 0.0);
  const auto p = data.probabilities();
  const auto y = data.outcomes();
  double total = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double c = CountOf(counts, i);
    if (c == 0) continue;
    const int b = CalibrationBinOf(p[i], bins, step);
    sum_p[b] += c * p[i];
    sum_y[b] += c * y[i];
    n[b] += c;
    total += c;
  }
  if (total == 0) return FailedPreconditionError("calibration curve: no rows counted");
  for (int b = 0; b < bins; ++b) {
    CalibrationBin& bin = curve.bins[b];
    bin.count = static_cast<uint64_t>(n[b]);
    if (n[b] == 0) {
      bin.mean_predicted = kNaN;
      bin.observed_rate = kNaN;
      continue;
    }
    bin.mean_predicted = sum_p[b] / n[b];
    bin.observed_rate = sum_y[b] / n[b];
    const double gap = std::fabs(bin.observed_rate - bin.mean_predicted);
    curve.ece += n[b] / total * gap;
    curve.mce = std::max(curve.mce, gap);
  }
  return curve;
}

StatusOr<std::vector<CurvePoint>> RocCurve(const BinaryPredictions& data) {
  double total_pos = 0, total_neg = 0;
  ClassTotals(data, {}, &total_pos, &total_neg);
  if (total_pos == 0 || total_neg == 0) return SingleClassError("the ROC curve", total_pos);
  std::vector<CurvePoint> points;
  points.push_back({std::numeric_limits<double>::infinity(), 0.0, 0.0});
  double tp = 0, fp = 0;
  ForEachTieBlock(data, {}, [&](double pos, double neg, double value) {
    tp += pos;
    fp += neg;
    points.push_back({value, fp / total_neg, tp / total_pos});
  });
  return points;
}

StatusOr<std::vector<CurvePoint>> PrecisionRecallCurve(const BinaryPredictions& data) {
  double total_pos = 0, total_neg = 0;
  ClassTotals(data, {}, &total_pos, &total_neg);
  if (total_pos == 0) {
    return FailedPreconditionError(
        "the precision-recall curve is undefined: there is no positive outcome");
  }
  std::vector<CurvePoint> points;
  double tp = 0, fp = 0;
  ForEachTieBlock(data, {}, [&](double pos, double neg, double value) {
    tp += pos;
    fp += neg;
    points.push_back({value, tp / total_pos, tp / (tp + fp)});
  });
  return points;
}

}  // namespace staycast::eval
