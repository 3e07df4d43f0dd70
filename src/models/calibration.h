// Probability calibration for classifiers: isotonic (pool-adjacent-violators) and Platt (logistic
// on the logit of the score), chosen by cross-fitted Brier score on a calibration slice.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::models {

enum class CalibrationMethod { kIsotonic, kPlatt };

// "isotonic" / "platt".
const char* CalibrationMethodName(CalibrationMethod method);

// A fitted map from a model's probability to a calibrated probability. Immutable after fitting;
// safe to share across threads.
class Calibrator {
 public:
  // Scores must be probabilities in [0, 1], labels 0/1 with both classes present.
  static StatusOr<Calibrator> FitIsotonic(const std::vector<double>& scores,
                                          const std::vector<double>& labels);
  static StatusOr<Calibrator> FitPlatt(const std::vector<double>& scores,
                                       const std::vector<double>& labels);

  CalibrationMethod method() const { return method_; }
  // Calibrated probability for one score (NaN stays NaN).
  double Apply(double score) const;
  std::vector<double> Apply(const std::vector<double>& scores) const;

  // {"method": "platt", "a": .., "b": ..} or {"method": "isotonic", "x": [..], "y": [..]}.
  nlohmann::json ToJson() const;
  static StatusOr<Calibrator> FromJson(const nlohmann::json& j);

 private:
  CalibrationMethod method_ = CalibrationMethod::kPlatt;
  // Platt: p = sigmoid(a * logit(score) + b).
  double a_ = 1;
  double b_ = 0;
  // Isotonic: knots with strictly increasing x; linear between knots, flat outside.
  std::vector<double> x_;
  std::vector<double> y_;
};

struct ChooseCalibratorOptions {
  int folds = 5;  // stratified cross-fitting folds over the calibration slice
  uint64_t seed = 0;
};

// The chosen calibrator and the evidence for the choice. Brier scores are cross-fitted: each
// calibration row is scored by calibrators fitted on the other folds.
struct CalibrationChoice {
  Calibrator calibrator;  // the winner, refitted on the whole slice
  size_t rows = 0;
  size_t positives = 0;
  double brier_uncalibrated = 0;
  double brier_isotonic = 0;
  double brier_platt = 0;

  nlohmann::json ToJson() const;  // the calibrator plus the evidence
};

// Fits isotonic and Platt with K-fold cross-fitting on (scores, labels), picks the lower
// cross-fitted Brier score (ties go to Platt, the simpler map) and refits it on all rows.
// Needs at least `folds` rows of each class.
StatusOr<CalibrationChoice> ChooseCalibrator(const std::vector<double>& scores,
                                             const std::vector<double>& labels,
                                             const ChooseCalibratorOptions& options = {});

// Mean squared difference between labels and probabilities.
double BrierScore(const std::vector<double>& labels, const std::vector<double>& probs);

// Calibration intercept and slope: the logistic regression of the label on logit(prob)
// (probabilities clipped to [1e-6, 1 - 1e-6]). A well-calibrated model has slope 1, intercept 0.
struct CalibrationLine {
  double intercept = 0;
  double slope = 0;
};
StatusOr<CalibrationLine> FitCalibrationLine(const std::vector<double>& labels,
                                             const std::vector<double>& probs);

}  // namespace staycast::models
