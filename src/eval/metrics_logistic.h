// Internal helpers of the classification metrics: logits, the Newton fit of logistic recalibration,
// and sklearn's calibration-bin assignment. Used by metrics_classification.cc and metrics_sets.cc.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "src/core/status.h"
#include "src/eval/metrics_classification.h"

namespace staycast::eval {

// logit(clamp(p, kLogitEpsilon, 1 - kLogitEpsilon)) for each probability.
std::vector<double> ClippedLogits(std::span<const double> probabilities);

// Maximum-likelihood logistic recalibration on precomputed logits, by Newton's method with step
// halving, starting from `start` (its intercept/slope/intercept_in_the_large). The caller checks
// that both classes are present.
StatusOr<LogisticCalibration> FitCalibrationFromLogits(std::span<const double> logits,
                                                       std::span<const uint8_t> outcomes,
                                                       RowCounts counts,
                                                       const LogisticCalibration& start);

// The calibration bin of p as numpy.searchsorted(edges[1:-1], p) with edges e_i = i * step: the
// number of interior edges strictly below p.
int CalibrationBinOf(double p, int bins, double step);

}  // namespace staycast::eval
