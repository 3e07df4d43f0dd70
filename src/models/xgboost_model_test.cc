// Tests specific to the XGBoost models: early stopping, the per-round callback, objectives'
// target checks, and the random-forest mode.
#include "src/models/xgboost_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/core/status_matchers.h"
#include "src/models/test_data.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using testing::Dataset;
using ::testing::HasSubstr;
using testing::MakeRegression;

TEST(GradientBoosting, EarlyStoppingKeepsTheBestRoundAndReportsEveryRound) {
  const Dataset train = MakeRegression(1000, 1);
  const Dataset valid = MakeRegression(500, 2);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Model> model,
      CreateModel("gradient_boosting",
                  {{"n_rounds", 300}, {"learning_rate", 0.5}, {"early_stopping_rounds", 5}},
                  Task::kRegression));
  std::vector<RoundInfo> rounds;
  FitOptions options;
  options.x_valid = &valid.x;
  options.y_valid = &valid.y;
  options.on_round = [&](const RoundInfo& info) { rounds.push_back(info); };
  ASSERT_OK(model->Fit(train.x, train.y, options));
  // A high learning rate on noisy data overfits quickly: it stops long before 300 rounds.
  ASSERT_LT(rounds.size(), 300u);
  const nlohmann::json fit = model->Describe()["fit"];
  const int best = fit["best_round"].get<int>();
  EXPECT_EQ(fit["rounds_run"].get<size_t>(), rounds.size());
  EXPECT_EQ(rounds.size(), static_cast<size_t>(best) + 1 + 5);
  EXPECT_EQ(fit["trees"].get<int>(), best + 1);  // sliced to the best round
  EXPECT_EQ(fit["metric"], "rmse");
  for (size_t i = 0; i < rounds.size(); ++i) {
    EXPECT_EQ(rounds[i].round, static_cast<int>(i));
    EXPECT_TRUE(std::isfinite(rounds[i].valid_metric));
    EXPECT_GE(rounds[i].valid_metric, rounds[best].valid_metric);
  }
  EXPECT_DOUBLE_EQ(fit["best_score"].get<double>(), rounds[best].valid_metric);
  // The kept model scores the validation set at the best round's error.
  ASSERT_OK_AND_ASSIGN(std::vector<double> pred, model->Predict(valid.x));
  EXPECT_NEAR(std::sqrt(testing::MeanSquaredError(valid.y, pred)), rounds[best].valid_metric,
              1e-4 * rounds[best].valid_metric);
}

TEST(GradientBoosting, WithoutValidationRunsAllRounds) {
  const Dataset train = MakeRegression(300, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("gradient_boosting", {{"n_rounds", 7}}, Task::kRegression));
  int calls = 0;
  FitOptions options;
  options.on_round = [&](const RoundInfo& info) {
    ++calls;
    EXPECT_TRUE(std::isnan(info.valid_metric));
  };
  ASSERT_OK(model->Fit(train.x, train.y, options));
  EXPECT_EQ(calls, 7);
  EXPECT_EQ(model->Describe()["fit"]["trees"], 7);
}

TEST(GradientBoosting, SameSeedSameModel) {
  const Dataset train = MakeRegression(500, 1);
  const nlohmann::json params = {{"n_rounds", 10}, {"subsample", 0.7}, {"colsample_bytree", 0.7}};
  std::vector<std::string> states;
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                         CreateModel("gradient_boosting", params, Task::kRegression));
    FitOptions options;
    options.seed = 42;
    ASSERT_OK(model->Fit(train.x, train.y, options));
    ASSERT_OK_AND_ASSIGN(std::string state, model->SaveState());
    states.push_back(state);
  }
  EXPECT_EQ(states[0], states[1]);
}

TEST(GradientBoosting, ObjectivesCheckTheTarget) {
  Dataset train = MakeRegression(100, 1);
  train.y[5] = -1;
  for (const std::string objective : {"count:poisson", "reg:tweedie", "reg:gamma"}) {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<Model> model,
        CreateModel("gradient_boosting", {{"objective", objective}}, Task::kRegression));
    EXPECT_THAT(
        model->Fit(train.x, train.y, FitOptions()),
        StatusIs(StatusCode::kInvalidArgument, HasSubstr("objective " + objective + " needs a")))
        << objective;
  }
  train.y[5] = 0;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Model> gamma,
      CreateModel("gradient_boosting", {{"objective", "reg:gamma"}}, Task::kRegression));
  EXPECT_THAT(gamma->Fit(train.x, train.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("positive target, but row 5")));
}

TEST(GradientBoosting, XgboostErrorsCarryContext) {
  const Dataset train = MakeRegression(100, 1);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Model> model,
      CreateModel("gradient_boosting", {{"eval_metric", "no-such-metric"}}, Task::kRegression));
  EXPECT_THAT(model->Fit(train.x, train.y, FitOptions()),
              StatusIs(StatusCode::kInternal, HasSubstr("gradient_boosting fit: ")));
}

TEST(RandomForest, BuildsAllTreesInOneRound) {
  const Dataset train = MakeRegression(500, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("random_forest", {{"n_trees", 25}}, Task::kRegression));
  int calls = 0;
  FitOptions options;
  options.on_round = [&](const RoundInfo&) { ++calls; };
  ASSERT_OK(model->Fit(train.x, train.y, options));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(model->Describe()["fit"]["trees"], 25);
}

}  // namespace
}  // namespace staycast::models
