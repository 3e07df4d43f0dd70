// TreeEnsemble: an evaluator of a trained XGBoost tree ensemble (gbtree, numeric splits). For one
// row it skips XGBoost's per-call overhead (the serving hot path); for batches it walks blocks of
// rows through one tree at a time without branches, so the tree stays in cache and the rows' walks
// overlap. It gives XGBoost's own answer (float sums in tree order, the objective's transform).
// bench/tree_predict_bench.cc measures both; tree_ensemble_test.cc proves equality.
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
  // Rows walked through a tree together (bench/tree_predict_bench.cc: 32-128 are equal; 64 keeps
  // a block of ~100 features in L1 cache).
  static constexpr size_t kBlockRows = 64;

  // Reads XGBoost's JSON model (XGBoosterSaveModelToBuffer "json"). FailedPrecondition for what it
  // does not evaluate (gblinear/dart, categorical splits, several targets, unknown objectives):
  // the caller keeps XGBoost for those.
  static StatusOr<TreeEnsemble> FromXgboostJson(const nlohmann::json& model);

  // One prediction per row, in the objective's output space (as XGBoost's "type 0" predict).
  // NaN features take the default branch. x.cols must equal num_features(). With threads > 1 and
  // enough rows, contiguous ranges of rows are scored on that many threads.
  void Predict(const Matrix& x, std::vector<double>* out, int threads = 1) const;
  size_t num_features() const { return num_features_; }
  size_t num_trees() const { return roots_.size(); }

 private:
  enum class Transform : uint8_t { kIdentity, kSigmoid, kExp };
  // One node, 16 bytes. A leaf points to itself on both sides (so a walk of a fixed number of
  // steps ends on it) and keeps its value in `value`.
  struct Node {
    int32_t left = 0;
    int32_t right = 0;
    uint32_t feature = 0;  // high bit: missing values go left
    float value = 0;       // split threshold (go left when x < value), or the leaf value
  };
  static constexpr uint32_t kDefaultLeft = 0x80000000U;
  // Tree walks interleaved in registers (bench/tree_predict_bench.cc: 8 beats 4 and 16).
  static constexpr size_t kLanes = 8;

  // Margins of `n` (<= kBlockRows) consecutive rows starting at `rows`, `cols` floats apart.
  void BlockMargins(const float* rows, size_t n, size_t cols, float* margins) const;
  void PredictRange(const Matrix& x, size_t begin, size_t end, double* out) const;

  std::vector<Node> nodes_;     // every tree's nodes, each tree contiguous
  std::vector<int32_t> roots_;  // index of each tree's root in nodes_
  std::vector<int32_t> depth_;  // each tree's depth: steps from the root to its deepest leaf
  float base_margin_ = 0;
  Transform transform_ = Transform::kIdentity;
  size_t num_features_ = 0;
};

}  // namespace staycast::models
