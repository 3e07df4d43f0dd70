// Gain and mean |SHAP| by group, and seeded grouped permutation importance.
#include "src/explain/importance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace staycast::explain {

std::vector<double> SumByGroup(const std::vector<double>& per_feature,
                               const FeatureGroups& groups) {
  std::vector<double> out(groups.size(), 0.0);
  for (size_t j = 0; j < per_feature.size() && j < groups.group_of_feature.size(); ++j) {
    out[groups.group_of_feature[j]] += per_feature[j];
  }
  return out;
}

std::vector<double> MeanAbsContribution(const models::Contributions& contributions,
                                        const FeatureGroups& groups) {
  const size_t g = groups.size();
  const std::vector<double> grouped = GroupContributions(contributions, groups);
  std::vector<double> out(g, 0.0);
  if (contributions.rows == 0) return out;
  for (size_t r = 0; r < contributions.rows; ++r) {
    for (size_t k = 0; k < g; ++k) out[k] += std::abs(grouped[r * g + k]);
  }
  for (double& v : out) v /= static_cast<double>(contributions.rows);
  return out;
}

LossFn DefaultLoss(models::Task task) {
  if (task == models::Task::kRegression) {
    return [](const std::vector<double>& y, const std::vector<double>& p) {
      double s = 0;
      for (size_t i = 0; i < y.size(); ++i) s += std::abs(y[i] - p[i]);
      return s / static_cast<double>(y.size());
    };
  }
  return [](const std::vector<double>& y, const std::vector<double>& p) {
    constexpr double kEps = 1e-15;
    double s = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      const double q = std::clamp(p[i], kEps, 1 - kEps);
      s -= y[i] > 0.5 ? std::log(q) : std::log(1 - q);
    }
    return s / static_cast<double>(y.size());
  };
}

StatusOr<PermutationImportance> ComputePermutationImportance(const models::Model& model,
                                                             const models::Matrix& x,
                                                             const std::vector<double>& y,
                                                             const FeatureGroups& groups,
                                                             const PermutationOptions& options) {
  if (y.size() != x.rows) {
    return InvalidArgumentError("permutation importance: " + std::to_string(y.size()) +
                                " outcomes for " + std::to_string(x.rows) + " rows");
  }
  if (groups.group_of_feature.size() != x.cols) {
    return InvalidArgumentError("permutation importance: groups cover " +
                                std::to_string(groups.group_of_feature.size()) + " features, " +
                                "the matrix has " + std::to_string(x.cols));
  }
  if (options.repeats < 1) {
    return InvalidArgumentError("permutation importance: repeats must be >= 1");
  }
  if (x.rows == 0) return InvalidArgumentError("permutation importance: no rows");
  std::mt19937_64 rng(options.seed);
  std::vector<size_t> rows(x.rows);
  std::iota(rows.begin(), rows.end(), size_t{0});
  if (options.max_rows > 0 && rows.size() > options.max_rows) {
    std::shuffle(rows.begin(), rows.end(), rng);
    rows.resize(options.max_rows);
    std::sort(rows.begin(), rows.end());
  }
  const models::Matrix base = models::SelectRows(x, rows);
  const std::vector<double> yy = models::SelectElements(y, rows);
  const LossFn loss = options.loss ? options.loss : DefaultLoss(model.task());
  ASSIGN_OR_RETURN(std::vector<double> base_pred, model.Predict(base));
  PermutationImportance out;
  out.rows = base.rows;
  out.baseline_loss = loss(yy, base_pred);
  out.mean.assign(groups.size(), 0.0);
  out.sd.assign(groups.size(), 0.0);
  std::vector<std::vector<size_t>> members(groups.size());
  for (size_t j = 0; j < x.cols; ++j) members[groups.group_of_feature[j]].push_back(j);
  models::Matrix shuffled = base;
  std::vector<size_t> perm(base.rows);
  for (size_t g = 0; g < groups.size(); ++g) {
    std::vector<double> deltas;
    for (int rep = 0; rep < options.repeats; ++rep) {
      std::iota(perm.begin(), perm.end(), size_t{0});
      std::shuffle(perm.begin(), perm.end(), rng);
      for (size_t r = 0; r < base.rows; ++r) {
        for (size_t j : members[g]) shuffled.values[r * x.cols + j] = base.at(perm[r], j);
      }
      ASSIGN_OR_RETURN(std::vector<double> pred, model.Predict(shuffled));
      deltas.push_back(loss(yy, pred) - out.baseline_loss);
    }
    for (size_t r = 0; r < base.rows; ++r) {
      for (size_t j : members[g]) shuffled.values[r * x.cols + j] = base.at(r, j);
    }
    const double mean = std::accumulate(deltas.begin(), deltas.end(), 0.0) / deltas.size();
    double var = 0;
    for (double d : deltas) var += (d - mean) * (d - mean);
    out.mean[g] = mean;
    out.sd[g] = deltas.size() > 1 ? std::sqrt(var / static_cast<double>(deltas.size() - 1)) : 0;
  }
  return out;
}

}  // namespace staycast::explain
