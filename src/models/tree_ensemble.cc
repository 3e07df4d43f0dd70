// TreeEnsemble: reading XGBoost's JSON trees and scoring rows (see tree_ensemble.h).
#include "src/models/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "src/core/parallel.h"

namespace staycast::models {
namespace {

// XGBoost writes numbers in its JSON model either as numbers or (1.x attributes) as strings.
double Number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return std::strtod(j.get<std::string>().c_str(), nullptr);
  if (j.is_boolean()) return j.get<bool>() ? 1 : 0;
  return std::nan("");
}

// Rows per thread below which extra threads cost more than they save.
constexpr size_t kMinRowsPerThread = 2048;

// Steps from node 0 to the deepest leaf of a tree whose children are `left`/`right` (-1 = leaf);
// -1 when a walk revisits a node (not a tree).
int TreeDepth(const nlohmann::json& left, const nlohmann::json& right) {
  const size_t n = left.size();
  std::vector<std::pair<int, int>> stack = {{0, 0}};  // node, its depth
  std::vector<char> seen(n, 0);
  int depth = 0;
  while (!stack.empty()) {
    const auto [node, d] = stack.back();
    stack.pop_back();
    if (seen[static_cast<size_t>(node)] != 0) return -1;
    seen[static_cast<size_t>(node)] = 1;
    depth = std::max(depth, d);
    const int l = left[static_cast<size_t>(node)].get<int>();
    if (l >= 0) {
      stack.emplace_back(l, d + 1);
      stack.emplace_back(right[static_cast<size_t>(node)].get<int>(), d + 1);
    }
  }
  return depth;
}

}  // namespace

StatusOr<TreeEnsemble> TreeEnsemble::FromXgboostJson(const nlohmann::json& model) {
  TreeEnsemble out;
  const nlohmann::json* learner = model.contains("learner") ? &model["learner"] : nullptr;
  if (learner == nullptr || !learner->is_object()) {
    return InvalidArgumentError("not an XGBoost JSON model (no learner)");
  }
  const nlohmann::json& param = learner->value("learner_model_param", nlohmann::json::object());
  if (Number(param.value("num_class", nlohmann::json("0"))) > 1 ||
      Number(param.value("num_target", nlohmann::json("1"))) > 1) {
    return FailedPreconditionError("several classes or targets");
  }
  const std::string objective =
      learner->value("objective", nlohmann::json::object()).value("name", "");
  const float base_score = static_cast<float>(Number(param.value("base_score", nlohmann::json())));
  if (!std::isfinite(base_score)) return InvalidArgumentError("no base_score");
  if (objective == "reg:squarederror" || objective == "reg:absoluteerror") {
    out.transform_ = Transform::kIdentity;
    out.base_margin_ = base_score;
  } else if (objective == "binary:logistic") {
    out.transform_ = Transform::kSigmoid;
    out.base_margin_ = -std::log(1.0F / base_score - 1.0F);
  } else if (objective == "count:poisson" || objective == "reg:gamma" ||
             objective == "reg:tweedie") {
    out.transform_ = Transform::kExp;
    out.base_margin_ = std::log(base_score);
  } else {
    return FailedPreconditionError("objective '" + objective + "'");
  }
  const nlohmann::json& booster = learner->value("gradient_booster", nlohmann::json::object());
  if (booster.value("name", "") != "gbtree") {
    return FailedPreconditionError("booster '" + booster.value("name", "") + "'");
  }
  out.num_features_ = static_cast<size_t>(Number(param.value("num_feature", nlohmann::json())));
  const nlohmann::json& trees =
      booster.value("model", nlohmann::json::object()).value("trees", nlohmann::json::array());
  for (const nlohmann::json& tree : trees) {
    const nlohmann::json& left = tree.at("left_children");
    const nlohmann::json& right = tree.at("right_children");
    const nlohmann::json& feature = tree.at("split_indices");
    const nlohmann::json& cond = tree.at("split_conditions");
    const nlohmann::json& default_left = tree.at("default_left");
    const size_t n = left.size();
    if (right.size() != n || feature.size() != n || cond.size() != n || default_left.size() != n) {
      return InvalidArgumentError("a tree's node arrays differ in length");
    }
    if (const auto it = tree.find("split_type"); it != tree.end()) {
      for (const nlohmann::json& t : *it) {
        if (Number(t) != 0) return FailedPreconditionError("categorical splits");
      }
    }
    const auto offset = static_cast<int32_t>(out.nodes_.size());
    out.roots_.push_back(offset);
    for (size_t i = 0; i < n; ++i) {
      Node node;
      node.left = node.right = offset + static_cast<int32_t>(i);  // a leaf until shown otherwise
      const int l = left[i].get<int>();
      node.value = static_cast<float>(Number(cond[i]));
      if (l >= 0) {
        const int r = right[i].get<int>();
        const auto f = static_cast<uint32_t>(feature[i].get<int64_t>());
        if (static_cast<size_t>(l) >= n || r < 0 || static_cast<size_t>(r) >= n ||
            f >= out.num_features_) {
          return InvalidArgumentError("a tree node points outside the tree or the features");
        }
        node.left = offset + l;
        node.right = offset + r;
        node.feature = f | (Number(default_left[i]) != 0 ? kDefaultLeft : 0U);
      }
      out.nodes_.push_back(node);
    }
    const int depth = n == 0 ? -1 : TreeDepth(left, right);
    if (depth < 0) return InvalidArgumentError("a tree's nodes do not form a tree");
    out.depth_.push_back(depth);
  }
  out.BuildCompleteTrees();
  out.vector_walk_ = CpuHasVectorWalk() && !out.complete_.depth.empty();
  return out;
}

bool TreeEnsemble::CpuHasVectorWalk() {
#if defined(__x86_64__) && defined(__GNUC__)
  return __builtin_cpu_supports("avx512f") != 0;
#else
  return false;
#endif
}

void TreeEnsemble::BuildCompleteTrees() {
  CompleteTrees c;
  for (size_t t = 0; t < roots_.size(); ++t) {
    const int32_t depth = depth_[t];
    if (depth > kMaxVectorDepth) return;  // complete_ stays empty: scalar walks only
    const auto node_begin = static_cast<uint32_t>(c.feature.size());
    const auto leaf_begin = static_cast<uint32_t>(c.leaf.size());
    c.node_begin.push_back(node_begin);
    c.leaf_begin.push_back(leaf_begin);
    c.depth.push_back(depth);
    const size_t levels_nodes = (size_t{1} << depth) - 1;
    // Padding nodes (under a shallow leaf) send every row right; any leaf below them is theirs.
    c.feature.resize(node_begin + levels_nodes, 0);
    c.threshold.resize(node_begin + levels_nodes, std::nanf(""));
    c.leaf.resize(leaf_begin + (size_t{1} << depth), 0);
    // Depth-first over (node, level, position in level).
    std::vector<std::tuple<int32_t, int32_t, size_t>> stack = {{roots_[t], 0, 0}};
    while (!stack.empty()) {
      const auto [at, level, pos] = stack.back();
      stack.pop_back();
      const Node& node = nodes_[static_cast<size_t>(at)];
      if (node.left == at) {  // a leaf: every leaf slot under (level, pos)
        const int32_t below = depth - level;
        std::fill_n(c.leaf.begin() + leaf_begin + (pos << below), size_t{1} << below, node.value);
        continue;
      }
      const size_t slot = node_begin + (size_t{1} << level) - 1 + pos;
      c.feature[slot] = node.feature;
      c.threshold[slot] = node.value;
      stack.emplace_back(node.left, level + 1, 2 * pos);
      stack.emplace_back(node.right, level + 1, 2 * pos + 1);
    }
  }
  c.feature.resize(c.feature.size() + kCompletePadding, 0);
  c.threshold.resize(c.threshold.size() + kCompletePadding, std::nanf(""));
  c.leaf.resize(c.leaf.size() + kCompletePadding, 0);
  complete_ = std::move(c);
}

namespace {

// One step of a walk: the child of `node` that a row with value `v` at the node's feature takes.
// Left when v < threshold, or v is missing and missing goes left; chosen with integer arithmetic,
// because a branch here is mispredicted half the time.
template <typename Node>
inline int32_t Child(const Node& node, float v) {
  const auto go_left =
      static_cast<int32_t>(static_cast<uint32_t>(v < node.value) |
                           (static_cast<uint32_t>(std::isnan(v)) & (node.feature >> 31)));
  return node.right ^ ((node.left ^ node.right) & -go_left);
}

}  // namespace

// Every walk through a tree takes the same number of steps (the tree's depth; a leaf steps to
// itself), so walks have no data-dependent branch. kLanes walks go together, in registers, so that
// their memory loads overlap: kLanes rows through one tree for full groups of rows, and for the
// rows left over, one row through kLanes trees at a time (the serving case: one row).
void TreeEnsemble::BlockMargins(const float* rows, size_t n, size_t cols, float* margins) const {
  constexpr uint32_t kFeature = ~kDefaultLeft;
  const Node* nodes = nodes_.data();
  const size_t full = n / kLanes * kLanes;
  std::fill(margins, margins + full, base_margin_);
  for (size_t t = 0; t < roots_.size(); ++t) {
    const int32_t root = roots_[t];
    const int32_t depth = depth_[t];
    for (size_t r = 0; r < full; r += kLanes) {
      const float* base = rows + r * cols;
      int32_t at[kLanes];
      for (size_t k = 0; k < kLanes; ++k) at[k] = root;
      for (int32_t step = 0; step < depth; ++step) {
        for (size_t k = 0; k < kLanes; ++k) {
          const Node& node = nodes[at[k]];
          at[k] = Child(node, base[k * cols + (node.feature & kFeature)]);
        }
      }
      for (size_t k = 0; k < kLanes; ++k) margins[r + k] += nodes[at[k]].value;  // tree order
    }
  }
  for (size_t r = full; r < n; ++r) {
    const float* row = rows + r * cols;
    float sum = base_margin_;
    for (size_t t = 0; t < roots_.size(); t += kLanes) {
      const size_t lanes = std::min(kLanes, roots_.size() - t);
      int32_t at[kLanes];
      int32_t depth = 0;
      for (size_t k = 0; k < lanes; ++k) {
        at[k] = roots_[t + k];
        depth = std::max(depth, depth_[t + k]);
      }
      for (int32_t step = 0; step < depth; ++step) {
        for (size_t k = 0; k < lanes; ++k) {
          const Node& node = nodes[at[k]];
          at[k] = Child(node, row[node.feature & kFeature]);
        }
      }
      for (size_t k = 0; k < lanes; ++k) sum += nodes[at[k]].value;  // tree order
    }
    margins[r] = sum;
  }
}

void TreeEnsemble::PredictRange(const Matrix& x, size_t begin, size_t end, double* out) const {
  float margins[kBlockRows];
  for (size_t start = begin; start < end; start += kBlockRows) {
    const size_t n = std::min(kBlockRows, end - start);
    size_t done = 0;
    if (vector_walk_ && n >= kVectorRows) {
      VectorMargins(x.row(start), n / kVectorRows, x.cols, margins);
      done = n / kVectorRows * kVectorRows;
    }
    if (done < n) BlockMargins(x.row(start + done), n - done, x.cols, margins + done);
    for (size_t r = 0; r < n; ++r) {
      const float m = margins[r];
      float v = m;
      if (transform_ == Transform::kSigmoid) {
        v = 1.0F / (1.0F + std::exp(-m));
      } else if (transform_ == Transform::kExp) {
        v = std::exp(m);
      }
      out[start + r] = v;
    }
  }
}

void TreeEnsemble::Predict(const Matrix& x, std::vector<double>* out, int threads) const {
  out->resize(x.rows);
  const size_t parts =
      std::clamp<size_t>(x.rows / kMinRowsPerThread, 1, static_cast<size_t>(std::max(1, threads)));
  // Contiguous ranges, each a whole number of blocks, one per thread (the caller's thread too).
  ParallelRanges(x.rows, static_cast<int>(parts), kBlockRows,
                 [&](size_t begin, size_t end) { PredictRange(x, begin, end, out->data()); });
}

}  // namespace staycast::models
