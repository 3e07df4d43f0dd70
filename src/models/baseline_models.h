// Baselines every candidate is compared against: `mean`, `median`, `group_median` (regression)
// and `prevalence`, `always_negative` (classification).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "src/core/status.h"
#include "src/models/model.h"

namespace staycast::models {

// group_median takes its group from the feature matrix, by one of two params:
//   "group_feature": "<name>"  — a column holding a group code (any float; NaN is its own group);
//   "group_prefix": "<prefix>" — one-hot columns whose names start with the prefix (e.g.
//                                 "department="); a row's group is the first such column > 0.5,
//                                 or "none".
// Groups with fewer than min_group_size training rows, and groups unseen in training, get the
// overall median.
StatusOr<std::unique_ptr<Model>> CreateBaselineModel(const std::string& type,
                                                     const nlohmann::json& params, Task task);

}  // namespace staycast::models
