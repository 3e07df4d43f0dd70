// Tests of the hyperparameter search: config validation with key paths, seeded trial lists, the
// trial budget, and a cross-validated search that finds a planted better setting.
#include "src/train/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "src/core/status_matchers.h"
#include "src/models/test_data.h"

namespace staycast::train {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

std::vector<CandidateSpec> Candidates() {
  return {{"gradient_boosting", "gradient_boosting", {{"n_rounds", 20}}},
          {"ridge", "ridge", nlohmann::json::object()}};
}

StatusOr<SearchConfig> Parse(const std::string& yaml) {
  return ParseSearchConfig("run.yaml", YAML::Load(yaml), Candidates(), models::Task::kRegression);
}

TEST(SearchConfigTest, ParsesMethodBudgetsAndSpace) {
  StatusOr<SearchConfig> c = Parse(R"(
method: random
trials: 7
time_budget_s: 30
folds: 3
space:
  gradient_boosting: {max_depth: [3, 6], learning_rate: {log_uniform: [0.01, 0.3]},
                      min_child_weight: {int_uniform: [1, 9]}}
  ridge: {alpha: {uniform: [0.1, 10]}}
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->enabled);
  EXPECT_EQ(c->method, SearchMethod::kRandom);
  EXPECT_EQ(c->trials, 7);
  EXPECT_DOUBLE_EQ(c->time_budget_s, 30);
  EXPECT_EQ(c->folds, 3);
  ASSERT_EQ(c->spaces.size(), 2u);
  ASSERT_EQ(c->spaces[0].params.size(), 3u);
  EXPECT_EQ(c->spaces[0].params[1].first, "learning_rate");
  EXPECT_EQ(c->spaces[0].params[1].second.kind, ParamDistribution::Kind::kLogUniform);
}

TEST(SearchConfigTest, BadConfigsNameTheKeyPath) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"method: bayes\nspace: {ridge: {alpha: [1, 2]}}", {"models.search.method", "bayes"}},
      {"trials: 0\nspace: {ridge: {alpha: [1, 2]}}", {"models.search.trials", "1.."}},
      {"folds: 1\nspace: {ridge: {alpha: [1, 2]}}", {"models.search.folds", "2..20"}},
      {"time_budget_s: -5\nspace: {ridge: {alpha: [1, 2]}}",
       {"models.search.time_budget_s", "> 0"}},
      {"trials: 3", {"models.search.space", "expected a map"}},
      {"space: {rigde: {alpha: [1, 2]}}", {"models.search.space.rigde", "did you mean 'ridge'"}},
      {"space: {ridge: {alpha: [1, -2]}}",
       {"models.search.space.ridge.alpha", "'alpha' must be a number in [0"}},
      {"space: {ridge: {alhpa: [1, 2]}}",
       {"models.search.space.ridge.alhpa", "unknown parameter 'alhpa'"}},
      {"method: grid\nspace: {ridge: {alpha: {uniform: [1, 2]}}}",
       {"models.search.space.ridge.alpha", "grid search needs a list"}},
      {"space: {gradient_boosting: {max_depth: {uniform: [2, 8]}}}",
       {"models.search.space.gradient_boosting.max_depth", "int_uniform"}},
      {"space: {ridge: {alpha: {log_uniform: [0, 2]}}}",
       {"models.search.space.ridge.alpha.log_uniform", "low > 0"}},
      {"space: {ridge: {alpha: {uniform: [3, 2]}}}",
       {"models.search.space.ridge.alpha.uniform", "low < high"}},
      {"space: {ridge: {alpha: {normal: [3, 2]}}}",
       {"models.search.space.ridge.alpha", "unknown distribution 'normal'"}},
      {"space: {ridge: {alpha: [1, 1]}}", {"models.search.space.ridge.alpha", "listed twice"}},
      {"spaces: {}", {"models.search", "spaces"}},
  };
  for (const auto& [yaml, needles] : cases) {
    const StatusOr<SearchConfig> c = Parse(yaml);
    ASSERT_FALSE(c.ok()) << yaml;
    EXPECT_THAT(c.status(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("run.yaml")));
    for (const std::string& n : needles)
      EXPECT_THAT(std::string(c.status().message()), HasSubstr(n)) << yaml;
  }
}

SearchConfig Config(const std::string& yaml) {
  StatusOr<SearchConfig> c = Parse(yaml);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : SearchConfig();
}

TEST(SearchTrialsTest, RandomIsSeededStartsAtTheConfiguredParamsAndKeepsTheBudget) {
  const SearchConfig c = Config(
      "trials: 6\nspace: {gradient_boosting: {max_depth: [2, 4, 6, 8], "
      "learning_rate: {log_uniform: [0.01, 0.3]}}}");
  const nlohmann::json base = {{"n_rounds", 20}};
  const auto a = SearchTrials(c, c.spaces[0], base, 1);
  const auto b = SearchTrials(c, c.spaces[0], base, 1);
  const auto other = SearchTrials(c, c.spaces[0], base, 2);
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other);
  EXPECT_EQ(a[0], base);
  for (size_t i = 1; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["n_rounds"], 20);
    const double lr = a[i]["learning_rate"].get<double>();
    EXPECT_GE(lr, 0.01);
    EXPECT_LE(lr, 0.3);
    EXPECT_EQ(a[i]["max_depth"].get<int>() % 2, 0);
  }
}

TEST(SearchTrialsTest, GridCoversEveryCombinationOnceUnlessCapped) {
  SearchConfig c = Config(
      "method: grid\nspace: {gradient_boosting: {max_depth: [2, 4, 6], "
      "learning_rate: [0.1, 0.2]}}");
  const auto all = SearchTrials(c, c.spaces[0], nlohmann::json::object(), 3);
  ASSERT_EQ(all.size(), 6u);
  std::set<std::string> distinct;
  for (const auto& t : all) distinct.insert(t.dump());
  EXPECT_EQ(distinct.size(), 6u);
  c.trials = 4;
  EXPECT_EQ(SearchTrials(c, c.spaces[0], nlohmann::json::object(), 3).size(), 4u);
}

TEST(SearchTrialsTest, SmallDiscreteRandomSpaceStopsWhenExhausted) {
  const SearchConfig c = Config("trials: 50\nspace: {ridge: {alpha: [0.5, 1, 2]}}");
  // The configured params ({}) plus the three values.
  EXPECT_EQ(SearchTrials(c, c.spaces[0], nlohmann::json::object(), 1).size(), 4u);
}

// Regression data where ridge with a huge penalty is much worse than with a small one.
struct SearchData {
  Part train, valid;
  std::vector<int> folds;
};

SearchData MakeData() {
  SearchData d;
  models::testing::Dataset ds = models::testing::MakeLinear(600, 5);
  d.train.x = ds.x;
  d.train.y = ds.y;
  for (size_t r = 0; r < d.train.y.size(); ++r) d.folds.push_back(static_cast<int>(r % 4));
  return d;
}

TrainConfig SearchTrainConfig(const std::string& yaml) {
  TrainConfig config;
  config.candidates = Candidates();
  config.primary_metric = "mae";
  config.greater_is_better = false;
  config.seed = 9;
  config.search = Config(yaml);
  return config;
}

TEST(SearchCandidateTest, FindsThePlantedBetterSettingAndKeepsTheTrialBudget) {
  const SearchData d = MakeData();
  TrainConfig config = SearchTrainConfig(
      "method: grid\nfolds: 4\nspace: {ridge: {alpha: [1.0e+9, 1.0e+7, 0.001, 1.0e+8]}}");
  std::vector<std::string> lines;
  const auto progress = [&lines](const std::string& l) { lines.push_back(l); };
  StatusOr<SearchOutcome> out =
      SearchCandidate(config, {"ridge", "ridge", {{"alpha", 1e9}}}, config.search.spaces[0],
                      d.train, d.folds, d.valid, nullptr, progress);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->trials.size(), 4u);
  EXPECT_DOUBLE_EQ(out->best_trial().params["alpha"].get<double>(), 0.001);
  EXPECT_EQ(out->stopped_by, "trials");
  for (const auto& t : out->trials) EXPECT_EQ(t.fold_scores.size(), 4u);
  // A start line, one line per trial, and a summary.
  EXPECT_EQ(lines.size(), 6u);
  EXPECT_THAT(lines[1], HasSubstr("trial 1/4: cv mae"));
  const nlohmann::json record = out->ToJson(config.search, "mae");
  EXPECT_EQ(record["trials_run"], 4);
  EXPECT_EQ(record["best"]["params"]["alpha"], 0.001);

  config.search.trials = 2;
  StatusOr<SearchOutcome> capped =
      SearchCandidate(config, {"ridge", "ridge", {}}, config.search.spaces[0], d.train, d.folds,
                      d.valid, nullptr, nullptr);
  ASSERT_TRUE(capped.ok()) << capped.status().ToString();
  EXPECT_EQ(capped->trials.size(), 2u);
}

TEST(SearchCandidateTest, SameSeedSameResult) {
  const SearchData d = MakeData();
  const TrainConfig config = SearchTrainConfig(
      "trials: 4\nfolds: 4\nspace: {gradient_boosting: {max_depth: {int_uniform: [1, 5]}, "
      "learning_rate: {log_uniform: [0.05, 0.5]}}}");
  const CandidateSpec spec = Candidates()[0];
  const auto run = [&] {
    return SearchCandidate(config, spec, config.search.spaces[0], d.train, d.folds, d.valid,
                           nullptr, nullptr);
  };
  StatusOr<SearchOutcome> a = run();
  StatusOr<SearchOutcome> b = run();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(a->trials.size(), b->trials.size());
  for (size_t i = 0; i < a->trials.size(); ++i) {
    EXPECT_EQ(a->trials[i].params, b->trials[i].params);
    EXPECT_EQ(a->trials[i].fold_scores, b->trials[i].fold_scores);
  }
  EXPECT_EQ(a->best, b->best);
}

TEST(SearchCandidateTest, FoldsKeepEachPatientTogether) {
  data::Table table;
  data::Column patient("patient_id", data::ColumnType::kCategorical);
  for (int r = 0; r < 200; ++r) patient.AppendCategory("p" + std::to_string(r % 37));
  ASSERT_TRUE(table.AddColumn(std::move(patient)).ok());
  StatusOr<std::vector<int>> folds = CrossValidationFolds(table, "patient_id", 5, 1);
  ASSERT_TRUE(folds.ok()) << folds.status().ToString();
  std::map<int, int> fold_of;
  for (int r = 0; r < 200; ++r) {
    const auto [it, inserted] = fold_of.emplace(r % 37, (*folds)[r]);
    EXPECT_EQ(it->second, (*folds)[r]) << "patient " << r % 37;
  }
  EXPECT_THAT(CrossValidationFolds(table, "patient_id", 50, 1).status(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("models.search.folds")));
}

}  // namespace
}  // namespace staycast::train
