// Subgroup analysis: the same metric set per value of a grouping column (e.g. gender, age group),
// each with group-bootstrap intervals, and per metric the largest gap between subgroups.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/eval/metrics_bootstrap.h"

namespace staycast::eval {

struct SubgroupOptions {
  BootstrapOptions bootstrap;
  // Subgroups with fewer rows are listed with their size only (no metrics) and left out of gaps.
  size_t min_rows = 30;
};

struct SubgroupResult {
  std::string value;  // the category; "(missing)" for negative codes
  size_t rows = 0;
  size_t groups = 0;              // distinct patients (resampling units)
  bool evaluated = false;         // false when rows < min_rows
  std::vector<Estimate> metrics;  // parallel to SubgroupReport::metric_names when evaluated
};

// For one metric: the evaluated subgroups with the lowest and highest point estimate.
struct SubgroupGap {
  std::string metric;
  std::string lowest, highest;  // subgroup values
  double gap = 0;               // highest - lowest point estimate
  // The two intervals do not overlap (upper of lowest < lower of highest): the flag a reader
  // should look at first.
  bool flagged = false;
};

struct SubgroupReport {
  std::string column;
  std::vector<std::string> metric_names;
  std::vector<SubgroupResult> subgroups;  // in code order, then "(missing)"
  std::vector<SubgroupGap> gaps;          // one per metric defined in at least two subgroups
  // Index into gaps of the flagged gap with the largest gap relative to the overall metric value
  // (|gap / overall|), or -1 when nothing is flagged.
  int largest_flagged = -1;
};

// codes[r] indexes labels (negative = missing); `column` names the grouping in the report.
// InvalidArgument when sizes disagree or a code is out of range.
StatusOr<SubgroupReport> EvaluateSubgroups(const MetricSet& metrics, const GroupIndex& groups,
                                           const std::string& column,
                                           std::span<const int32_t> codes,
                                           std::span<const std::string> labels,
                                           const SubgroupOptions& options = {});

}  // namespace staycast::eval
