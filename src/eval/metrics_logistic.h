// Internal helpers of the classification metrics: logits, the Newton fit of logistic recalibration,
// and sklearn's calibration-bin assignment. Used by metrics_classification.cc and metrics_sets.cc.
#pragma once

#include <cmath>
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

// The fitted probability at logit x for intercept a and slope b: 1 / (1 + exp(-(a + b x))). The
// Newton passes and any per-row cache of start values use this one expression, so a cached value is
// bit-identical to the one a pass would compute.
inline double FittedProbability(double a, double b, double x) {
  return 1.0 / (1.0 + std::exp(-(a + b * x)));
}
// The fitted probability with logit(p) as an offset and intercept c, from scale = exp(-c) and
// odds_inv = exp(-x): 1 / (1 + exp(-(c + x))).
inline double OffsetProbability(double scale, double odds_inv) {
  return 1.0 / (1.0 + scale * odds_inv);
}

// The counted rows of one calibration fit, packed contiguously (Newton passes are tight loops): the
// logit x, exp(-x), the outcome and the count of rows 0..size-1 (the vectors may be longer, so a
// bootstrap thread reuses them without clearing). Optionally (has_start) mu_start[i] =
// FittedProbability(start.intercept, start.slope, x[i]) and mu_citl_start[i] =
// OffsetProbability(exp(-start.intercept_in_the_large), odds_inv[i]) for the `start` passed to
// FitCalibrationPacked, so that the first pass of each fit needs no exponential (bootstrap
// replicates all start from the full-data fit and copy these from a per-row cache).
struct CalibrationRows {
  size_t size = 0;
  bool has_start = false;
  bool descending = false;  // x is non-increasing (rows packed in score order)
  std::vector<double> x, odds_inv, y, w, mu_start, mu_citl_start;
  // Makes room for n rows (keeping capacity); size is left to the caller.
  void Reserve(size_t n, bool with_start) {
    for (std::vector<double>* v : {&x, &odds_inv, &y, &w}) {
      if (v->size() < n) v->resize(n);
    }
    has_start = with_start;
    if (with_start) {
      if (mu_start.size() < n) mu_start.resize(n);
      if (mu_citl_start.size() < n) mu_citl_start.resize(n);
    }
  }
};

// The same fit as FitCalibrationFromLogits on packed rows. With has_start, mu_start and
// mu_citl_start must have been computed at `start`.
StatusOr<LogisticCalibration> FitCalibrationPacked(const CalibrationRows& rows,
                                                   const LogisticCalibration& start);

// The calibration bin of p as numpy.searchsorted(edges[1:-1], p) with edges e_i = i * step: the
// number of interior edges strictly below p.
int CalibrationBinOf(double p, int bins, double step);

}  // namespace staycast::eval
