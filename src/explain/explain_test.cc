// Explanations: grouping by original column, grouped contributions that still add up, permutation
// importance that ranks a planted signal first, and coefficient intervals that cover the truth.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "src/core/status_matchers.h"
#include "src/explain/coefficients.h"
#include "src/explain/groups.h"
#include "src/explain/importance.h"

namespace staycast::explain {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::ElementsAre;

// y = 3 * signal + 0.5 * (dept=B) + noise; "weak" barely matters, "noise" not at all.
struct Data {
  models::Matrix x;
  std::vector<double> y;
};
Data MakeData(size_t rows, uint64_t seed, bool classification) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> unif(0, 1);
  Data d;
  d.x.rows = rows;
  d.x.cols = 5;
  d.x.feature_names = {"noise", "dept=A", "dept=B", "signal", "weak"};
  for (size_t r = 0; r < rows; ++r) {
    const double signal = normal(rng);
    const double weak = normal(rng);
    const bool b = unif(rng) < 0.5;
    d.x.values.insert(d.x.values.end(),
                      {static_cast<float>(normal(rng)), b ? 0.0F : 1.0F, b ? 1.0F : 0.0F,
                       static_cast<float>(signal), static_cast<float>(weak)});
    const double eta = 3 * signal + 0.5 * (b ? 1 : 0) + 0.1 * weak;
    if (classification) {
      d.y.push_back(unif(rng) < 1 / (1 + std::exp(-(eta - 1))) ? 1.0 : 0.0);
    } else {
      d.y.push_back(eta + normal(rng));
    }
  }
  return d;
}

FeatureGroups DeptGroups() {
  FeatureGroups g;
  g.names = {"noise", "department", "signal", "weak"};
  g.group_of_feature = {0, 1, 1, 2, 3};
  return g;
}

TEST(GroupFeatures, OneHotsBinsAndFlagsGoBackToTheirColumn) {
  features::RunConfig config;
  const auto spec = [](const std::string& name, features::FeatureKind kind,
                       std::vector<std::string> columns) {
    features::FeatureSpec s;
    s.name = name;
    s.kind = kind;
    for (const std::string& c : columns) {
      features::InputRef in;
      in.column = c;
      s.inputs.push_back(in);
    }
    return s;
  };
  config.features = {spec("age", features::FeatureKind::kNumeric, {"age"}),
                     spec("age_group", features::FeatureKind::kBin, {"age"}),
                     spec("dept", features::FeatureKind::kOneHot, {"department"}),
                     spec("chronic", features::FeatureKind::kSum, {"copd", "ckd"}),
                     spec("prev_los", features::FeatureKind::kHistory, {"length_of_stay"})};
  const std::vector<features::OutputField> fields = {
      {"age", "age", "", features::OutputType::kNumeric},
      {"age_missing", "age", "", features::OutputType::kBinary},
      {"age_group=80+", "age_group", "", features::OutputType::kBinary},
      {"dept=A", "dept", "", features::OutputType::kBinary},
      {"chronic", "chronic", "", features::OutputType::kCount},
      {"prev_los", "prev_los", "", features::OutputType::kNumeric}};
  const FeatureGroups g = GroupFeatures(config, fields);
  EXPECT_THAT(g.names, ElementsAre("age", "department", "chronic", "prev_los"));
  EXPECT_THAT(g.group_of_feature, ElementsAre(0, 0, 0, 1, 2, 3));
}

TEST(TopContributions, GroupsStillAddUpToTheRawScore) {
  const Data d = MakeData(300, 1, false);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<models::Model> model,
      models::CreateModel("gradient_boosting", {{"n_rounds", 20}}, models::Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
  ASSERT_OK_AND_ASSIGN(models::Contributions c, model->Contribute(d.x));
  ASSERT_OK_AND_ASSIGN(std::vector<double> pred, model->Predict(d.x));
  const std::vector<RowExplanation> rows = TopContributions(c, DeptGroups(), 2);
  ASSERT_EQ(rows.size(), d.x.rows);
  for (size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].top.size(), 2U);
    EXPECT_GE(std::abs(rows[r].top[0].value), std::abs(rows[r].top[1].value));
    double sum = rows[r].bias + rows[r].rest;
    for (const GroupContribution& t : rows[r].top) sum += t.value;
    EXPECT_NEAR(sum, pred[r], 1e-3 * std::max(1.0, std::abs(pred[r])));
    EXPECT_NEAR(rows[r].raw_score, pred[r], 1e-3 * std::max(1.0, std::abs(pred[r])));
  }
  const std::vector<double> mean_abs = MeanAbsContribution(c, DeptGroups());
  EXPECT_GT(mean_abs[2], mean_abs[0]);
  ASSERT_OK_AND_ASSIGN(std::vector<double> gain, model->GainImportance());
  const std::vector<double> grouped = SumByGroup(gain, DeptGroups());
  EXPECT_NEAR(grouped[1], gain[1] + gain[2], 1e-9);
}

class PermutationTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PermutationTest, RanksThePlantedSignalFirst) {
  const std::string type = GetParam();
  const bool classification = type == "logistic";
  const Data d = MakeData(1500, 4, classification);
  nlohmann::json params = nlohmann::json::object();
  if (type == "gradient_boosting") params = {{"n_rounds", 30}};
  if (type == "svr") params = {{"max_train_rows", 1500}};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<models::Model> model,
                       models::CreateModel(type, params,
                                           classification ? models::Task::kClassification
                                                          : models::Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
  PermutationOptions options;
  options.seed = 9;
  options.max_rows = 800;
  ASSERT_OK_AND_ASSIGN(PermutationImportance imp,
                       ComputePermutationImportance(*model, d.x, d.y, DeptGroups(), options));
  EXPECT_EQ(imp.rows, 800U);
  for (size_t g = 0; g < imp.mean.size(); ++g) {
    if (g != 2) {
      EXPECT_GT(imp.mean[2], imp.mean[g]) << DeptGroups().names[g];
    }
  }
  EXPECT_LT(std::abs(imp.mean[0]), imp.mean[2] / 10) << "noise matters little";
  // Seeded: the same options give the same numbers.
  ASSERT_OK_AND_ASSIGN(PermutationImportance again,
                       ComputePermutationImportance(*model, d.x, d.y, DeptGroups(), options));
  EXPECT_EQ(imp.mean, again.mean);
}

INSTANTIATE_TEST_SUITE_P(Models, PermutationTest,
                         ::testing::Values("gradient_boosting", "ridge", "svr", "logistic"));

TEST(Permutation, RejectsMismatchedGroups) {
  const Data d = MakeData(50, 1, false);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<models::Model> model,
                       models::CreateModel("ridge", nullptr, models::Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
  FeatureGroups wrong = DeptGroups();
  wrong.group_of_feature.pop_back();
  EXPECT_THAT(ComputePermutationImportance(*model, d.x, d.y, wrong, {}),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("groups cover")));
}

TEST(CoefficientTable, RidgeIntervalsCoverTheTruthInOriginalUnits) {
  Data d = MakeData(2000, 5, false);
  // Put "signal" on a scale of days x 10 so original and standardised units differ.
  for (size_t r = 0; r < d.x.rows; ++r) d.x.values[r * 5 + 3] *= 10;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<models::Model> model,
                       models::CreateModel("ridge", {{"alpha", 1e-6}}, models::Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
  ASSERT_OK_AND_ASSIGN(CoefficientTable t, ComputeCoefficientTable(*model, d.x, d.y));
  ASSERT_EQ(t.rows_by_feature.size(), 6U);
  EXPECT_EQ(t.rows_by_feature[0].name, "(intercept)");
  const CoefficientRow& signal = t.rows_by_feature[4];
  EXPECT_EQ(signal.name, "signal");
  EXPECT_LT(signal.lower, 0.3);  // true effect: 3 per unit of signal = 0.3 per unit of signal*10
  EXPECT_GT(signal.upper, 0.3);
  EXPECT_LT(signal.upper - signal.lower, 0.02);
  EXPECT_NEAR(signal.standardized, signal.coefficient * signal.scale, 1e-9);
  EXPECT_NEAR(t.residual_sd, 1.0, 0.1);
  const CoefficientRow& noise = t.rows_by_feature[1];
  EXPECT_LT(noise.lower, 0.0);
  EXPECT_GT(noise.upper, 0.0);
}

TEST(CoefficientTable, LogisticIntervalsCoverTheTruth) {
  const Data d = MakeData(4000, 6, true);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<models::Model> model,
      models::CreateModel("logistic", {{"alpha", 1e-6}}, models::Task::kClassification));
  ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
  ASSERT_OK_AND_ASSIGN(CoefficientTable t, ComputeCoefficientTable(*model, d.x, d.y));
  EXPECT_TRUE(t.log_odds);
  const CoefficientRow& signal = t.rows_by_feature[4];
  EXPECT_LT(signal.lower, 3.0);
  EXPECT_GT(signal.upper, 3.0);
}

TEST(CoefficientTable, ConstantFeatureHasNoInterval) {
  // A one-hot level never seen in training is all zeros: its coefficient is the penalty's 0, and
  // an interval (the penalty's +-1.96/sqrt(alpha) for logistic) would be made up.
  for (const bool classification : {false, true}) {
    Data d = MakeData(1000, 5, classification);
    for (size_t r = 0; r < d.x.rows; ++r) d.x.values[r * 5 + 1] = 0;
    const models::Task task =
        classification ? models::Task::kClassification : models::Task::kRegression;
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<models::Model> model,
        models::CreateModel(classification ? "logistic" : "ridge", {{"alpha", 1.0}}, task));
    ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
    ASSERT_OK_AND_ASSIGN(CoefficientTable t, ComputeCoefficientTable(*model, d.x, d.y));
    const CoefficientRow& constant = t.rows_by_feature[2];
    EXPECT_TRUE(constant.constant) << constant.name;
    EXPECT_TRUE(std::isnan(constant.lower) && std::isnan(constant.upper));
    EXPECT_TRUE(std::isnan(constant.standardized_lower) && std::isnan(constant.std_error));
    const CoefficientRow& signal = t.rows_by_feature[4];
    EXPECT_FALSE(signal.constant);
    EXPECT_LT(signal.lower, signal.upper);
  }
}

TEST(CoefficientTable, RefusedForTrees) {
  const Data d = MakeData(100, 1, false);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<models::Model> model,
      models::CreateModel("gradient_boosting", {{"n_rounds", 5}}, models::Task::kRegression));
  ASSERT_OK(model->Fit(d.x, d.y, models::FitOptions()));
  EXPECT_FALSE(ComputeCoefficientTable(*model, d.x, d.y).ok());
}

}  // namespace
}  // namespace staycast::explain
