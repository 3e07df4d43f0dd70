// Tests specific to svr: the stratified subsample above max_train_rows and its note.
#include "src/models/svr_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
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
