// `svr`: libsvm epsilon-SVR with an RBF kernel on standardised features (and, by default, a
// standardised target); above max_train_rows it trains on a seeded, target-stratified subsample.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "src/core/status.h"
#include "src/models/model.h"

namespace staycast::models {

// Builds "svr" (regression only) from validated params (see docs/models.md).
StatusOr<std::unique_ptr<Model>> CreateSvrModel(const nlohmann::json& params, Task task);

// Indices of a subsample of `m` rows stratified by target quantiles: the rows sorted by y are cut
// into `bins` equal-count bins and each bin contributes its share, chosen with `seed`. Sorted.
std::vector<size_t> StratifiedSubsample(const std::vector<double>& y, size_t m, int bins,
                                        uint64_t seed);

}  // namespace staycast::models
