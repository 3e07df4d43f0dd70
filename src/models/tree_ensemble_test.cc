// TreeEnsemble equals XGBoost: for every tree model type and objective Staycast trains, the
// ensemble's predictions (one row, batches with and without a partial group of rows, several
// threads) equal XGBoost's own predictions, called through its C API, to float precision.
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
    std::vector<double> direct;
    ensemble.Predict(test.x, &direct);
    ExpectSamePredictions(direct, reference, "one thread");
    ensemble.Predict(test.x, &direct, /*threads=*/2);
    ExpectSamePredictions(direct, reference, "two threads");
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
