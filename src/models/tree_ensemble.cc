// TreeEnsemble: reading XGBoost's JSON trees and scoring rows (see tree_ensemble.h).
#include "src/models/tree_ensemble.h"

#include <cmath>
#include <cstdlib>

namespace staycast::models {
namespace {

// XGBoost writes numbers in its JSON model either as numbers or (1.x attributes) as strings.
double Number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return std::strtod(j.get<std::string>().c_str(), nullptr);
  if (j.is_boolean()) return j.get<bool>() ? 1 : 0;
  return std::nan("");
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
  }
  return out;
}

float TreeEnsemble::Margin(const float* row) const {
  float sum = base_margin_;
  const Node* nodes = nodes_.data();
  for (const int32_t root : roots_) {
    const Node* node = nodes + root;
    while (node->left >= 0) {
      const float v = row[node->feature & ~kDefaultLeft];
      const bool go_left = std::isnan(v) ? (node->feature & kDefaultLeft) != 0 : v < node->value;
      node = nodes + (go_left ? node->left : node->right);
    }
    sum += node->value;
  }
  return sum;
}

void TreeEnsemble::Predict(const Matrix& x, std::vector<double>* out) const {
  out->resize(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    const float m = Margin(x.row(r));
    float v = m;
    if (transform_ == Transform::kSigmoid) {
      v = 1.0F / (1.0F + std::exp(-m));
    } else if (transform_ == Transform::kExp) {
      v = std::exp(m);
    }
    (*out)[r] = v;
  }
}

}  // namespace staycast::models
