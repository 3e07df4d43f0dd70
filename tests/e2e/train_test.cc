// End-to-end tests of issue 4's done-when: `staycast train` and `staycast predict` driven as a user
// would, on generated admissions (one data set for the whole file, small model line-ups).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/test_files.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Writes `csv` back, dropping column `drop` and replacing column `set` by `value` in every row.
void WriteCsv(const Csv& csv, const std::string& path, const std::string& drop = "",
              const std::string& set = "", const std::string& value = "", size_t max_rows = 0) {
  const auto quote = [](const std::string& f) {
    if (f.find_first_of(",\"\n") == std::string::npos) return f;
    std::string q = "\"";
    for (char c : f) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  const int d = csv.Col(drop);
  const int s = csv.Col(set);
  std::string text;
  const auto line = [&](const std::vector<std::string>& r, bool header) {
    std::string out;
    for (size_t j = 0; j < r.size(); ++j) {
      if (static_cast<int>(j) == d) continue;
      if (!out.empty()) out += ',';
      out += quote(!header && static_cast<int>(j) == s ? value : r[j]);
    }
    text += out + "\n";
  };
  line(csv.header, true);
  for (size_t i = 0; i < csv.rows.size() && (max_rows == 0 || i < max_rows); ++i)
    line(csv.rows[i], false);
  WriteTextFile(path, text);
}

nlohmann::json ReadJson(const std::string& path) {
  return nlohmann::json::parse(ReadTextFile(path));
}

constexpr const char* kLosModels = R"(models:
  candidates:
    - {type: gradient_boosting, params: {n_rounds: 60, max_depth: 4, learning_rate: 0.2}}
    - {type: ridge}
)";
constexpr const char* kReadmissionModels = R"(models:
  candidates:
    - {type: gradient_boosting, params: {n_rounds: 60, max_depth: 3, learning_rate: 0.2}}
    - {type: logistic, params: {max_iter: 8, tol: 1.0e-4}}
)";

class TrainTest : public ::testing::Test {
 protected:
  // One generated data set (20k rows, 2019-2023) and a later, unseen period (2024-2028); one LOS
  // and one readmission bundle trained on the first.
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    data_ = dir_->File("admissions.csv");
    later_ = dir_->File("later.csv");
    const CommandResult g =
        RunStaycast({"generate", "--rows", "20000", "--seed", "7", "--out", data_});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const CommandResult l = RunStaycast(
        {"generate", "--rows", "20000", "--seed", "8", "--start", "2024-01-01", "--out", later_});
    ASSERT_EQ(l.exit_code, 0) << l.err;
    los_config_ = dir_->File("los.yaml");
    WriteTextFile(los_config_, ExampleConfig("los.yaml", data_, kLosModels));
    readmission_config_ = dir_->File("readmission.yaml");
    WriteTextFile(readmission_config_,
                  ExampleConfig("readmission.yaml", data_, kReadmissionModels));
    los_bundle_ = dir_->File("los_bundle");
    los_train_ = RunStaycast({"train", los_config_, "--out", los_bundle_, "--tar"});
    readmission_bundle_ = dir_->File("readmission_bundle");
    readmission_train_ = RunStaycast({"train", readmission_config_, "--out", readmission_bundle_});
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    ASSERT_EQ(los_train_.exit_code, 0) << los_train_.err;
    ASSERT_EQ(readmission_train_.exit_code, 0) << readmission_train_.err;
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::string data_, later_, los_config_, readmission_config_;
  static inline std::string los_bundle_, readmission_bundle_;
  static inline CommandResult los_train_, readmission_train_;
};

// The test metric `metric` of the model named `name` in a bundle's metrics.json.
double TestMetric(const nlohmann::json& metrics, const std::string& name,
                  const std::string& metric) {
  for (const auto& m : metrics.at("models")) {
    if (m.at("name") == name) return m.at("test").at(metric).get<double>();
  }
  ADD_FAILURE() << "no model named " << name;
  return 0;
}

TEST_F(TrainTest, LosPrintsTheComparisonAndBeatsTheBaselines) {
  for (const char* name : {"gradient_boosting", "ridge", "mean (base)", "median (base)", "chosen"})
    EXPECT_THAT(los_train_.out, HasSubstr(name));
  const nlohmann::json metrics = ReadJson(los_bundle_ + "/metrics.json");
  const std::string chosen = metrics.at("chosen");
  EXPECT_THAT(chosen, Not(HasSubstr("mean")));
  const double chosen_mae = metrics.at("test").at("mae").get<double>();
  EXPECT_DOUBLE_EQ(chosen_mae, TestMetric(metrics, chosen, "mae"));
  double best_baseline = 1e300;
  int baselines = 0;
  for (const auto& m : metrics.at("models")) {
    if (!m.at("baseline").get<bool>()) continue;
    ++baselines;
    best_baseline = std::min(best_baseline, m.at("test").at("mae").get<double>());
  }
  EXPECT_EQ(baselines, 2);
  EXPECT_LT(chosen_mae, best_baseline);
  // The manifest's metadata agrees (the registry's promotion gate reads it).
  const nlohmann::json meta = ReadJson(los_bundle_ + "/manifest.json").at("metadata");
  EXPECT_EQ(meta.at("chosen"), chosen);
  EXPECT_DOUBLE_EQ(meta.at("baseline_metrics").at("test").at("mae").get<double>(), best_baseline);
}

TEST_F(TrainTest, LosIntervalsCoverNinetyPercentOfALaterPeriod) {
  const std::string out = dir_->File("later_predictions.csv");
  const CommandResult p = RunStaycast({"predict", los_bundle_, later_, "--out", out});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const Csv data = ReadCsv(later_);
  const std::map<std::string, std::string> actual = data.ByKey("admission_id", "length_of_stay");
  const Csv pred = ReadCsv(out);
  const int id = pred.Col("admission_id");
  const int lower = pred.Col("lower");
  const int upper = pred.Col("upper");
  ASSERT_GE(id, 0);
  ASSERT_GE(lower, 0);
  ASSERT_GE(upper, 0);
  ASSERT_EQ(pred.rows.size(), 20000u);
  size_t covered = 0;
  for (const auto& r : pred.rows) {
    const double y = std::stod(actual.at(r[id]));
    if (std::stod(r[lower]) <= y && y <= std::stod(r[upper])) ++covered;
  }
  const double coverage = static_cast<double>(covered) / static_cast<double>(pred.rows.size());
  EXPECT_GE(coverage, 0.88);
  EXPECT_LE(coverage, 0.92);
}

TEST_F(TrainTest, ReadmissionBeatsPrevalenceAndIsCalibrated) {
  for (const char* name :
       {"gradient_boosting", "logistic", "prevalence (base)", "always_negative", "chosen"})
    EXPECT_THAT(readmission_train_.out, HasSubstr(name));
  const nlohmann::json metrics = ReadJson(readmission_bundle_ + "/metrics.json");
  const nlohmann::json& test = metrics.at("test");
  EXPECT_GT(test.at("pr_auc").get<double>(), TestMetric(metrics, "prevalence", "pr_auc"));
  const double slope = test.at("calibration_slope").get<double>();
  EXPECT_GE(slope, 0.8);
  EXPECT_LE(slope, 1.2);
}

// Predicting the full training CSV gives the test rows exactly the predictions recorded in the
// bundle at training time.
void ExpectRecordedTestPredictions(const std::string& bundle, const std::string& data,
                                   const std::string& out, const std::vector<std::string>& cols) {
  const CommandResult p = RunStaycast({"predict", bundle, data, "--out", out});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const Csv recorded = ReadCsv(bundle + "/test_predictions.csv");
  ASSERT_GT(recorded.rows.size(), 1000u);
  const Csv predicted = ReadCsv(out);
  for (const std::string& col : cols) {
    const std::map<std::string, std::string> want = recorded.ByKey("admission_id", col);
    const std::map<std::string, std::string> got = predicted.ByKey("admission_id", col);
    ASSERT_EQ(want.size(), recorded.rows.size()) << col;
    size_t differ = 0;
    for (const auto& [id, value] : want) {
      const auto it = got.find(id);
      if (it == got.end() || it->second != value) {
        if (++differ <= 3)
          ADD_FAILURE() << col << " of " << id << ": recorded " << value << ", predicted "
                        << (it == got.end() ? "nothing" : it->second);
      }
    }
    EXPECT_EQ(differ, 0u) << col;
  }
}

TEST_F(TrainTest, BatchPredictionsEqualTheRecordedTestPredictions) {
  ExpectRecordedTestPredictions(los_bundle_, data_, dir_->File("los_full.csv"),
                                {"prediction", "lower", "upper"});
  ExpectRecordedTestPredictions(readmission_bundle_, data_, dir_->File("readmission_full.csv"),
                                {"probability", "decision"});
}

TEST_F(TrainTest, TamperedOrTruncatedBundleIsRefused) {
  const std::string copy = dir_->File("tampered");
  std::filesystem::copy(los_bundle_, copy, std::filesystem::copy_options::recursive);
  std::string state = ReadTextFile(copy + "/model_state.json");
  ASSERT_GT(state.size(), 100u);
  char& byte = state[state.size() / 2];
  byte = byte == '7' ? '8' : '7';
  WriteTextFile(copy + "/model_state.json", state);
  const CommandResult t =
      RunStaycast({"predict", copy, later_, "--out", dir_->File("tampered.csv")});
  EXPECT_NE(t.exit_code, 0);
  EXPECT_THAT(t.err, HasSubstr("checksum"));
  EXPECT_THAT(t.err, HasSubstr("model_state.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_->File("tampered.csv")));

  // The intact .tar works; a truncated one is refused.
  const std::string tar = los_bundle_ + ".tar";
  const CommandResult ok = RunStaycast({"predict", tar, later_, "--out", dir_->File("tar.csv")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  const std::string bytes = ReadTextFile(tar);
  ASSERT_GT(bytes.size(), 4096u);
  const std::string truncated = dir_->File("truncated.tar");
  WriteTextFile(truncated, bytes.substr(0, bytes.size() / 2));
  const CommandResult tr =
      RunStaycast({"predict", truncated, later_, "--out", dir_->File("truncated.csv")});
  EXPECT_NE(tr.exit_code, 0);
  EXPECT_THAT(tr.err, HasSubstr("truncated"));
  EXPECT_FALSE(std::filesystem::exists(dir_->File("truncated.csv")));
}

TEST_F(TrainTest, SameConfigAndSeedGiveIdenticalPredictions) {
  const std::string again = dir_->File("los_again");
  const CommandResult t = RunStaycast({"train", los_config_, "--out", again, "-q"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string a = dir_->File("first.csv");
  const std::string b = dir_->File("second.csv");
  ASSERT_EQ(RunStaycast({"predict", los_bundle_, later_, "--out", a}).exit_code, 0);
  ASSERT_EQ(RunStaycast({"predict", again, later_, "--out", b}).exit_code, 0);
  const std::string first = ReadTextFile(a);
  EXPECT_GT(first.size(), 100000u);
  EXPECT_TRUE(first == ReadTextFile(b)) << "predictions of two identical runs differ";
  EXPECT_EQ(ReadTextFile(los_bundle_ + "/model_state.json"),
            ReadTextFile(again + "/model_state.json"));
}

TEST_F(TrainTest, UnusableTargetIsNamed) {
  const Csv data = ReadCsv(data_);
  const std::string constant = dir_->File("constant.csv");
  WriteCsv(data, constant, "", "length_of_stay", "3", 3000);
  const CommandResult c =
      RunStaycast({"train", los_config_, "--data", constant, "--out", dir_->File("c")});
  EXPECT_NE(c.exit_code, 0);
  EXPECT_THAT(c.err, HasSubstr("length_of_stay"));
  EXPECT_THAT(c.err, HasSubstr("constant"));
  EXPECT_FALSE(std::filesystem::exists(dir_->File("c")));

  const std::string missing = dir_->File("missing.csv");
  WriteCsv(data, missing, "", "length_of_stay", "", 3000);
  const CommandResult m =
      RunStaycast({"train", los_config_, "--data", missing, "--out", dir_->File("m")});
  EXPECT_NE(m.exit_code, 0);
  EXPECT_THAT(m.err, HasSubstr("length_of_stay"));
  EXPECT_THAT(m.err, HasSubstr("missing"));
  EXPECT_FALSE(std::filesystem::exists(dir_->File("m")));
}

TEST_F(TrainTest, UnknownModelTypeNamesTheKeyPath) {
  const std::string config = dir_->File("unknown.yaml");
  WriteTextFile(config, ExampleConfig("los.yaml", data_, R"(models:
  candidates:
    - {type: gradient_boostin}
)"));
  const CommandResult r = RunStaycast({"train", config, "--out", dir_->File("u")});
  EXPECT_NE(r.exit_code, 0);
  // The line of the candidate in the user's file (the config ends with the models section).
  const std::string text = ReadTextFile(config);
  const auto line = std::count(text.begin(), text.end(), '\n');
  EXPECT_THAT(r.err, HasSubstr("unknown.yaml:" + std::to_string(line) + ": models.candidates[0]"));
  EXPECT_THAT(r.err, HasSubstr("gradient_boostin"));
}

TEST_F(TrainTest, ExistingOutNeedsOverwrite) {
  const std::string before = ReadTextFile(los_bundle_ + "/manifest.json");
  const CommandResult r = RunStaycast({"train", los_config_, "--out", los_bundle_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("already exists"));
  EXPECT_THAT(r.err, HasSubstr("--overwrite"));
  EXPECT_EQ(ReadTextFile(los_bundle_ + "/manifest.json"), before);
}

TEST_F(TrainTest, MissingFeatureColumnIsImputedAndReported) {
  const std::string input = dir_->File("no_age.csv");
  WriteCsv(ReadCsv(later_), input, "age", "", "", 200);
  const std::string out = dir_->File("no_age_predictions.csv");
  const CommandResult r = RunStaycast({"predict", los_bundle_, input, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Csv pred = ReadCsv(out);
  ASSERT_EQ(pred.rows.size(), 200u);
  const int prediction = pred.Col("prediction");
  const int warnings = pred.Col("warnings");
  ASSERT_GE(prediction, 0);
  ASSERT_GE(warnings, 0);
  for (const auto& row : pred.rows) {
    EXPECT_FALSE(row[prediction].empty());
    EXPECT_THAT(row[warnings], HasSubstr("age"));
    EXPECT_THAT(row[warnings], ::testing::AnyOf(HasSubstr("missing"), HasSubstr("imputed")));
  }
}

TEST_F(TrainTest, SearchRecordsItsTrialsAndRefitsTheBest) {
  const std::string config = dir_->File("search.yaml");
  WriteTextFile(config, ExampleConfig("los.yaml", data_, R"(models:
  candidates:
    - {type: gradient_boosting, params: {n_rounds: 30, learning_rate: 0.3}}
    - ridge
  search:
    method: random
    trials: 3
    folds: 3
    space:
      gradient_boosting: {max_depth: [2, 4]}
      ridge: {alpha: {log_uniform: [1.0e-3, 1.0e+9]}}
)"));
  const std::string bundle = dir_->File("search_bundle");
  const CommandResult r = RunStaycast({"train", config, "--out", bundle});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("ridge trial 3/3: cv mae"));
  EXPECT_THAT(r.out, HasSubstr("search ridge: random search, 3 trials"));
  const nlohmann::json metrics = ReadJson(bundle + "/metrics.json");
  for (const auto& m : metrics.at("models")) {
    if (m.at("name") != "ridge" && m.at("name") != "gradient_boosting") {
      EXPECT_FALSE(m.contains("search")) << m.at("name");
      continue;
    }
    const nlohmann::json& s = m.at("search");
    EXPECT_EQ(s.at("trials_run"), 3) << m.at("name");
    EXPECT_EQ(s.at("folds"), 3);
    EXPECT_TRUE(s.at("grouped").get<bool>());
    EXPECT_EQ(s.at("trials").size(), 3u);
    // The refitted model carries the best trial's parameters.
    for (const auto& [key, value] : s.at("best").at("params").items())
      EXPECT_EQ(m.at("params").at(key), value) << m.at("name") << " " << key;
  }

  // A bad search section names its key path and line, before any data is read.
  const std::string bad = dir_->File("bad_search.yaml");
  WriteTextFile(bad, ExampleConfig("los.yaml", "/nonexistent.csv", R"(models:
  candidates: [ridge]
  search:
    method: grid
    space:
      ridge: {alpha: {uniform: [0.1, 10]}}
)"));
  const CommandResult b = RunStaycast({"train", bad, "--out", dir_->File("bad_search")});
  EXPECT_NE(b.exit_code, 0);
  const std::string text = ReadTextFile(bad);
  const auto line = std::count(text.begin(), text.end(), '\n');
  EXPECT_THAT(b.err, HasSubstr("bad_search.yaml:" + std::to_string(line) +
                               ": models.search.space.ridge.alpha: grid search needs a list"));
}

}  // namespace
}  // namespace staycast::e2e
