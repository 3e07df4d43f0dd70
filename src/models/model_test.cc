// Tests for every model type: save -> load -> identical predictions, beating the constant
// baseline on fresh seeded data, and the errors users can cause.
#include "src/models/model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "src/core/status_matchers.h"
#include "src/models/test_data.h"

namespace staycast::models {
namespace {

using ::staycast::testing::StatusIs;
using testing::Brier;
using testing::Dataset;
using ::testing::HasSubstr;
using testing::MakeClassification;
using testing::MakeRegression;
using testing::MeanSquaredError;

struct Case {
  std::string name;
  std::string type;
  Task task;
  nlohmann::json params;
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

const nlohmann::json kSmallBoosting = {{"n_rounds", 40}, {"max_depth", 3}, {"learning_rate", 0.2}};

std::vector<Case> AllCases() {
  auto gb = [](const std::string& objective) {
    nlohmann::json p = kSmallBoosting;
    p["objective"] = objective;
    return p;
  };
  return {
      {"gb_squared", "gradient_boosting", Task::kRegression, gb("reg:squarederror")},
      {"gb_absolute", "gradient_boosting", Task::kRegression, gb("reg:absoluteerror")},
      {"gb_poisson", "gradient_boosting", Task::kRegression, gb("count:poisson")},
      {"gb_tweedie", "gradient_boosting", Task::kRegression, gb("reg:tweedie")},
      {"gb_gamma", "gradient_boosting", Task::kRegression, gb("reg:gamma")},
      {"gb_logistic", "gradient_boosting", Task::kClassification, kSmallBoosting},
      {"rf_regression", "random_forest", Task::kRegression, {{"n_trees", 20}, {"max_depth", 5}}},
      {"rf_classification",
       "random_forest",
       Task::kClassification,
       {{"n_trees", 20}, {"max_depth", 4}, {"min_child_weight", 5}}},
      {"ridge", "ridge", Task::kRegression, nlohmann::json::object()},
      {"logistic", "logistic", Task::kClassification, nlohmann::json::object()},
      {"svr", "svr", Task::kRegression, {{"max_train_rows", 800}}},
      {"mean", "mean", Task::kRegression, nlohmann::json::object()},
      {"median", "median", Task::kRegression, nlohmann::json::object()},
      {"group_median", "group_median", Task::kRegression, {{"group_prefix", "dept="}}},
      {"group_median_code", "group_median", Task::kRegression, {{"group_feature", "dept=B"}}},
      {"prevalence", "prevalence", Task::kClassification, nlohmann::json::object()},
      {"always_negative", "always_negative", Task::kClassification, nlohmann::json::object()},
  };
}

class EveryModel : public ::testing::TestWithParam<Case> {
 protected:
  Dataset Train() const {
    return GetParam().task == Task::kRegression ? MakeRegression(1500, 1)
                                                : MakeClassification(1500, 1);
  }
  Dataset Test() const {
    return GetParam().task == Task::kRegression ? MakeRegression(1000, 2)
                                                : MakeClassification(1000, 2);
  }
};

TEST_P(EveryModel, SaveLoadGivesIdenticalPredictions) {
  const Case& c = GetParam();
  const Dataset train = Train();
  const Dataset test = Test();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel(c.type, c.params, c.task));
  FitOptions options;
  options.seed = 7;
  ASSERT_OK(model->Fit(train.x, train.y, options));
  ASSERT_OK_AND_ASSIGN(std::vector<double> before, model->Predict(test.x));
  ASSERT_OK_AND_ASSIGN(std::string state, model->SaveState());
  const nlohmann::json config = model->SaveConfig();
  // Through text, as the bundle will store it.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> loaded,
                       LoadModel(nlohmann::json::parse(config.dump()), state));
  ASSERT_OK_AND_ASSIGN(std::vector<double> after, loaded->Predict(test.x));
  ASSERT_EQ(before.size(), test.x.rows);
  EXPECT_EQ(before, after);
  EXPECT_EQ(loaded->feature_names(), train.x.feature_names);
  EXPECT_EQ(loaded->SaveConfig(), config);
  // Saving the loaded model again gives the same state.
  ASSERT_OK_AND_ASSIGN(std::string again, loaded->SaveState());
  EXPECT_EQ(again, state);
}

TEST_P(EveryModel, BeatsOrMatchesTheConstantBaselineOnFreshData) {
  const Case& c = GetParam();
  const Dataset train = Train();
  const Dataset test = Test();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel(c.type, c.params, c.task));
  const std::string baseline_type = c.task == Task::kRegression ? "mean" : "prevalence";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> baseline, CreateModel(baseline_type, {}, c.task));
  ASSERT_OK(model->Fit(train.x, train.y, FitOptions()));
  ASSERT_OK(baseline->Fit(train.x, train.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(std::vector<double> pred, model->Predict(test.x));
  ASSERT_OK_AND_ASSIGN(std::vector<double> base, baseline->Predict(test.x));
  const double model_error = MeanSquaredError(test.y, pred);
  const double base_error = MeanSquaredError(test.y, base);
  if (c.type == "median" || c.type == "always_negative") {
    // Constant predictors that do not minimise squared error: they may not beat the mean.
    EXPECT_GT(model_error, 0);
  } else if (c.type == "mean" || c.type == "prevalence") {
    EXPECT_EQ(model_error, base_error);
  } else if (c.type == "group_median") {
    // A median predictor is judged by absolute error, against the overall median.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> median, CreateModel("median", {}, c.task));
    ASSERT_OK(median->Fit(train.x, train.y, FitOptions()));
    ASSERT_OK_AND_ASSIGN(std::vector<double> overall, median->Predict(test.x));
    EXPECT_LT(testing::MeanAbsoluteError(test.y, pred),
              testing::MeanAbsoluteError(test.y, overall) * 0.98);
  } else {
    EXPECT_LT(model_error, base_error * 0.95) << c.name << " vs " << baseline_type;
  }
  if (c.task == Task::kClassification) {
    for (double p : pred) {
      ASSERT_GE(p, 0);
      ASSERT_LE(p, 1);
    }
  }
}

TEST_P(EveryModel, DescribeNamesTypeAndParams) {
  const Case& c = GetParam();
  const Dataset train = Train();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, CreateModel(c.type, c.params, c.task));
  EXPECT_FALSE(model->Describe()["fitted"].get<bool>());
  ASSERT_OK(model->Fit(train.x, train.y, FitOptions()));
  const nlohmann::json d = model->Describe();
  EXPECT_EQ(d["type"], c.type);
  EXPECT_EQ(d["task"], TaskName(c.task));
  EXPECT_TRUE(d["fitted"].get<bool>());
  EXPECT_TRUE(d["fit"].is_object());
  for (const auto& [key, value] : c.params.items()) EXPECT_EQ(d["params"][key], value) << key;
}

INSTANTIATE_TEST_SUITE_P(Models, EveryModel, ::testing::ValuesIn(AllCases()),
                         [](const auto& info) { return info.param.name; });

std::unique_ptr<Model> Make(const std::string& type, Task task = Task::kRegression,
                            const nlohmann::json& params = {}) {
  auto model = CreateModel(type, params, task);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return std::move(model).value();
}

TEST(ModelErrors, NanTargetNamesCountAndRow) {
  Dataset d = MakeRegression(50, 3);
  d.y[7] = std::numeric_limits<double>::quiet_NaN();
  d.y[9] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(Make("ridge")->Fit(d.x, d.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("2 missing or infinite values (first at row 7); drop rows")));
}

TEST(ModelErrors, ConstantTarget) {
  Dataset d = MakeRegression(50, 3);
  std::fill(d.y.begin(), d.y.end(), 4.0);
  EXPECT_THAT(Make("gradient_boosting")->Fit(d.x, d.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("target is constant")));
}

TEST(ModelErrors, EmptyMatrix) {
  Matrix empty;
  empty.cols = 3;
  EXPECT_THAT(Make("svr")->Fit(empty, {}, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("has no rows")));
  Matrix no_columns;
  no_columns.rows = 3;
  EXPECT_THAT(Make("ridge")->Fit(no_columns, {1, 2, 3}, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no feature columns")));
  // A constant baseline needs no features.
  EXPECT_OK(Make("mean")->Fit(no_columns, {1, 2, 3}, FitOptions()));
}

TEST(ModelErrors, SingleClass) {
  Dataset d = MakeClassification(60, 3);
  std::fill(d.y.begin(), d.y.end(), 0.0);
  EXPECT_THAT(Make("logistic", Task::kClassification)->Fit(d.x, d.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("only class 0 in its 60 rows; classification needs both")));
  d.y[3] = 2;
  EXPECT_THAT(Make("prevalence", Task::kClassification)->Fit(d.x, d.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at row 3 is not 0 or 1")));
}

TEST(ModelErrors, ShapeMismatches) {
  Dataset d = MakeRegression(20, 3);
  std::vector<double> short_y(d.y.begin(), d.y.end() - 1);
  EXPECT_THAT(Make("ridge")->Fit(d.x, short_y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("19 values for a matrix of 20")));
  Matrix bad = d.x;
  bad.values.pop_back();
  EXPECT_THAT(Make("ridge")->Fit(bad, d.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("rows x cols = 20 x 6")));
  bad = d.x;
  bad.values[8] = std::numeric_limits<float>::infinity();
  EXPECT_THAT(
      Make("ridge")->Fit(bad, d.y, FitOptions()),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("infinite value at row 1, feature 'x2'")));
  std::vector<double> weights(20, 1.0);
  weights[4] = -1;
  FitOptions options;
  options.weights = &weights;
  EXPECT_THAT(Make("ridge")->Fit(d.x, d.y, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("sample weight at row 4")));
}

TEST(ModelErrors, PredictChecksColumnsAndFit) {
  Dataset d = MakeRegression(100, 3);
  auto model = Make("ridge");
  EXPECT_THAT(model->Predict(d.x),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("not fitted")));
  ASSERT_OK(model->Fit(d.x, d.y, FitOptions()));
  Matrix renamed = d.x;
  renamed.feature_names[2] = "x2_new";
  EXPECT_THAT(model->Predict(renamed),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("input column 2 is 'x2_new' but the model expects 'x2'")));
  Matrix narrow;
  narrow.rows = 1;
  narrow.cols = 5;
  narrow.values.assign(5, 0.0F);
  EXPECT_THAT(model->Predict(narrow),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("input has 5 feature columns, the model was trained on 6")));
}

TEST(ModelErrors, ParamsAreValidatedByName) {
  EXPECT_THAT(CreateModel("gradient_boosting", {{"max_dept", 3}}, Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("unknown parameter 'max_dept' (did you mean 'max_depth'?)")));
  EXPECT_THAT(CreateModel("gradient_boosting", {{"max_depth", "deep"}}, Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("parameter 'max_depth' must be an integer in [1, 20], got "
                                 "\"deep\"")));
  EXPECT_THAT(CreateModel("random_forest", {{"subsample", 1.5}}, Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("parameter 'subsample' must be a number in (0, 1], got 1.5")));
  EXPECT_THAT(
      CreateModel("gradient_boosting", {{"objective", "reg:squarederror"}}, Task::kClassification),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("one of binary:logistic")));
  EXPECT_THAT(
      CreateModel("ridge", {}, Task::kClassification),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("'ridge' is not a classification model")));
  EXPECT_THAT(CreateModel("lightgbm", {}, Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown model type 'lightgbm'")));
  EXPECT_THAT(CreateModel("svr", {{"gamma", "auto"}}, Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'gamma' must be one of scale")));
  EXPECT_THAT(CreateModel("group_median", {}, Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("exactly one of 'group_feature'")));
  EXPECT_THAT(CreateModel("mean", nlohmann::json::array(), Task::kRegression),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("params must be a JSON object")));
}

TEST(ModelErrors, LoadStateRefusesCorruptOrForeignState) {
  Dataset d = MakeRegression(200, 3);
  auto ridge = Make("ridge");
  ASSERT_OK(ridge->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(std::string state, ridge->SaveState());
  auto other = Make("ridge");
  EXPECT_THAT(other->LoadState(state.substr(0, state.size() / 2)),
              StatusIs(StatusCode::kDataLoss, HasSubstr("not valid JSON")));
  EXPECT_THAT(Make("mean")->LoadState(state),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("state is for a regression ridge")));
  auto gb = Make("gradient_boosting", Task::kRegression, kSmallBoosting);
  ASSERT_OK(gb->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(std::string gb_state, gb->SaveState());
  EXPECT_THAT(Make("random_forest")->LoadState(gb_state),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("state is for a regression gradient_boosting")));
  EXPECT_THAT(Make("gradient_boosting")->LoadState(gb_state.substr(0, 100)),
              StatusIs(StatusCode::kDataLoss, HasSubstr("not an XGBoost JSON model")));
  EXPECT_THAT(Make("gradient_boosting")->SaveState(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("unfitted")));
}

TEST(ModelErrors, ValidationSetMustMatchTraining) {
  Dataset d = MakeRegression(100, 3);
  Dataset v = MakeRegression(50, 4);
  v.x.feature_names[0] = "other";
  FitOptions options;
  options.x_valid = &v.x;
  EXPECT_THAT(Make("gradient_boosting")->Fit(d.x, d.y, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("set both x_valid and y_valid")));
  options.y_valid = &v.y;
  EXPECT_THAT(Make("gradient_boosting")->Fit(d.x, d.y, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("validation feature names differ")));
}

TEST(Baselines, WeightsAndGroups) {
  Dataset d = MakeClassification(200, 5);
  std::vector<double> w(d.y.size());
  double positive_weight = 0;
  double total = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    w[i] = d.y[i] == 1.0 ? 3.0 : 1.0;
    positive_weight += d.y[i] * w[i];
    total += w[i];
  }
  FitOptions options;
  options.weights = &w;
  auto prevalence = Make("prevalence", Task::kClassification);
  ASSERT_OK(prevalence->Fit(d.x, d.y, options));
  ASSERT_OK_AND_ASSIGN(std::vector<double> p, prevalence->Predict(d.x));
  EXPECT_DOUBLE_EQ(p[0], positive_weight / total);
  auto negative = Make("always_negative", Task::kClassification);
  ASSERT_OK(negative->Fit(d.x, d.y, FitOptions()));
  ASSERT_OK_AND_ASSIGN(std::vector<double> zeros, negative->Predict(d.x));
  EXPECT_EQ(zeros, std::vector<double>(d.y.size(), 0.0));
  // Unknown group column: named in the error.
  EXPECT_THAT(Make("group_median", Task::kRegression, {{"group_feature", "ward"}})
                  ->Fit(d.x, d.y, FitOptions()),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("'group_feature' = 'ward' matches no feature name")));
}

TEST(ModelTypes, SimplicityRanksBreakTies) {
  EXPECT_LT(ModelSimplicityRank("mean"), ModelSimplicityRank("ridge"));
  EXPECT_LT(ModelSimplicityRank("ridge"), ModelSimplicityRank("svr"));
  EXPECT_LT(ModelSimplicityRank("random_forest"), ModelSimplicityRank("gradient_boosting"));
}

TEST(ModelTypes, ListsTypesPerTask) {
  EXPECT_THAT(ModelTypes(Task::kRegression),
              ::testing::UnorderedElementsAre("gradient_boosting", "random_forest", "ridge", "svr",
                                              "mean", "median", "group_median"));
  EXPECT_THAT(ModelTypes(Task::kClassification),
              ::testing::UnorderedElementsAre("gradient_boosting", "random_forest", "logistic",
                                              "prevalence", "always_negative"));
}

}  // namespace
}  // namespace staycast::models
