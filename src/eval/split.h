// Honest data splits: temporal (train on the past, test on the future), grouped by patient, or
// random; and grouped K-fold for cross-validation. A patient never appears on both sides of
// train/test unless the caller allows it explicitly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"

namespace staycast::eval {

enum class SplitKind { kTemporal, kGroup, kRandom };

// "temporal", "group", "random".
const char* SplitKindName(SplitKind kind);
StatusOr<SplitKind> ParseSplitKind(const std::string& name);

struct SplitConfig {
  SplitKind kind = SplitKind::kTemporal;
  // Shares of rows (temporal: of the time-ordered rows, latest last) for each part; train gets the
  // rest.
  double test_fraction = 0.2;
  double valid_fraction = 0.1;
  double calibration_fraction = 0.1;
  // Timestamp column ordering rows (temporal).
  std::string time_column;
  // Entity column (patient id) kept on one side (group, temporal unless allow_shared_groups).
  std::string group_column;
  // Temporal only: keep train rows of patients who also appear in the test period.
  bool allow_shared_groups = false;
  uint64_t seed = 42;
};

struct SplitIndices {
  std::vector<size_t> train, valid, calibration, test;
  // Rows dropped so that no patient is on both sides (temporal split).
  size_t dropped_shared = 0;
  // Time bounds of each part (temporal split), for the record.
  Timestamp test_start = kMissingTime;
};

// Splits the table's rows. Errors name the missing/mistyped column or an empty part.
StatusOr<SplitIndices> MakeSplit(const data::Table& table, const SplitConfig& config);

// Assigns each row a fold in [0, k) so that all rows of a group share a fold and folds are balanced
// by row count. Returns the fold of each row.
StatusOr<std::vector<int>> GroupKFold(const data::Table& table, const std::string& group_column,
                                      int k, uint64_t seed);

}  // namespace staycast::eval
