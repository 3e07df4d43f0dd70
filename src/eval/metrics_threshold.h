// Classification metrics at a threshold ("predict 1 when p >= threshold"): confusion matrix,
// accuracy, balanced accuracy, sensitivity, specificity, the per-class classification report,
// threshold choice, and decision curve analysis (net benefit). Definitions: docs/metrics.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/eval/metrics_inputs.h"

namespace staycast::eval {

// sklearn's confusion_matrix layout [[tn, fp], [fn, tp]] with labels (0, 1).
struct ConfusionMatrix {
  uint64_t tn = 0, fp = 0, fn = 0, tp = 0;
  uint64_t total() const { return tn + fp + fn + tp; }
};

ConfusionMatrix ConfusionAt(const BinaryPredictions& data, double threshold, RowCounts counts = {});

// One row of sklearn's classification_report. Undefined ratios (0/0) are 0, as sklearn's
// zero_division="warn" returns.
struct ClassScores {
  double precision = 0, recall = 0, f1 = 0;
  uint64_t support = 0;
};

struct ThresholdMetrics {
  double threshold = 0;
  ConfusionMatrix confusion;
  double accuracy = 0;
  // Mean recall over the classes present (sklearn balanced_accuracy_score).
  double balanced_accuracy = 0;
  double sensitivity = 0;    // recall of class 1 = tp / (tp + fn)
  double specificity = 0;    // recall of class 0 = tn / (tn + fp)
  ClassScores negative;      // class 0
  ClassScores positive;      // class 1
  ClassScores macro_avg;     // unweighted mean of the two classes; support = all rows
  ClassScores weighted_avg;  // support-weighted mean; support = all rows
};

ThresholdMetrics EvaluateAtThreshold(const BinaryPredictions& data, double threshold,
                                     RowCounts counts = {});
// The same metrics from a confusion matrix counted elsewhere (e.g. in one walk over sorted rows).
ThresholdMetrics MetricsFromConfusion(double threshold, const ConfusionMatrix& confusion);

// A text table like sklearn's classification_report(digits=3), plus the confusion matrix.
std::string FormatClassificationReport(const ThresholdMetrics& metrics);

// Net benefit of treating the rows predicted 1 at threshold probability pt (Vickers & Elkin
// 2006): tp/n - fp/n * pt / (1 - pt). pt must be in (0, 1).
double NetBenefit(const ConfusionMatrix& confusion, double pt);

enum class ThresholdRule { kMaxF1, kTargetSensitivity, kMaxNetBenefit };

struct ThresholdChoice {
  ThresholdRule rule = ThresholdRule::kMaxF1;
  // Predict 1 when p >= threshold. Candidates are the distinct predicted probabilities; +inf
  // means "treat nobody" (only kMaxNetBenefit, when every cut-off has negative net benefit).
  double threshold = 0;
  double value = 0;  // the F1, sensitivity or net benefit reached
  ThresholdMetrics metrics;
};

// The highest threshold with the largest F1 of class 1. FailedPrecondition without positives.
StatusOr<ThresholdChoice> ChooseThresholdMaxF1(const BinaryPredictions& data);
// The highest threshold whose sensitivity is at least target (in (0, 1]).
StatusOr<ThresholdChoice> ChooseThresholdForSensitivity(const BinaryPredictions& data,
                                                        double target);
// The threshold with the largest net benefit at exchange rate pt/(1-pt) (pt in (0, 1)): the best
// cut-off on the model's scores when one missed case is worth (1-pt)/pt unnecessary treatments.
// For a calibrated model it is close to pt itself.
StatusOr<ThresholdChoice> ChooseThresholdMaxNetBenefit(const BinaryPredictions& data, double pt);

// Decision curve: net benefit of the model, of treating everybody and of treating nobody (0).
struct DecisionCurvePoint {
  double threshold = 0;
  double model = 0;
  double treat_all = 0;
  double treat_none = 0;
};
struct DecisionCurveOptions {
  double from = 0.01, to = 0.99, step = 0.01;  // threshold probabilities, inclusive range
};
// InvalidArgument when the range is not inside (0, 1) or step <= 0.
StatusOr<std::vector<DecisionCurvePoint>> DecisionCurve(const BinaryPredictions& data,
                                                        const DecisionCurveOptions& options = {});

}  // namespace staycast::eval
