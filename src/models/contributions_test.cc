// Contributions (TreeSHAP for trees, coefficient x centred value for linear models) add up, with
// the bias, to each row's raw score: the prediction, or the log-odds for classification.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "src/core/status_matchers.h"
#include "src/models/model.h"
#include "src/models/test_data.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

struct ContributionCase {
  const char* type;
  Task task;
};

class ContributionsTest : public ::testing::TestWithParam<ContributionCase> {};

TEST_P(ContributionsTest, SumToTheRawScore) {
  const ContributionCase c = GetParam();
  const testing::Dataset d = c.task == Task::kRegression ? testing::MakeRegression(600, 7)
                                                         : testing::MakeClassification(600, 7);
  nlohmann::json params = nlohmann::json::object();
  if (std::string(c.type) == "gradient_boosting") params = {{"n_rounds", 30}};
  if (std::string(c.type) == "random_forest") params = {{"n_trees", 20}};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel(c.type, params, c.task));
  FitOptions options;
  options.seed = 3;
  ASSERT_OK(model->Fit(d.x, d.y, options));
  ASSERT_OK_AND_ASSIGN(std::vector<double> pred, model->Predict(d.x));
  ASSERT_OK_AND_ASSIGN(Contributions contrib, model->Contribute(d.x));
  ASSERT_EQ(contrib.rows, d.x.rows);
  ASSERT_EQ(contrib.cols, d.x.cols);
  EXPECT_EQ(contrib.log_odds, c.task == Task::kClassification);
  double spread = 0;
  for (size_t r = 0; r < d.x.rows; ++r) {
    double sum = contrib.bias[r];
    for (size_t j = 0; j < contrib.cols; ++j) sum += contrib.at(r, j);
    const double raw = c.task == Task::kRegression ? pred[r] : std::log(pred[r] / (1.0 - pred[r]));
    // XGBoost accumulates in float; linear models in double.
    EXPECT_NEAR(sum, raw, 1e-3 * std::max(1.0, std::abs(raw))) << "row " << r;
    spread += std::abs(contrib.at(r, 0));
  }
  EXPECT_GT(spread, 0) << "x0 drives the target, so it must contribute";
}

INSTANTIATE_TEST_SUITE_P(Types, ContributionsTest,
                         ::testing::Values(ContributionCase{"gradient_boosting", Task::kRegression},
                                           ContributionCase{"random_forest", Task::kRegression},
                                           ContributionCase{"ridge", Task::kRegression},
                                           ContributionCase{"gradient_boosting",
                                                            Task::kClassification},
                                           ContributionCase{"random_forest", Task::kClassification},
                                           ContributionCase{"logistic", Task::kClassification}),
                         [](const ::testing::TestParamInfo<ContributionCase>& info) {
                           return std::string(info.param.type) +
                                  (info.param.task == Task::kRegression ? "_regression"
                                                                        : "_classification");
                         });

TEST(Contributions, LinearIsCoefficientTimesCentredValue) {
  const testing::Dataset d = testing::MakeLinear(200, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("ridge", {{"alpha", 1e-9}}, Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(Contributions contrib, model->Contribute(d.x));
  double mean0 = 0;
  for (size_t r = 0; r < d.x.rows; ++r) mean0 += d.x.at(r, 0);
  mean0 /= static_cast<double>(d.x.rows);
  // y = 1 + 2 x0 - 3 x1: x0's contribution is 2 (x0 - mean).
  EXPECT_NEAR(contrib.at(5, 0), 2.0 * (d.x.at(5, 0) - mean0), 1e-3);
}

TEST(Contributions, GainImportanceFindsTheSignal) {
  const testing::Dataset d = testing::MakeRegression(800, 2);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("gradient_boosting", {{"n_rounds", 20}}, Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(std::vector<double> gain, model->GainImportance());
  ASSERT_EQ(gain.size(), d.x.cols);
  EXPECT_GT(gain[0], gain[3]) << "x0 drives the target, x3 is noise";
}

TEST(Contributions, RefusedForSvrAndBaselines) {
  const testing::Dataset d = testing::MakeRegression(100, 1);
  for (const char* type : {"svr", "mean"}) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                         CreateModel(type, nlohmann::json::object(), Task::kRegression));
    ASSERT_OK(model->Fit(d.x, d.y, FitOptions()));
    EXPECT_THAT(model->Contribute(d.x),
                StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no per-feature")));
    EXPECT_THAT(model->GainImportance(),
                StatusIs(StatusCode::kFailedPrecondition, HasSubstr("gain")));
  }
}

}  // namespace
}  // namespace staycast::models
