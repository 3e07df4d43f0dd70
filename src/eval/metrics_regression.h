// Regression metrics (MSE, RMSE, MAE, median AE, R², mean bias, interval coverage and width) and
// errors by band of the actual value (e.g. length-of-stay bands). Definitions: docs/metrics.md.
#pragma once

#include <cstdint>
#include <vector>

#include "src/core/status.h"
#include "src/eval/metrics_inputs.h"

namespace staycast::eval {

struct RegressionMetrics {
  uint64_t n = 0;
  double mse = 0;        // sklearn mean_squared_error
  double rmse = 0;       // sqrt(mse)
  double mae = 0;        // sklearn mean_absolute_error
  double median_ae = 0;  // sklearn median_absolute_error (mean of the two middle values if even)
  // sklearn r2_score: 1 - SS_res / SS_tot; when the actual values are constant (SS_tot = 0) it is
  // 1 if the predictions are perfect and 0 otherwise (sklearn's force_finite=True).
  double r2 = 0;
  double bias = 0;  // mean of (predicted - actual); positive = over-prediction
  // Only when the data has intervals: share of rows with lower <= actual <= upper, and the mean of
  // (upper - lower).
  bool has_interval = false;
  double coverage = 0;
  double mean_width = 0;
};

// FailedPrecondition when every count is 0.
StatusOr<RegressionMetrics> ComputeRegressionMetrics(const RegressionPredictions& data,
                                                     RowCounts counts = {});

// Band edges for length of stay in days: [0,2), [2,4), [4,7), [7,14), [14,inf).
inline const std::vector<double>& DefaultLosBandEdges() {
  static const std::vector<double> kEdges = {0, 2, 4, 7, 14};
  return kEdges;
}

// Errors of the rows whose actual value falls in [lower, upper).
struct BandErrors {
  double lower = 0, upper = 0;  // upper is +inf for the last band, lower -inf for the first
                                // band when rows fall below the first edge
  uint64_t count = 0;
  double mae = 0, rmse = 0, bias = 0;  // NaN when the band is empty
};

// Bands [e_0, e_1), ..., [e_last, +inf); rows with actual < e_0 form an extra leading band
// (-inf, e_0) only when there are any. InvalidArgument unless the edges are finite and strictly
// increasing (at least one).
StatusOr<std::vector<BandErrors>> ErrorsByBand(
    const RegressionPredictions& data, const std::vector<double>& edges = DefaultLosBandEdges(),
    RowCounts counts = {});

}  // namespace staycast::eval
