// TreeEnsemble equals XGBoost: for every tree model type and objective Staycast trains, one-row
// predictions (scored by the ensemble) equal XGBoost's batch predictions to float precision.
#include "src/models/tree_ensemble.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "src/core/status_matchers.h"
#include "src/models/model.h"
#include "src/models/test_data.h"

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

Matrix Row(const Matrix& x, size_t r) {
  Matrix one;
  one.rows = 1;
  one.cols = x.cols;
  one.feature_names = x.feature_names;
  one.values.assign(x.row(r), x.row(r) + x.cols);
  return one;
}

TEST(TreeEnsemble, OneRowPredictionsEqualXgboostForEveryTreeModel) {
  for (const EnsembleCase& c : Cases()) {
    SCOPED_TRACE(c.type + " " + c.params.dump());
    const testing::Dataset train = c.task == Task::kRegression
                                       ? testing::MakeRegression(600, 3)
                                       : testing::MakeClassification(600, 3);
    const testing::Dataset test = c.task == Task::kRegression ? testing::MakeRegression(200, 4)
                                                              : testing::MakeClassification(200, 4);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel(c.type, c.params, c.task));
    ASSERT_OK(model->Fit(train.x, train.y, FitOptions()));
    // The ensemble compiles for this model (otherwise the comparison below would be vacuous).
    ASSERT_OK_AND_ASSIGN(const std::string state, model->SaveState());
    ASSERT_OK_AND_ASSIGN(const TreeEnsemble ensemble,
                         TreeEnsemble::FromXgboostJson(nlohmann::json::parse(state)));
    EXPECT_GT(ensemble.num_trees(), 0U);
    ASSERT_GT(test.x.rows, TreeEnsemble::kMaxRows);
    // 200 rows: XGBoost's own prediction.
    ASSERT_OK_AND_ASSIGN(const std::vector<double> batch, model->Predict(test.x));
    std::vector<double> direct;
    ensemble.Predict(test.x, &direct);
    ASSERT_EQ(direct.size(), batch.size());
    for (size_t r = 0; r < test.x.rows; ++r) {
      ASSERT_OK_AND_ASSIGN(const std::vector<double> one, model->Predict(Row(test.x, r)));
      ASSERT_EQ(one.size(), 1U);
      EXPECT_FLOAT_EQ(static_cast<float>(one[0]), static_cast<float>(batch[r])) << "row " << r;
      EXPECT_FLOAT_EQ(static_cast<float>(direct[r]), static_cast<float>(batch[r])) << "row " << r;
    }
    // A loaded model (as served from a bundle) scores one row the same way.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> loaded, LoadModel(model->SaveConfig(), state));
    ASSERT_OK_AND_ASSIGN(const std::vector<double> again, loaded->Predict(Row(test.x, 7)));
    EXPECT_FLOAT_EQ(static_cast<float>(again[0]), static_cast<float>(batch[7]));
  }
}

TEST(TreeEnsemble, MissingValuesTakeTheDefaultBranch) {
  const testing::Dataset train = testing::MakeRegression(600, 5);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("gradient_boosting", {{"n_rounds", 30}}, Task::kRegression));
  ASSERT_OK(model->Fit(train.x, train.y, FitOptions()));
  Matrix all_missing = Row(train.x, 0);
  for (float& v : all_missing.values) v = std::nanf("");
  Matrix many = train.x;  // > kMaxRows rows: XGBoost
  for (size_t c = 0; c < many.cols; ++c) many.values[c] = std::nanf("");
  ASSERT_OK_AND_ASSIGN(const std::vector<double> xgb, model->Predict(many));
  ASSERT_OK_AND_ASSIGN(const std::vector<double> one, model->Predict(all_missing));
  EXPECT_FLOAT_EQ(static_cast<float>(one[0]), static_cast<float>(xgb[0]));
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
}

}  // namespace
}  // namespace staycast::models
