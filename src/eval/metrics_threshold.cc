// Threshold metrics, threshold choice and decision curves. Threshold search walks the distinct
// probabilities from high to low once, keeping running true/false positive counts.
#include "src/eval/metrics_threshold.h"

#include <cmath>
#include <limits>

#include "fmt/format.h"
#include "src/eval/metrics_internal.h"

namespace staycast::eval {
namespace {

double Ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

double F1(double precision, double recall) {
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

ClassScores Scores(double tp, double fp, double fn) {
  ClassScores s;
  s.precision = Ratio(tp, tp + fp);
  s.recall = Ratio(tp, tp + fn);
  s.f1 = F1(s.precision, s.recall);
  s.support = static_cast<uint64_t>(tp + fn);
  return s;
}

ThresholdMetrics FromConfusion(double threshold, const ConfusionMatrix& m) {
  ThresholdMetrics r;
  r.threshold = threshold;
  r.confusion = m;
  const double tn = m.tn, fp = m.fp, fn = m.fn, tp = m.tp;
  const double n = tn + fp + fn + tp;
  r.accuracy = Ratio(tn + tp, n);
  r.sensitivity = Ratio(tp, tp + fn);
  r.specificity = Ratio(tn, tn + fp);
  int classes = 0;
  double recall_sum = 0;
  if (tp + fn > 0) {
    ++classes;
    recall_sum += r.sensitivity;
  }
  if (tn + fp > 0) {
    ++classes;
    recall_sum += r.specificity;
  }
  r.balanced_accuracy = classes > 0 ? recall_sum / classes : 0.0;
  r.negative = Scores(tn, fn, fp);
  r.positive = Scores(tp, fp, fn);
  const double w0 = Ratio(r.negative.support, n), w1 = Ratio(r.positive.support, n);
  r.macro_avg = {(r.negative.precision + r.positive.precision) / 2,
                 (r.negative.recall + r.positive.recall) / 2, (r.negative.f1 + r.positive.f1) / 2,
                 m.total()};
  r.weighted_avg = {w0 * r.negative.precision + w1 * r.positive.precision,
                    w0 * r.negative.recall + w1 * r.positive.recall,
                    w0 * r.negative.f1 + w1 * r.positive.f1, m.total()};
  return r;
}

// Running counts at each distinct probability (predict 1 when p >= that probability).
struct Cut {
  double threshold;
  double tp, fp;
};

std::vector<Cut> Cuts(const BinaryPredictions& data, double* total_pos, double* total_neg) {
  std::vector<Cut> cuts;
  double tp = 0, fp = 0;
  internal::ForEachTieBlock(data, {}, [&](double pos, double neg, double value) {
    tp += pos;
    fp += neg;
    cuts.push_back({value, tp, fp});
  });
  *total_pos = tp;
  *total_neg = fp;
  return cuts;
}

Status CheckPt(double pt, const char* what) {
  if (!(pt > 0.0 && pt < 1.0)) {
    return InvalidArgumentError(
        fmt::format("{}: threshold probability {} is outside (0, 1)", what, pt));
  }
  return OkStatus();
}

}  // namespace

ConfusionMatrix ConfusionAt(const BinaryPredictions& data, double threshold, RowCounts counts) {
  ConfusionMatrix m;
  const auto p = data.probabilities();
  const auto y = data.outcomes();
  for (size_t i = 0; i < p.size(); ++i) {
    const uint64_t c = counts.empty() ? 1 : counts[i];
    const bool predicted = p[i] >= threshold;
    if (y[i] != 0) {
      (predicted ? m.tp : m.fn) += c;
    } else {
      (predicted ? m.fp : m.tn) += c;
    }
  }
  return m;
}

ThresholdMetrics EvaluateAtThreshold(const BinaryPredictions& data, double threshold,
                                     RowCounts counts) {
  return FromConfusion(threshold, ConfusionAt(data, threshold, counts));
}

ThresholdMetrics MetricsFromConfusion(double threshold, const ConfusionMatrix& confusion) {
  return FromConfusion(threshold, confusion);
}

std::string FormatClassificationReport(const ThresholdMetrics& m) {
  std::string out = fmt::format("threshold {:.3f}\n\n{:>14}{:>11}{:>10}{:>10}{:>10}\n\n",
                                m.threshold, "", "precision", "recall", "f1-score", "support");
  auto row = [&out](const char* name, const ClassScores& s) {
    out += fmt::format("{:>14}{:>11.3f}{:>10.3f}{:>10.3f}{:>10}\n", name, s.precision, s.recall,
                       s.f1, s.support);
  };
  row("0", m.negative);
  row("1", m.positive);
  out += fmt::format("\n{:>14}{:>11}{:>10}{:>10.3f}{:>10}\n", "accuracy", "", "", m.accuracy,
                     m.confusion.total());
  row("macro avg", m.macro_avg);
  row("weighted avg", m.weighted_avg);
  out += fmt::format(
      "\nbalanced accuracy {:.3f}  sensitivity {:.3f}  specificity {:.3f}\n"
      "confusion matrix (rows actual 0/1, columns predicted 0/1):\n  {:>8} {:>8}\n  {:>8} {:>8}\n",
      m.balanced_accuracy, m.sensitivity, m.specificity, m.confusion.tn, m.confusion.fp,
      m.confusion.fn, m.confusion.tp);
  return out;
}

double NetBenefit(const ConfusionMatrix& m, double pt) {
  const double n = static_cast<double>(m.total());
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  return m.tp / n - m.fp / n * (pt / (1.0 - pt));
}

StatusOr<ThresholdChoice> ChooseThresholdMaxF1(const BinaryPredictions& data) {
  double total_pos = 0, total_neg = 0;
  const std::vector<Cut> cuts = Cuts(data, &total_pos, &total_neg);
  if (total_pos == 0) {
    return FailedPreconditionError("threshold by F1: there is no positive outcome");
  }
  ThresholdChoice best;
  best.rule = ThresholdRule::kMaxF1;
  best.value = -1;
  for (const Cut& c : cuts) {
    const double f1 = 2 * c.tp / (2 * c.tp + c.fp + (total_pos - c.tp));
    if (f1 > best.value) {
      best.value = f1;
      best.threshold = c.threshold;
    }
  }
  best.metrics = EvaluateAtThreshold(data, best.threshold);
  return best;
}

StatusOr<ThresholdChoice> ChooseThresholdForSensitivity(const BinaryPredictions& data,
                                                        double target) {
  if (!(target > 0.0 && target <= 1.0)) {
    return InvalidArgumentError(fmt::format("target sensitivity {} is outside (0, 1]", target));
  }
  double total_pos = 0, total_neg = 0;
  const std::vector<Cut> cuts = Cuts(data, &total_pos, &total_neg);
  if (total_pos == 0) {
    return FailedPreconditionError("threshold by sensitivity: there is no positive outcome");
  }
  for (const Cut& c : cuts) {
    if (c.tp / total_pos >= target) {
      ThresholdChoice choice;
      choice.rule = ThresholdRule::kTargetSensitivity;
      choice.threshold = c.threshold;
      choice.value = c.tp / total_pos;
      choice.metrics = EvaluateAtThreshold(data, c.threshold);
      return choice;
    }
  }
  return InternalError("threshold by sensitivity: the lowest threshold misses positives");
}

StatusOr<ThresholdChoice> ChooseThresholdMaxNetBenefit(const BinaryPredictions& data, double pt) {
  RETURN_IF_ERROR(CheckPt(pt, "threshold by net benefit"));
  double total_pos = 0, total_neg = 0;
  const std::vector<Cut> cuts = Cuts(data, &total_pos, &total_neg);
  const double n = total_pos + total_neg;
  const double odds = pt / (1.0 - pt);
  ThresholdChoice best;
  best.rule = ThresholdRule::kMaxNetBenefit;
  best.threshold = std::numeric_limits<double>::infinity();  // treat nobody: net benefit 0
  best.value = 0;
  for (const Cut& c : cuts) {
    const double nb = c.tp / n - c.fp / n * odds;
    if (nb > best.value) {
      best.value = nb;
      best.threshold = c.threshold;
    }
  }
  best.metrics = EvaluateAtThreshold(data, best.threshold);
  return best;
}

StatusOr<std::vector<DecisionCurvePoint>> DecisionCurve(const BinaryPredictions& data,
                                                        const DecisionCurveOptions& options) {
  RETURN_IF_ERROR(CheckPt(options.from, "decision curve"));
  RETURN_IF_ERROR(CheckPt(options.to, "decision curve"));
  if (!(options.step > 0) || options.to < options.from) {
    return InvalidArgumentError(fmt::format("decision curve: bad range from {} to {} step {}",
                                            options.from, options.to, options.step));
  }
  double total_pos = 0, total_neg = 0;
  const std::vector<Cut> cuts = Cuts(data, &total_pos, &total_neg);
  const double n = total_pos + total_neg;
  const double prevalence = total_pos / n;
  std::vector<DecisionCurvePoint> points;
  const auto steps =
      static_cast<int>(std::floor((options.to - options.from) / options.step + 1e-9));
  size_t k = 0;  // cuts[0..k) have threshold >= pt; pt increases, so k only decreases
  k = cuts.size();
  for (int s = 0; s <= steps; ++s) {
    const double pt = options.from + s * options.step;
    while (k > 0 && cuts[k - 1].threshold < pt) --k;
    const double tp = k > 0 ? cuts[k - 1].tp : 0.0;
    const double fp = k > 0 ? cuts[k - 1].fp : 0.0;
    const double odds = pt / (1.0 - pt);
    points.push_back({pt, tp / n - fp / n * odds, prevalence - (1.0 - prevalence) * odds, 0.0});
  }
  return points;
}

}  // namespace staycast::eval
