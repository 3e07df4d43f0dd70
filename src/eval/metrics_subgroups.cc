// Subgroup tables: split rows by category, bootstrap each subset by its own patients, find gaps.
#include "src/eval/metrics_subgroups.h"

#include <cmath>
#include <limits>
#include <memory>

#include "fmt/format.h"

namespace staycast::eval {

StatusOr<SubgroupReport> EvaluateSubgroups(const MetricSet& metrics, const GroupIndex& groups,
                                           const std::string& column,
                                           std::span<const int32_t> codes,
                                           std::span<const std::string> labels,
                                           const SubgroupOptions& options) {
  if (codes.size() != metrics.num_rows() || groups.num_rows() != metrics.num_rows()) {
    return InvalidArgumentError(
        fmt::format("subgroups by {}: {} codes, {} rows of groups, {} rows of metrics", column,
                    codes.size(), groups.num_rows(), metrics.num_rows()));
  }
  // Bucket rows by code; the last bucket holds missing values.
  std::vector<std::vector<uint32_t>> rows(labels.size() + 1);
  for (size_t r = 0; r < codes.size(); ++r) {
    if (codes[r] >= static_cast<int64_t>(labels.size())) {
      return InvalidArgumentError(
          fmt::format("subgroups by {}: row {} has code {} but only {} labels", column, r, codes[r],
                      labels.size()));
    }
    rows[codes[r] < 0 ? labels.size() : codes[r]].push_back(static_cast<uint32_t>(r));
  }
  SubgroupReport report;
  report.column = column;
  report.metric_names = metrics.names();
  const size_t k = report.metric_names.size();
  std::vector<double> overall(k);
  metrics.Compute({}, overall);
  for (size_t s = 0; s < rows.size(); ++s) {
    if (rows[s].empty()) continue;
    SubgroupResult result;
    result.value = s < labels.size() ? labels[s] : "(missing)";
    result.rows = rows[s].size();
    const GroupIndex sub_groups = groups.Subset(rows[s]);
    result.groups = sub_groups.num_groups();
    if (result.rows >= options.min_rows) {
      ASSIGN_OR_RETURN(std::unique_ptr<MetricSet> sub_metrics, metrics.Subset(rows[s]));
      ASSIGN_OR_RETURN(result.metrics, Bootstrap(*sub_metrics, sub_groups, options.bootstrap));
      result.evaluated = true;
    }
    report.subgroups.push_back(std::move(result));
  }
  double largest = -1;
  for (size_t m = 0; m < k; ++m) {
    const SubgroupResult* lo = nullptr;
    const SubgroupResult* hi = nullptr;
    for (const SubgroupResult& s : report.subgroups) {
      if (!s.evaluated || !std::isfinite(s.metrics[m].value)) continue;
      if (lo == nullptr || s.metrics[m].value < lo->metrics[m].value) lo = &s;
      if (hi == nullptr || s.metrics[m].value > hi->metrics[m].value) hi = &s;
    }
    if (lo == nullptr || lo == hi) continue;
    SubgroupGap gap;
    gap.metric = report.metric_names[m];
    gap.lowest = lo->value;
    gap.highest = hi->value;
    gap.gap = hi->metrics[m].value - lo->metrics[m].value;
    gap.flagged = lo->metrics[m].upper < hi->metrics[m].lower;  // false when either is NaN
    if (gap.flagged) {
      const double relative = overall[m] != 0 && std::isfinite(overall[m])
                                  ? std::fabs(gap.gap / overall[m])
                                  : std::numeric_limits<double>::infinity();
      if (relative > largest) {
        largest = relative;
        report.largest_flagged = static_cast<int>(report.gaps.size());
      }
    }
    report.gaps.push_back(std::move(gap));
  }
  return report;
}

}  // namespace staycast::eval
