// Small shared pieces of the metrics implementation (not public API): row counts and the walk over
// runs of tied probabilities in decreasing order.
#pragma once

#include <cstddef>

#include "src/eval/metrics_inputs.h"

namespace staycast::eval::internal {

inline double CountOf(RowCounts counts, size_t row) {
  return counts.empty() ? 1.0 : static_cast<double>(counts[row]);
}

// Calls fn(block_positives, block_negatives, probability) for each run of tied probabilities, in
// decreasing order of probability. Runs whose rows all have count 0 are skipped.
template <typename Fn>
void ForEachTieBlock(const BinaryPredictions& data, RowCounts counts, Fn fn) {
  const auto order = data.descending();
  const auto p = data.probabilities();
  const auto y = data.outcomes();
  size_t i = 0;
  while (i < order.size()) {
    const double value = p[order[i]];
    double pos = 0, neg = 0;
    for (; i < order.size() && p[order[i]] == value; ++i) {
      const double c = CountOf(counts, order[i]);
      if (y[order[i]] != 0) {
        pos += c;
      } else {
        neg += c;
      }
    }
    if (pos + neg > 0) fn(pos, neg, value);
  }
}

}  // namespace staycast::eval::internal
