// Point-in-time history features: for each row, an aggregate over the same entity's OTHER rows,
// using only facts known strictly before the row's prediction time. One sort-based O(n log n)
// implementation serves both batch transforms and single-record scoring (the record plus its
// entity's history form a small table that goes through the same code).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "src/core/time.h"
#include "src/features/config.h"

namespace staycast::features {

// The rows whose history is computed. entity: a code per row (-1: none, so no history);
// prediction: each row's prediction time (kMissingTime: no history).
struct HistoryRows {
  std::span<const int32_t> entity;
  std::span<const Timestamp> prediction;
};

// One fact per row: when it became known (kMissingTime: never) and its value (NaN: no fact).
struct HistoryFacts {
  std::vector<Timestamp> known;
  std::span<const double> value;  // may be empty for ops that only count or use times
};

// When a row's fact becomes known: max(the row's first event, the availability event + offset);
// nothing about a stay is known before the stay begins. kMissingTime when the event is missing.
std::vector<Timestamp> KnownTimes(const std::vector<Timestamp>& first_event,
                                  const std::vector<Timestamp>& event, int64_t offset_seconds);

// Computes `op` for every row into out (resized to the row count). For kCount, facts.known is when
// each row's admission became known and `window_seconds` > 0 restricts the count to facts known in
// [prediction - window, prediction). For kDaysSince, facts.known is the event time itself. Rows
// without any qualifying fact get `fill` (kCount: 0, kFirstVisit: 1).
void ComputeHistory(HistoryOp op, const HistoryRows& rows, const HistoryFacts& facts,
                    double window_seconds, double fill, std::vector<double>* out);

}  // namespace staycast::features
