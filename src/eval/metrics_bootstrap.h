// Bootstrap confidence intervals that resample groups (patients) rather than rows: a replicate
// draws as many groups as there are, with replacement, and every row of a drawn group comes along.
// A replicate is expressed as RowCounts over the original rows, so metrics need no copying or
// sorting.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/eval/metrics_inputs.h"

namespace staycast::eval {

// Rows grouped by an id (e.g. patient). Immutable and thread-safe after creation.
class GroupIndex {
 public:
  // Any int32 ids (e.g. the codes of a categorical patient_id column). A negative id (missing)
  // makes that row a group of its own.
  static StatusOr<GroupIndex> Create(std::span<const int32_t> group_ids);
  // Every row its own group (an ordinary row bootstrap).
  static GroupIndex Ungrouped(size_t rows);

  size_t num_rows() const { return num_rows_; }
  size_t num_groups() const { return starts_.size() - 1; }
  std::span<const uint32_t> RowsOf(size_t group) const {
    return std::span<const uint32_t>(rows_).subspan(starts_[group],
                                                    starts_[group + 1] - starts_[group]);
  }
  // The groups of `rows` (renumbered 0..rows.size()-1 in that order), for subgroup analysis.
  GroupIndex Subset(std::span<const uint32_t> rows) const;
  // One replicate: draws num_groups() groups with replacement; counts[r] = times row r is taken.
  void DrawCounts(std::mt19937_64& rng, std::vector<uint32_t>* counts) const;

 private:
  GroupIndex() = default;
  static GroupIndex FromDense(std::vector<uint32_t> group_of_row, size_t groups);

  size_t num_rows_ = 0;
  std::vector<uint32_t> group_of_row_;
  std::vector<uint32_t> starts_;  // CSR offsets into rows_, size num_groups() + 1
  std::vector<uint32_t> rows_;
};

// A named set of metrics over one data set, evaluated for given row counts. Implementations must
// make Compute thread-safe (it is called concurrently from bootstrap threads).
class MetricSet {
 public:
  virtual ~MetricSet() = default;
  virtual const std::vector<std::string>& names() const = 0;
  virtual size_t num_rows() const = 0;
  // Writes names().size() values; NaN for a metric undefined on these counts.
  virtual void Compute(RowCounts counts, std::span<double> out) const = 0;
  // The same metrics on a subset of rows (renumbered in the given order).
  virtual StatusOr<std::unique_ptr<MetricSet>> Subset(std::span<const uint32_t> rows) const = 0;
};

struct BootstrapOptions {
  int replicates = 1000;
  uint64_t seed = 2026;
  int threads = 2;
  double confidence = 0.95;
};

// A point estimate with its percentile bootstrap interval. lower/upper are NaN when fewer than
// half of the replicates gave a defined value (e.g. a subgroup where one class is rare).
struct Estimate {
  double value = 0;
  double lower = 0, upper = 0;
  int replicates_used = 0;  // replicates where the metric was defined
};

// Point estimates on all rows and percentile intervals over `options.replicates` group-resampled
// replicates. Replicate r uses its own generator seeded from (seed, r), so results do not depend on
// the number of threads. InvalidArgument for bad options or when groups and metrics disagree on the
// number of rows.
StatusOr<std::vector<Estimate>> Bootstrap(const MetricSet& metrics, const GroupIndex& groups,
                                          const BootstrapOptions& options = {});

// The q-quantile (q in [0, 1]) of sorted values by linear interpolation between order statistics
// (numpy.percentile's default "linear" method). NaN when empty.
double QuantileOfSorted(std::span<const double> sorted, double q);

}  // namespace staycast::eval
