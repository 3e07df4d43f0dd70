// Split implementation: stable, seeded, and explicit about what it dropped.
#include "src/eval/split.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

namespace staycast::eval {
namespace {

// SplitMix64: a tiny, well-known mixing function, so group assignment does not depend on the
// standard library's distributions.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashString(const std::string& s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return Mix(h);
}

Status CheckFractions(const SplitConfig& c) {
  for (double f : {c.test_fraction, c.valid_fraction, c.calibration_fraction}) {
    if (!(f >= 0.0 && f < 1.0)) {
      return InvalidArgumentError("split fractions must be in [0, 1), got " + std::to_string(f));
    }
  }
  if (c.test_fraction + c.valid_fraction + c.calibration_fraction >= 0.9) {
    return InvalidArgumentError(
        "split: test + valid + calibration fractions leave under 10% of rows for training");
  }
  if (c.test_fraction <= 0.0) return InvalidArgumentError("split: test_fraction must be > 0");
  return OkStatus();
}

StatusOr<const data::Column*> TypedColumn(const data::Table& table, const std::string& name,
                                          data::ColumnType type, const char* role) {
  if (name.empty())
    return InvalidArgumentError(std::string("split: ") + role + " column is not set");
  ASSIGN_OR_RETURN(const data::Column* col, table.GetColumn(name));
  if (col->type() != type) {
    return InvalidArgumentError(std::string("split: ") + role + " column '" + name + "' must be " +
                                data::ColumnTypeName(type) + ", it is " +
                                data::ColumnTypeName(col->type()));
  }
  return col;
}

// Per-row group keys (the category code), or each row its own group when no column is given.
StatusOr<std::vector<int64_t>> GroupKeys(const data::Table& table, const std::string& column) {
  std::vector<int64_t> keys(table.num_rows());
  if (column.empty()) {
    std::iota(keys.begin(), keys.end(), 0);
    return keys;
  }
  ASSIGN_OR_RETURN(const data::Column* col,
                   TypedColumn(table, column, data::ColumnType::kCategorical, "group"));
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = col->codes()[i];
  return keys;
}

Status CheckNonEmpty(const SplitIndices& s, const SplitConfig& c) {
  if (s.train.empty()) return FailedPreconditionError("split: the training part is empty");
  if (s.test.empty()) return FailedPreconditionError("split: the test part is empty");
  if (c.valid_fraction > 0 && s.valid.empty()) {
    return FailedPreconditionError(
        "split: the validation part is empty; add rows or lower valid_fraction");
  }
  if (c.calibration_fraction > 0 && s.calibration.empty()) {
    return FailedPreconditionError(
        "split: the calibration part is empty; add rows or lower calibration_fraction");
  }
  return OkStatus();
}

}  // namespace

const char* SplitKindName(SplitKind kind) {
  switch (kind) {
    case SplitKind::kTemporal: return "temporal";
    case SplitKind::kGroup: return "group";
    case SplitKind::kRandom: return "random";
  }
  return "unknown";
}

StatusOr<SplitKind> ParseSplitKind(const std::string& name) {
  if (name == "temporal") return SplitKind::kTemporal;
  if (name == "group") return SplitKind::kGroup;
  if (name == "random") return SplitKind::kRandom;
  return InvalidArgumentError("unknown split kind \"" + name +
                              "\"; expected temporal, group or random");
}

StatusOr<SplitIndices> MakeSplit(const data::Table& table, const SplitConfig& config) {
  RETURN_IF_ERROR(CheckFractions(config));
  const size_t n = table.num_rows();
  if (n == 0) return FailedPreconditionError("split: the table has no rows");
  SplitIndices out;
  const double test_end = 1.0;
  const double test_start = test_end - config.test_fraction;
  const double cal_start = test_start - config.calibration_fraction;
  const double valid_start = cal_start - config.valid_fraction;

  if (config.kind == SplitKind::kTemporal) {
    ASSIGN_OR_RETURN(const data::Column* time,
                     TypedColumn(table, config.time_column, data::ColumnType::kTimestamp, "time"));
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return time->timestamps()[a] < time->timestamps()[b];
    });
    const auto cut = [&](double f) { return static_cast<size_t>(f * static_cast<double>(n)); };
    std::vector<size_t> test(order.begin() + static_cast<long>(cut(test_start)), order.end());
    out.test_start = test.empty() ? kMissingTime : time->timestamps()[test.front()];
    std::unordered_set<int64_t> test_groups;
    std::vector<int64_t> keys;
    const bool exclude = !config.allow_shared_groups && !config.group_column.empty();
    if (exclude) {
      ASSIGN_OR_RETURN(keys, GroupKeys(table, config.group_column));
      for (size_t r : test) test_groups.insert(keys[r]);
    }
    for (size_t i = 0; i < cut(test_start); ++i) {
      const size_t r = order[i];
      if (exclude && test_groups.count(keys[r]) > 0) {
        ++out.dropped_shared;
        continue;
      }
      if (i >= cut(cal_start)) {
        out.calibration.push_back(r);
      } else if (i >= cut(valid_start)) {
        out.valid.push_back(r);
      } else {
        out.train.push_back(r);
      }
    }
    out.test = std::move(test);
  } else {
    std::string group_column = config.kind == SplitKind::kGroup ? config.group_column : "";
    if (config.kind == SplitKind::kGroup && group_column.empty()) {
      return InvalidArgumentError("split: a group split needs the patient/entity column");
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> keys, GroupKeys(table, group_column));
    for (size_t r = 0; r < n; ++r) {
      // A uniform number in [0, 1) per group, from the seed.
      const uint64_t h =
          group_column.empty()
              ? Mix(static_cast<uint64_t>(keys[r]) ^ Mix(config.seed))
              : HashString(table.FindColumn(group_column)->CategoryAt(r), config.seed);
      const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
      if (u >= test_start) {
        out.test.push_back(r);
      } else if (u >= cal_start) {
        out.calibration.push_back(r);
      } else if (u >= valid_start) {
        out.valid.push_back(r);
      } else {
        out.train.push_back(r);
      }
    }
  }
  RETURN_IF_ERROR(CheckNonEmpty(out, config));
  return out;
}

StatusOr<std::vector<int>> GroupKFold(const data::Table& table, const std::string& group_column,
                                      int k, uint64_t seed) {
  if (k < 2)
    return InvalidArgumentError("cross-validation needs at least 2 folds, got " +
                                std::to_string(k));
  ASSIGN_OR_RETURN(std::vector<int64_t> keys, GroupKeys(table, group_column));
  // Count rows per group, then place groups largest first into the currently smallest fold; ties in
  // size are broken by a seeded hash so different seeds give different folds.
  std::unordered_map<int64_t, size_t> sizes;
  for (int64_t key : keys) ++sizes[key];
  if (sizes.size() < static_cast<size_t>(k)) {
    return FailedPreconditionError("cross-validation: " + std::to_string(sizes.size()) +
                                   " groups cannot fill " + std::to_string(k) + " folds");
  }
  std::vector<std::pair<int64_t, size_t>> groups(sizes.begin(), sizes.end());
  std::sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return Mix(static_cast<uint64_t>(a.first) ^ seed) < Mix(static_cast<uint64_t>(b.first) ^ seed);
  });
  std::vector<size_t> fold_rows(static_cast<size_t>(k), 0);
  std::unordered_map<int64_t, int> fold_of;
  for (const auto& [key, size] : groups) {
    const auto smallest = std::min_element(fold_rows.begin(), fold_rows.end()) - fold_rows.begin();
    fold_of[key] = static_cast<int>(smallest);
    fold_rows[static_cast<size_t>(smallest)] += size;
  }
  std::vector<int> folds(keys.size());
  for (size_t r = 0; r < keys.size(); ++r) folds[r] = fold_of[keys[r]];
  return folds;
}

}  // namespace staycast::eval
