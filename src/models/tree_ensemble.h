// TreeEnsemble: an evaluator of a trained XGBoost tree ensemble (gbtree, numeric splits). For one
// row it skips XGBoost's per-call overhead (the serving hot path); for batches it walks blocks of
// rows through one tree at a time without branches, so the tree stays in cache and the rows' walks
// overlap. On CPUs with AVX-512 (checked at run time), trees of depth <= kMaxVectorDepth are also
// kept as complete trees and walked 16 rows per instruction (tree_ensemble_avx512.cc). It gives
// XGBoost's own answer (float sums in tree order, the objective's transform).
// bench/tree_predict_bench.cc measures both walks; tree_ensemble_test.cc proves equality.
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

  // Whether batches take the AVX-512 walk: on by default where the CPU has AVX-512 and every tree
  // is at most kMaxVectorDepth deep. Turning it off (tests, benchmarks) leaves the scalar walk.
  bool vector_walk() const { return vector_walk_; }
  void set_vector_walk(bool on) { vector_walk_ = on && !complete_.depth.empty(); }
  static bool CpuHasVectorWalk();
  // Deeper trees would make the complete layout too large (2^depth nodes each).
  static constexpr int kMaxVectorDepth = 10;

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

  // Every tree as a complete binary tree of its own depth, level by level (node i's children are
  // 2i+1 and 2i+2): no child pointers to load, and the top levels fit in vector registers. A leaf
  // above the last level fills every leaf slot below it, so all walks take `depth` steps.
  struct CompleteTrees {
    std::vector<uint32_t> feature;  // per node: feature | kDefaultLeft
    std::vector<float> threshold;   // per node: go left when x < threshold
    std::vector<float> leaf;        // per tree 2^depth leaf values
    std::vector<uint32_t> node_begin;
    std::vector<uint32_t> leaf_begin;
    std::vector<int32_t> depth;
  };
  // Vector loads read up to this many values past a tree's last node or leaf.
  static constexpr size_t kCompletePadding = 32;
  // Rows per AVX-512 walk (one float per lane).
  static constexpr size_t kVectorRows = 16;
  void BuildCompleteTrees();

  // Margins of `n` (<= kBlockRows) consecutive rows starting at `rows`, `cols` floats apart.
  void BlockMargins(const float* rows, size_t n, size_t cols, float* margins) const;
  // The same for `groups` (1-4) groups of 16 rows, with AVX-512 (only called when the CPU has it).
  void VectorMargins(const float* rows, size_t groups, size_t cols, float* margins) const;
  void PredictRange(const Matrix& x, size_t begin, size_t end, double* out) const;

  std::vector<Node> nodes_;     // every tree's nodes, each tree contiguous
  std::vector<int32_t> roots_;  // index of each tree's root in nodes_
  std::vector<int32_t> depth_;  // each tree's depth: steps from the root to its deepest leaf
  float base_margin_ = 0;
  Transform transform_ = Transform::kIdentity;
  size_t num_features_ = 0;
  CompleteTrees complete_;  // empty when a tree is deeper than kMaxVectorDepth
  bool vector_walk_ = false;
};

}  // namespace staycast::models
