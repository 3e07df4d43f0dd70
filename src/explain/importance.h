// Global importance by feature group: XGBoost gain summed per group, mean |SHAP| per group, and
// permutation importance for any model (the group's columns shuffled together, seeded).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "src/core/status.h"
#include "src/explain/groups.h"
#include "src/models/matrix.h"
#include "src/models/model.h"

namespace staycast::explain {

// Sums per-feature values (e.g. gain) into their groups.
std::vector<double> SumByGroup(const std::vector<double>& per_feature, const FeatureGroups& groups);

// Mean over rows of |group contribution|: the average size of a group's push on the raw score.
std::vector<double> MeanAbsContribution(const models::Contributions& contributions,
                                        const FeatureGroups& groups);

// A loss over (actual, predicted); lower is better.
using LossFn = std::function<double(const std::vector<double>&, const std::vector<double>&)>;

// Mean absolute error (regression) or log loss (classification probabilities).
LossFn DefaultLoss(models::Task task);

struct PermutationOptions {
  int repeats = 3;
  uint64_t seed = 2026;
  // Rows are subsampled (seeded) to at most this many; permutation costs groups x repeats
  // predictions over them.
  size_t max_rows = 5000;
  LossFn loss;  // null: DefaultLoss(model.task())
};

struct PermutationImportance {
  double baseline_loss = 0;
  std::vector<double> mean;  // per group: mean over repeats of (permuted loss - baseline loss)
  std::vector<double> sd;    // per group: standard deviation over repeats (0 with one repeat)
  size_t rows = 0;           // rows used
};

// For each group, shuffles the rows of all the group's columns with one permutation (so one-hot
// columns stay consistent) and measures how much the loss rises. InvalidArgument on shape
// mismatches or repeats < 1.
StatusOr<PermutationImportance> ComputePermutationImportance(const models::Model& model,
                                                             const models::Matrix& x,
                                                             const std::vector<double>& y,
                                                             const FeatureGroups& groups,
                                                             const PermutationOptions& options);

}  // namespace staycast::explain
