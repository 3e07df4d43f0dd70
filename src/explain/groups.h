// Grouping model features back to what a person recognises: the original input column a one-hot,
// bin, flag or imputation indicator came from (or the feature's own name for features over several
// columns and history features), and per-row top contributions by group.
#pragma once

#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/features/config.h"
#include "src/features/feature_matrix.h"
#include "src/models/model.h"

namespace staycast::explain {

// group_of_feature[j] indexes names for model feature j.
struct FeatureGroups {
  std::vector<std::string> names;
  std::vector<size_t> group_of_feature;
  size_t size() const { return names.size(); }
};

// A feature over exactly one declared column (directly or through other features) belongs to that
// column ("age" and "age_group=65-79" both to "age"); history features and features over several
// columns keep their feature name ("avg_previous_los", "chronic_count"). Groups are in order of
// first appearance.
FeatureGroups GroupFeatures(const features::RunConfig& config,
                            const std::vector<features::OutputField>& fields);

// Every feature its own group (for matrices without a config).
FeatureGroups Ungrouped(const std::vector<std::string>& feature_names);

// Per row and group: the sum of the group's feature contributions (additive, so groups still add
// up to the raw score). rows x groups, row-major.
std::vector<double> GroupContributions(const models::Contributions& contributions,
                                       const FeatureGroups& groups);

struct GroupContribution {
  std::string name;
  double value = 0;
};

// One row's explanation: bias + sum(top) + rest == raw_score (the prediction, or the log-odds for
// classification before calibration).
struct RowExplanation {
  double raw_score = 0;
  double bias = 0;
  std::vector<GroupContribution> top;  // by decreasing |value|
  double rest = 0;                     // the sum of the groups not in top
};

// The top_k groups by |contribution| of every row (top_k 0 = all groups).
std::vector<RowExplanation> TopContributions(const models::Contributions& contributions,
                                             const FeatureGroups& groups, size_t top_k);

}  // namespace staycast::explain
