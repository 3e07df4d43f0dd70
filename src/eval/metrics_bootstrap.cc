// Group bootstrap: CSR index of group -> rows, per-replicate seeded draws, replicates split over
// threads, percentile intervals.
#include "src/eval/metrics_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>

#include "fmt/format.h"

namespace staycast::eval {
namespace {

// SplitMix64: turns (seed, replicate) into well-mixed, independent generator seeds.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

GroupIndex GroupIndex::FromDense(std::vector<uint32_t> group_of_row, size_t groups) {
  GroupIndex index;
  index.num_rows_ = group_of_row.size();
  index.starts_.assign(groups + 1, 0);
  for (uint32_t g : group_of_row) ++index.starts_[g + 1];
  for (size_t g = 0; g < groups; ++g) index.starts_[g + 1] += index.starts_[g];
  index.rows_.resize(group_of_row.size());
  std::vector<uint32_t> next(index.starts_.begin(), index.starts_.end() - 1);
  for (size_t r = 0; r < group_of_row.size(); ++r) {
    index.rows_[next[group_of_row[r]]++] = static_cast<uint32_t>(r);
  }
  index.group_of_row_ = std::move(group_of_row);
  return index;
}

StatusOr<GroupIndex> GroupIndex::Create(std::span<const int32_t> group_ids) {
  if (group_ids.empty()) return InvalidArgumentError("group ids: no rows");
  if (group_ids.size() >= std::numeric_limits<uint32_t>::max()) {
    return InvalidArgumentError("group ids: too many rows");
  }
  std::unordered_map<int32_t, uint32_t> dense;
  std::vector<uint32_t> group_of_row(group_ids.size());
  uint32_t groups = 0;
  for (size_t r = 0; r < group_ids.size(); ++r) {
    if (group_ids[r] < 0) {
      group_of_row[r] = groups++;
      continue;
    }
    auto [it, inserted] = dense.try_emplace(group_ids[r], groups);
    if (inserted) ++groups;
    group_of_row[r] = it->second;
  }
  return FromDense(std::move(group_of_row), groups);
}

GroupIndex GroupIndex::Ungrouped(size_t rows) {
  std::vector<uint32_t> group_of_row(rows);
  for (size_t r = 0; r < rows; ++r) group_of_row[r] = static_cast<uint32_t>(r);
  return FromDense(std::move(group_of_row), rows);
}

GroupIndex GroupIndex::Subset(std::span<const uint32_t> rows) const {
  std::unordered_map<uint32_t, uint32_t> dense;
  std::vector<uint32_t> group_of_row(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, inserted] =
        dense.try_emplace(group_of_row_[rows[i]], static_cast<uint32_t>(dense.size()));
    group_of_row[i] = it->second;
  }
  return FromDense(std::move(group_of_row), dense.size());
}

void GroupIndex::DrawCounts(std::mt19937_64& rng, std::vector<uint32_t>* counts) const {
  // Draw how often each group is taken, then give every row its group's multiplicity: one pass
  // over the rows in order instead of scattered writes per drawn group.
  const size_t groups = num_groups();
  thread_local std::vector<uint32_t> taken;
  taken.assign(groups, 0);
  for (size_t i = 0; i < groups; ++i) {
    // Multiply-shift maps a 64-bit draw onto [0, groups) (Lemire); the bias is below 2^-32.
    const auto g = static_cast<size_t>((static_cast<unsigned __int128>(rng()) * groups) >> 64);
    ++taken[g];
  }
  counts->resize(num_rows_);
  for (size_t r = 0; r < num_rows_; ++r) (*counts)[r] = taken[group_of_row_[r]];
}

double QuantileOfSorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (sorted.size() - 1) * q;
  const auto lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

StatusOr<std::vector<Estimate>> Bootstrap(const MetricSet& metrics, const GroupIndex& groups,
                                          const BootstrapOptions& options) {
  if (options.replicates < 1 || options.threads < 1 ||
      !(options.confidence > 0 && options.confidence < 1)) {
    return InvalidArgumentError(fmt::format(
        "bootstrap: replicates {} and threads {} must be at least 1, confidence {} in (0, 1)",
        options.replicates, options.threads, options.confidence));
  }
  if (metrics.num_rows() != groups.num_rows()) {
    return InvalidArgumentError(fmt::format("bootstrap: {} rows of metrics but {} rows of groups",
                                            metrics.num_rows(), groups.num_rows()));
  }
  const size_t k = metrics.names().size();
  const auto replicates = static_cast<size_t>(options.replicates);
  std::vector<double> point(k);
  metrics.Compute({}, point);

  std::vector<double> values(replicates * k);  // replicate-major
  auto work = [&](size_t first, size_t step) {
    std::vector<uint32_t> counts;
    for (size_t r = first; r < replicates; r += step) {
      std::mt19937_64 rng(Mix(options.seed ^ Mix(r)));
      groups.DrawCounts(rng, &counts);
      metrics.Compute(counts, std::span<double>(values).subspan(r * k, k));
    }
  };
  const auto threads = static_cast<size_t>(std::min(options.threads, options.replicates));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (std::thread& t : pool) t.join();

  std::vector<Estimate> out(k);
  const double alpha = (1.0 - options.confidence) / 2;
  std::vector<double> column;
  for (size_t m = 0; m < k; ++m) {
    column.clear();
    for (size_t r = 0; r < replicates; ++r) {
      const double v = values[r * k + m];
      if (std::isfinite(v)) column.push_back(v);
    }
    std::sort(column.begin(), column.end());
    out[m].value = point[m];
    out[m].replicates_used = static_cast<int>(column.size());
    if (2 * column.size() < replicates) {
      out[m].lower = out[m].upper = std::numeric_limits<double>::quiet_NaN();
    } else {
      out[m].lower = QuantileOfSorted(column, alpha);
      out[m].upper = QuantileOfSorted(column, 1.0 - alpha);
    }
  }
  return out;
}

}  // namespace staycast::eval
