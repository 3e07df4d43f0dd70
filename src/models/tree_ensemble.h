// TreeEnsemble: a small evaluator of a trained XGBoost tree ensemble (gbtree, numeric splits) for
// the serving hot path, where XGBoost's per-call overhead dominates a one-row prediction. It gives
// XGBoost's own answer (float sums in tree order, the objective's transform); batches still go to
// XGBoost. bench/tree_predict_bench.cc measures both; tree_ensemble_test.cc proves equality.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/models/matrix.h"

namespace staycast::models {

class TreeEnsemble {
 public:
  // Rows up to this many are scored by the ensemble in XgboostModel::Predict; larger batches by
  // XGBoost (faster there: threads and blocked traversal). From bench/tree_predict_bench.cc.
  static constexpr size_t kMaxRows = 16;

  // Reads XGBoost's JSON model (XGBoosterSaveModelToBuffer "json"). FailedPrecondition for what it
  // does not evaluate (gblinear/dart, categorical splits, several targets, unknown objectives):
  // the caller keeps XGBoost for those.
  static StatusOr<TreeEnsemble> FromXgboostJson(const nlohmann::json& model);

  // One prediction per row, in the objective's output space (as XGBoost's "type 0" predict).
  // NaN features take the default branch. x.cols must equal num_features().
  void Predict(const Matrix& x, std::vector<double>* out) const;
  size_t num_features() const { return num_features_; }
  size_t num_trees() const { return roots_.size(); }

 private:
  enum class Transform : uint8_t { kIdentity, kSigmoid, kExp };
  // One node, 16 bytes. A leaf has left == -1 and keeps its value in `value`.
  struct Node {
    int32_t left = -1;
    int32_t right = -1;
    uint32_t feature = 0;  // high bit: missing values go left
    float value = 0;       // split threshold (go left when x < value), or the leaf value
  };
  static constexpr uint32_t kDefaultLeft = 0x80000000U;

  float Margin(const float* row) const;

  std::vector<Node> nodes_;     // every tree's nodes, each tree contiguous
  std::vector<int32_t> roots_;  // index of each tree's root in nodes_
  float base_margin_ = 0;
  Transform transform_ = Transform::kIdentity;
  size_t num_features_ = 0;
};

}  // namespace staycast::models
