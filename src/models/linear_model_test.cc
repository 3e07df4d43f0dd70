// Tests specific to ridge and logistic: coefficients in original units, mean imputation.
#include "src/models/linear_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "src/core/status_matchers.h"
#include "src/models/test_data.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

TEST(Ridge, RecoversCoefficientsInOriginalUnits) {
  const testing::Dataset d = testing::MakeLinear(500, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("ridge", {{"alpha", 1e-9}}, Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(LinearCoefficients c, GetLinearCoefficients(*model));
  EXPECT_EQ(c.feature_names, (std::vector<std::string>{"big", "small"}));
  EXPECT_NEAR(c.intercept, 1.0, 1e-3);
  EXPECT_NEAR(c.coefficients[0], 2.0, 1e-6);
  EXPECT_NEAR(c.coefficients[1], -3.0, 1e-2);
  // Standardised coefficients are per standard deviation of the feature.
  EXPECT_NEAR(c.standardized_coefficients[0], 2.0 * c.scales[0], 1e-3);
  // The original-unit form predicts what the model predicts.
  ASSERT_OK_AND_ASSIGN(std::vector<double> pred, model->Predict(d.x));
  for (size_t r = 0; r < 20; ++r) {
    const double manual =
        c.intercept + c.coefficients[0] * d.x.at(r, 0) + c.coefficients[1] * d.x.at(r, 1);
    EXPECT_NEAR(manual, pred[r], 1e-6 * std::abs(pred[r]));
  }
}

TEST(Ridge, PenaltyShrinksAndMissingIsTheMean) {
  const testing::Dataset d = testing::MakeLinear(300, 2);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> strong,
                       CreateModel("ridge", {{"alpha", 1e4}}, Task::kRegression));
  ASSERT_OK(strong->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(LinearCoefficients c, GetLinearCoefficients(*strong));
  EXPECT_LT(std::abs(c.coefficients[0]), 2.0 * 0.5);
  Matrix missing = d.x;
  missing.rows = 1;
  missing.values = {std::numeric_limits<float>::quiet_NaN(), missing.values[1]};
  Matrix at_mean = missing;
  at_mean.values[0] = static_cast<float>(c.means[0]);
  ASSERT_OK_AND_ASSIGN(std::vector<double> a, strong->Predict(missing));
  ASSERT_OK_AND_ASSIGN(std::vector<double> b, strong->Predict(at_mean));
  EXPECT_NEAR(a[0], b[0], 1e-4 * std::abs(b[0]));
}

TEST(Logistic, RecoversLogOddsCoefficients) {
  const testing::Dataset d = testing::MakeClassification(6000, 3);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("logistic", {{"alpha", 1e-6}}, Task::kClassification));
  ASSERT_OK(model->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(LinearCoefficients c, GetLinearCoefficients(*model));
  // True log-odds: -1.4 + 1.2 x0 - 0.8 x1 + 0.8 [dept B] - 0.5 [dept C]; dept=A is the gap
  // between "A" and the C reference.
  EXPECT_NEAR(c.coefficients[0], 1.2, 0.15);
  EXPECT_NEAR(c.coefficients[1], -0.8, 0.15);
  EXPECT_NEAR(c.coefficients[2], 0.0, 0.15);
  EXPECT_GT(model->Describe()["fit"]["newton_iterations"].get<int>(), 1);
}

TEST(Linear, CoefficientsOnlyForLinearModels) {
  const testing::Dataset d = testing::MakeRegression(100, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> mean, CreateModel("mean", {}, Task::kRegression));
  ASSERT_OK(mean->Fit(d.x, d.y, FitOptions()));
  EXPECT_THAT(GetLinearCoefficients(*mean),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("only for ridge and logistic")));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> ridge, CreateModel("ridge", {}, Task::kRegression));
  EXPECT_THAT(GetLinearCoefficients(*ridge),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("not fitted")));
}

}  // namespace
}  // namespace staycast::models
