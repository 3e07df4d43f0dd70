// Threshold-free metrics of predicted probabilities for a binary outcome: prevalence, ROC-AUC,
// average precision (PR-AUC), Brier score, log loss, logistic calibration and calibration bins/ECE.
// Definitions and the scikit-learn functions they match: docs/metrics.md.
#pragma once

#include <cstdint>
#include <vector>

#include "src/core/status.h"
#include "src/eval/metrics_inputs.h"

namespace staycast::eval {

// Share of (counted) rows with outcome 1; also the PR-AUC of a model without skill (the
// "prevalence line"). NaN when every count is 0.
double Prevalence(const BinaryPredictions& data, RowCounts counts = {});

// Area under the ROC curve; tied probabilities count one half (sklearn roc_auc_score).
// FailedPrecondition when the outcomes contain only one class (AUC is undefined).
StatusOr<double> RocAuc(const BinaryPredictions& data, RowCounts counts = {});

// Average precision, sum over thresholds of (R_k - R_{k-1}) * P_k (sklearn
// average_precision_score). FailedPrecondition when there is no positive outcome.
StatusOr<double> AveragePrecision(const BinaryPredictions& data, RowCounts counts = {});

// Mean of (p - y)^2 (sklearn brier_score_loss). NaN when every count is 0.
double BrierScore(const BinaryPredictions& data, RowCounts counts = {});

// Probabilities are clipped to [kLogLossEpsilon, 1 - kLogLossEpsilon], as sklearn log_loss does
// with eps="auto" for float64.
inline constexpr double kLogLossEpsilon = 2.220446049250313e-16;
// Mean negative log-likelihood (sklearn log_loss). NaN when every count is 0.
double LogLoss(const BinaryPredictions& data, RowCounts counts = {});

// Probabilities are clipped to [kLogitEpsilon, 1 - kLogitEpsilon] before taking logit(p).
inline constexpr double kLogitEpsilon = 1e-15;

// Logistic recalibration: the maximum-likelihood fit of logit P(y=1) = intercept + slope *
// logit(p). A well-calibrated model has intercept 0 and slope 1; slope < 1 means predictions too
// extreme. intercept_in_the_large is the fit with the slope fixed at 1 (logit(p) as an offset), the
// "calibration-in-the-large" of the clinical literature (0 when mean risk is right).
struct LogisticCalibration {
  double intercept = 0;
  double slope = 1;
  double intercept_in_the_large = 0;
  int iterations = 0;  // Newton iterations of the two-parameter fit
};
// FailedPrecondition when the outcomes contain only one class or the fit does not converge
// (e.g. probabilities that separate the outcomes perfectly, where the slope is infinite).
StatusOr<LogisticCalibration> FitLogisticCalibration(const BinaryPredictions& data,
                                                     RowCounts counts = {});

// One equal-width bin of predicted probabilities. As sklearn calibration_curve(strategy="uniform"),
// bin 0 is [0, e_1] and bin i > 0 is (e_i, e_{i+1}] with e_i = i * (1 / bins).
struct CalibrationBin {
  double lower = 0, upper = 0;
  uint64_t count = 0;
  double mean_predicted = 0;  // NaN when empty
  double observed_rate = 0;   // share of outcome 1; NaN when empty
};
struct CalibrationCurve {
  std::vector<CalibrationBin> bins;  // all bins, including empty ones
  // Expected calibration error: sum over bins of count/n * |observed_rate - mean_predicted|.
  double ece = 0;
  // Maximum calibration error: the largest |observed_rate - mean_predicted| over non-empty bins.
  double mce = 0;
};
inline constexpr int kDefaultCalibrationBins = 10;
// InvalidArgument when bins < 1; FailedPrecondition when every count is 0.
StatusOr<CalibrationCurve> ComputeCalibrationCurve(const BinaryPredictions& data,
                                                   int bins = kDefaultCalibrationBins,
                                                   RowCounts counts = {});

// A point of the ROC or precision-recall curve at "predict 1 when p >= threshold".
struct CurvePoint {
  double threshold = 0;
  double x = 0;  // ROC: false positive rate; PR: recall
  double y = 0;  // ROC: true positive rate; PR: precision
};
// ROC curve from (0,0) (threshold +inf) through every distinct probability to (1,1); as sklearn
// roc_curve(drop_intermediate=False). FailedPrecondition with a single class.
StatusOr<std::vector<CurvePoint>> RocCurve(const BinaryPredictions& data);
// Precision-recall points at every distinct probability, by decreasing threshold (sklearn
// precision_recall_curve, without its final (recall 0, precision 1) point).
// FailedPrecondition without a positive outcome.
StatusOr<std::vector<CurvePoint>> PrecisionRecallCurve(const BinaryPredictions& data);

namespace internal {
// The same metrics without Status, NaN when undefined; for the bootstrap's inner loop.
double RocAucOrNaN(const BinaryPredictions& data, RowCounts counts);
double AveragePrecisionOrNaN(const BinaryPredictions& data, RowCounts counts);
// Both in one walk over the sorted rows.
void RocAucAndAveragePrecisionOrNaN(const BinaryPredictions& data, RowCounts counts, double* auc,
                                    double* ap);
}  // namespace internal

}  // namespace staycast::eval
