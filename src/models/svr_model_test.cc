// Tests specific to svr: the stratified subsample above max_train_rows and its note, and the
// kernel prediction against the decision function written out term by term.
#include "src/models/svr_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "src/core/status_matchers.h"
#include "src/models/test_data.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

TEST(Svr, SubsamplesAboveMaxTrainRowsAndSaysSo) {
  const testing::Dataset d = testing::MakeRegression(1200, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model,
                       CreateModel("svr", {{"max_train_rows", 400}}, Task::kRegression));
  FitOptions options;
  options.seed = 9;
  ASSERT_OK(model->Fit(d.x, d.y, options));
  const nlohmann::json fit = model->Describe()["fit"];
  EXPECT_EQ(fit["train_rows"], 400);
  EXPECT_THAT(fit["note"].get<std::string>(),
              HasSubstr("stratified subsample of 400 of 1200 rows"));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> full, CreateModel("svr", {}, Task::kRegression));
  ASSERT_OK(full->Fit(d.x, d.y, options));
  EXPECT_FALSE(full->Describe()["fit"].contains("note"));
}

// Prediction (blocked matrix products, threads) equals libsvm's decision function computed term by
// term from the saved state, including with rows that have missing values.
TEST(Svr, PredictionEqualsTheKernelSumAndIsTheSameOnAnyThreadCount) {
  const testing::Dataset d = testing::MakeRegression(700, 3);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel("svr", {}, Task::kRegression));
  FitOptions options;
  options.seed = 4;
  options.threads = 2;
  ASSERT_OK(model->Fit(d.x, d.y, options));
  ASSERT_OK_AND_ASSIGN(std::vector<double> pred, model->Predict(d.x));
  ASSERT_OK_AND_ASSIGN(std::string text, model->SaveState());
  const nlohmann::json state = nlohmann::json::parse(text);
  const nlohmann::json& s = state.at("state");
  const auto means = s.at("standardizer").at("means").get<std::vector<double>>();
  const auto scales = s.at("standardizer").at("scales").get<std::vector<double>>();
  const auto svs = s.at("support_vectors").get<std::vector<std::vector<double>>>();
  const auto coef = s.at("sv_coef").get<std::vector<double>>();
  const double gamma = s.at("gamma").get<double>();
  const double rho = s.at("rho").get<double>();
  ASSERT_GT(svs.size(), 10u);
  for (size_t r = 0; r < d.x.rows; r += 7) {
    double sum = 0;
    for (size_t i = 0; i < svs.size(); ++i) {
      double d2 = 0;
      for (size_t c = 0; c < d.x.cols; ++c) {
        const float v = d.x.at(r, c);
        const double z = std::isnan(v) ? 0.0 : (v - means[c]) / scales[c];
        d2 += (z - svs[i][c]) * (z - svs[i][c]);
      }
      sum += coef[i] * std::exp(-gamma * d2);
    }
    const double expected =
        s.at("y_mean").get<double>() + s.at("y_scale").get<double>() * (sum - rho);
    EXPECT_NEAR(pred[r], expected, 1e-9 * std::max(1.0, std::fabs(expected))) << "row " << r;
  }
  model->SetPredictThreads(1);
  ASSERT_OK_AND_ASSIGN(std::vector<double> one_thread, model->Predict(d.x));
  EXPECT_EQ(one_thread, pred);
}

TEST(Svr, RejectsWeights) {
  const testing::Dataset d = testing::MakeRegression(50, 1);
  std::vector<double> w(50, 1.0);
  FitOptions options;
  options.weights = &w;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel("svr", {}, Task::kRegression));
  EXPECT_THAT(model->Fit(d.x, d.y, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("does not take sample weights")));
}

TEST(StratifiedSubsample, TakesEachQuantileBinsShare) {
  std::vector<double> y(1000);
  for (size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>((i * 7919) % 1000);
  const std::vector<size_t> pick = StratifiedSubsample(y, 100, 10, 5);
  ASSERT_EQ(pick.size(), 100u);
  EXPECT_TRUE(std::is_sorted(pick.begin(), pick.end()));
  EXPECT_EQ(std::set<size_t>(pick.begin(), pick.end()).size(), 100u);
  std::vector<int> per_decile(10, 0);
  for (size_t i : pick) ++per_decile[static_cast<size_t>(y[i]) / 100];
  for (int count : per_decile) EXPECT_EQ(count, 10);
  EXPECT_EQ(StratifiedSubsample(y, 100, 10, 5), pick);  // seeded
  EXPECT_NE(StratifiedSubsample(y, 100, 10, 6), pick);
}

}  // namespace
}  // namespace staycast::models
