// Small shared pieces of the metrics implementation (not public API): row counts and the walk over
// runs of tied probabilities in decreasing order.
#pragma once

#include <cstddef>
#include <limits>

#include "src/eval/metrics_inputs.h"

namespace staycast::eval::internal {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline double CountOf(RowCounts counts, size_t row) {
  return counts.empty() ? 1.0 : static_cast<double>(counts[row]);
}

// Calls fn(block_positives, block_negatives, probability) for each run of tied probabilities, in
// decreasing order of probability. Runs whose rows all have count 0 are skipped.
template <typename Fn>
void ForEachTieBlock(const BinaryPredictions& data, RowCounts counts, Fn fn) {
  const auto order = data.descending();
  const auto p = data.descending_probabilities();
  const auto y = data.descending_outcomes();
  const size_t n = p.size();
  size_t i = 0;
  while (i < n) {
    const double value = p[i];
    double pos = 0, all = 0;
    for (; i < n && p[i] == value; ++i) {
      const double c = counts.empty() ? 1.0 : static_cast<double>(counts[order[i]]);
      pos += c * y[i];
      all += c;
    }
    if (all > 0) fn(pos, all - pos, value);
  }
}

}  // namespace staycast::eval::internal
