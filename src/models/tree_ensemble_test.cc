// TreeEnsemble equals XGBoost: for every tree model type and objective Staycast trains, the
// ensemble's predictions (one row, batches with and without a partial group of rows, several
// threads; the AVX-512 walk where the CPU has it and the scalar walk) equal XGBoost's own
// predictions, called through its C API, to float precision.
#include "src/models/tree_ensemble.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "src/core/status_matchers.h"
#include "src/models/model.h"
#include "src/models/test_data.h"
#include "src/models/xgboost_handles.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;

struct EnsembleCase {
  std::string type;
  nlohmann::json params;
  Task task;
};

std::vector<EnsembleCase> Cases() {
  std::vector<EnsembleCase> cases;
  for (const char* objective :
       {"reg:squarederror", "reg:absoluteerror", "count:poisson", "reg:tweedie", "reg:gamma"}) {
    cases.push_back({"gradient_boosting",
                     {{"objective", objective}, {"n_rounds", 40}, {"max_depth", 5}},
                     Task::kRegression});
  }
  cases.push_back({"gradient_boosting", {{"n_rounds", 40}}, Task::kClassification});
  cases.push_back({"random_forest", {{"n_trees", 15}, {"max_depth", 6}}, Task::kRegression});
  cases.push_back({"random_forest", {{"n_trees", 15}}, Task::kClassification});
  // Deeper than the vector walk's complete layout goes (kMaxVectorDepth): the scalar walk only.
  cases.push_back({"random_forest", {{"n_trees", 5}, {"max_depth", 12}}, Task::kRegression});
  return cases;
}

// XGBoost's own prediction of a saved model (in-place, dense, NaN missing): the reference.
StatusOr<std::vector<double>> XgboostPredict(const std::string& state, const Matrix& x) {
  BoosterHandle handle = nullptr;
  RETURN_IF_ERROR(xgb::Check(XGBoosterCreate(nullptr, 0, &handle), "creating a booster"));
  const xgb::BoosterPtr booster(handle);
  RETURN_IF_ERROR(xgb::Check(XGBoosterLoadModelFromBuffer(handle, state.data(), state.size()),
                             "loading the model"));
  const std::string array = nlohmann::json{
      {"data", {reinterpret_cast<uintptr_t>(x.values.data()), true}},
      {"shape", {x.rows, x.cols}},
      {"typestr", "<f4"},
      {"version", 3}}.dump();
  const char* config =
      R"({"type": 0, "training": false, "iteration_begin": 0,)"
      R"( "iteration_end": 0, "strict_shape": false, "cache_id": 0, "missing": NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  RETURN_IF_ERROR(xgb::Check(
      XGBoosterPredictFromDense(handle, array.c_str(), config, nullptr, &shape, &dim, &result),
      "predicting"));
  return std::vector<double>(result, result + x.rows);
}

Matrix Row(const Matrix& x, size_t r) {
  Matrix one;
  one.rows = 1;
  one.cols = x.cols;
  one.feature_names = x.feature_names;
  one.values.assign(x.row(r), x.row(r) + x.cols);
  return one;
}

void ExpectSamePredictions(const std::vector<double>& got, const std::vector<double>& want,
                           const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t r = 0; r < want.size(); ++r) {
    ASSERT_FLOAT_EQ(static_cast<float>(got[r]), static_cast<float>(want[r]))
        << what << ", row " << r;
  }
}

TEST(TreeEnsemble, PredictionsEqualXgboostForEveryTreeModel) {
  for (const EnsembleCase& c : Cases()) {
    SCOPED_TRACE(c.type + " " + c.params.dump());
    const testing::Dataset train = c.task == Task::kRegression
                                       ? testing::MakeRegression(600, 3)
                                       : testing::MakeClassification(600, 3);
    // 5,003 rows: whole groups of rows, a partial group (3 rows), and enough for two threads.
    const testing::Dataset test = c.task == Task::kRegression
                                      ? testing::MakeRegression(5003, 4)
                                      : testing::MakeClassification(5003, 4);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel(c.type, c.params, c.task));
    ASSERT_OK(model->Fit(train.x, train.y, FitOptions()));
    // The ensemble compiles for this model (otherwise the comparisons below would be vacuous).
    ASSERT_OK_AND_ASSIGN(const std::string state, model->SaveState());
    ASSERT_OK_AND_ASSIGN(const TreeEnsemble ensemble,
                         TreeEnsemble::FromXgboostJson(nlohmann::json::parse(state)));
    EXPECT_GT(ensemble.num_trees(), 0U);
    ASSERT_OK_AND_ASSIGN(const std::vector<double> reference, XgboostPredict(state, test.x));
    // Both walks: AVX-512 (where this CPU has it; the default) and scalar.
    TreeEnsemble scalar = ensemble;
    scalar.set_vector_walk(false);
    EXPECT_FALSE(scalar.vector_walk());
    if (c.params.value("max_depth", 8) <= TreeEnsemble::kMaxVectorDepth) {
      EXPECT_EQ(ensemble.vector_walk(), TreeEnsemble::CpuHasVectorWalk());
    }
    for (const TreeEnsemble* e : {&ensemble, static_cast<const TreeEnsemble*>(&scalar)}) {
      const std::string walk = e->vector_walk() ? "vector walk, " : "scalar walk, ";
      std::vector<double> direct;
      e->Predict(test.x, &direct);
      ExpectSamePredictions(direct, reference, walk + "one thread");
      e->Predict(test.x, &direct, /*threads=*/2);
      ExpectSamePredictions(direct, reference, walk + "two threads");
    }
    // What callers get from the model, one row at a time (the serving case) and in a batch.
    model->SetPredictThreads(2);
    ASSERT_OK_AND_ASSIGN(const std::vector<double> batch, model->Predict(test.x));
    ExpectSamePredictions(batch, reference, "Model::Predict");
    for (size_t r = 0; r < 100; ++r) {
      ASSERT_OK_AND_ASSIGN(const std::vector<double> one, model->Predict(Row(test.x, r)));
      ASSERT_EQ(one.size(), 1U);
      EXPECT_FLOAT_EQ(static_cast<float>(one[0]), static_cast<float>(reference[r])) << "row " << r;
    }
    ASSERT_OK_AND_ASSIGN(const std::vector<double> few,
                         model->Predict(testing::FirstRows(test.x, 13)));
    ExpectSamePredictions(few, std::vector<double>(reference.begin(), reference.begin() + 13),
                          "13 rows");
    // A loaded model (as served from a bundle) predicts the same.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> loaded, LoadModel(model->SaveConfig(), state));
    ASSERT_OK_AND_ASSIGN(const std::vector<double> again, loaded->Predict(test.x));
    ExpectSamePredictions(again, reference, "loaded model");
  }
}

TEST(TreeEnsemble, MissingValuesTakeTheDefaultBranch) {
  const testing::Dataset train = testing::MakeRegression(600, 5);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("gradient_boosting", {{"n_rounds", 30}}, Task::kRegression));
  ASSERT_OK(model->Fit(train.x, train.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(const std::string state, model->SaveState());
  // Rows with every value missing, one feature missing, and none missing; alone and in a batch.
  Matrix x = testing::FirstRows(train.x, 64);
  for (size_t r = 0; r < x.rows; r += 3) {
    for (size_t c = 0; c < x.cols; ++c) {
      if (r % 2 == 0 || c == r % x.cols) x.values[r * x.cols + c] = std::nanf("");
    }
  }
  ASSERT_OK_AND_ASSIGN(const std::vector<double> reference, XgboostPredict(state, x));
  ASSERT_OK_AND_ASSIGN(const std::vector<double> batch, model->Predict(x));
  ExpectSamePredictions(batch, reference, "batch");
  ASSERT_OK_AND_ASSIGN(const std::vector<double> one, model->Predict(Row(x, 0)));
  EXPECT_FLOAT_EQ(static_cast<float>(one[0]), static_cast<float>(reference[0]));
}

// A one-tree model whose tree is a chain `depth` splits long: split i tests feature i % cols
// against 0.1 * i; its left child is leaf i (value i + 1), the last right child leaf `depth` (value
// 0.5).
nlohmann::json ChainModel(int depth, size_t cols) {
  std::vector<int> left;
  std::vector<int> right;
  std::vector<int> feature;
  std::vector<double> cond;
  std::vector<int> default_left;
  // Internal nodes 0..depth-1, then leaves depth..2*depth.
  for (int i = 0; i < depth; ++i) {
    left.push_back(depth + i);
    right.push_back(i + 1 < depth ? i + 1 : 2 * depth);
    feature.push_back(static_cast<int>(static_cast<size_t>(i) % cols));
    cond.push_back(0.1 * i);
    default_left.push_back(i % 2);
  }
  for (int i = 0; i <= depth; ++i) {
    left.push_back(-1);
    right.push_back(-1);
    feature.push_back(0);
    cond.push_back(i < depth ? i + 1.0 : 0.5);
    default_left.push_back(0);
  }
  nlohmann::json tree = {{"left_children", left},
                         {"right_children", right},
                         {"split_indices", feature},
                         {"split_conditions", cond},
                         {"default_left", default_left}};
  nlohmann::json model;
  model["learner"]["learner_model_param"] = {{"base_score", "0"},
                                             {"num_feature", std::to_string(cols)}};
  model["learner"]["objective"]["name"] = "reg:squarederror";
  model["learner"]["gradient_booster"]["name"] = "gbtree";
  model["learner"]["gradient_booster"]["model"]["trees"] = nlohmann::json::array({tree});
  return model;
}

// Deep and lopsided trees: levels past the in-register ones (gathered) and leaves far above the
// deepest level; past kMaxVectorDepth the vector walk is off.
TEST(TreeEnsemble, DeepChainsWalkToTheirLeaves) {
  const size_t cols = 4;
  Matrix x;
  x.cols = cols;
  x.rows = 200;
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      x.values.push_back(r % 7 == c ? std::nanf("")
                                    : static_cast<float>((r * 13 + c * 5) % 23) / 10);
    }
  }
  for (int depth : {3, 7, TreeEnsemble::kMaxVectorDepth, TreeEnsemble::kMaxVectorDepth + 1}) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    ASSERT_OK_AND_ASSIGN(const TreeEnsemble ensemble,
                         TreeEnsemble::FromXgboostJson(ChainModel(depth, cols)));
    EXPECT_EQ(ensemble.vector_walk(),
              TreeEnsemble::CpuHasVectorWalk() && depth <= TreeEnsemble::kMaxVectorDepth);
    std::vector<double> got;
    ensemble.Predict(x, &got);
    for (size_t r = 0; r < x.rows; ++r) {
      double want = 0.5;  // walked the chain to its end
      for (int i = 0; i < depth; ++i) {
        const float v = x.values[r * cols + static_cast<size_t>(i) % cols];
        const bool go_left = std::isnan(v) ? i % 2 == 1 : v < static_cast<float>(0.1 * i);
        if (go_left) {
          want = i + 1.0;
          break;
        }
      }
      ASSERT_EQ(got[r], want) << "row " << r;
    }
  }
}

TEST(TreeEnsemble, RejectsWhatItCannotScore) {
  EXPECT_THAT(TreeEnsemble::FromXgboostJson(nlohmann::json::object()),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("learner")));
  const nlohmann::json linear = {
      {"learner",
       {{"learner_model_param", {{"base_score", "0.5"}, {"num_feature", "2"}}},
        {"objective", {{"name", "reg:squarederror"}}},
        {"gradient_booster", {{"name", "gblinear"}}}}}};
  EXPECT_THAT(TreeEnsemble::FromXgboostJson(linear),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("gblinear")));
  // A node whose two children are the same node: a walk would count it twice.
  nlohmann::json cyclic = linear;
  cyclic["learner"]["gradient_booster"] = {{"name", "gbtree"},
                                           {"model",
                                            {{"trees",
                                              {{{"left_children", {1, -1}},
                                                {"right_children", {1, -1}},
                                                {"split_indices", {0, 0}},
                                                {"split_conditions", {0.5, 1.0}},
                                                {"default_left", {0, 0}}}}}}}};
  EXPECT_THAT(TreeEnsemble::FromXgboostJson(cyclic),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("do not form a tree")));
}

}  // namespace
}  // namespace staycast::models
