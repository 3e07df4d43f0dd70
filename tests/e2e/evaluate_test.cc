// `staycast evaluate` end to end: the readmission story (accuracy ~ always-negative while PR-AUC
// and net benefit tell the truth), schema mismatches and bad labels reported, the report
// regenerated from the bundle alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/test_files.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;

class EvaluateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();  // NOLINT: suite-lifetime fixture, deleted in TearDownTestSuite
    ASSERT_EQ(
        RunStaycast({"generate", "--rows", "6000", "--seed", "5", "--out", dir_->File("adm.csv")})
            .exit_code,
        0);
    const CommandResult r =
        RunStaycast({"train", SourceDir() + "/examples/readmission.yaml", "--data",
                     dir_->File("adm.csv"), "--out", dir_->File("bundle")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;  // NOLINT
    dir_ = nullptr;
  }
  static TempDir* dir_;
};
TempDir* EvaluateTest::dir_ = nullptr;

TEST_F(EvaluateTest, AccuracyMatchesAlwaysNegativeWhilePrAucAndNetBenefitDoNot) {
  const CommandResult r =
      RunStaycast({"evaluate", dir_->File("bundle"), dir_->File("adm.csv"), "--json",
                   dir_->File("e.json"), "--report", dir_->File("e.html"), "--bootstrap", "50"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json e = nlohmann::json::parse(ReadTextFile(dir_->File("e.json")));
  const nlohmann::json& story = e["classification"]["accuracy_story"];
  const double prevalence = story["prevalence"].get<double>();
  // Accuracy is no better than always predicting "no" (within a few points of it) ...
  const double gap =
      story["accuracy"].get<double>() - story["always_negative_accuracy"].get<double>();
  EXPECT_LT(gap, 0.02);
  EXPECT_GT(gap, -0.1);
  EXPECT_NEAR(story["always_negative_accuracy"].get<double>(), 1 - prevalence, 1e-12);
  // ... while PR-AUC is well above the no-skill line and net benefit beats treat-all/none.
  EXPECT_GT(story["pr_auc"].get<double>(), 1.5 * prevalence);
  EXPECT_GT(story["best_net_benefit_gain"].get<double>(), 0);
  EXPECT_THAT(story["sentence"].get<std::string>(), HasSubstr("always predicts"));
  const std::string html = ReadTextFile(dir_->File("e.html"));
  EXPECT_THAT(html, HasSubstr("id=\"accuracy-story\""));
  EXPECT_LT(html.size(), 5U * 1024 * 1024);
  for (const char* id : {"chart-roc", "chart-pr", "chart-calibration", "chart-decision-curve",
                         "chart-confusion", "chart-permutation"}) {
    EXPECT_THAT(html, HasSubstr(std::string("<svg id=\"") + id + "\"")) << id;
  }
  EXPECT_EQ(html.find("http://") == std::string::npos ||
                html.find("http://www.w3.org/2000/svg") != std::string::npos,
            true);
  EXPECT_EQ(html.find("<script src"), std::string::npos) << "no external scripts";
}

TEST_F(EvaluateTest, RegeneratesTheReportFromTheBundleAlone) {
  const CommandResult r =
      RunStaycast({"evaluate", dir_->File("bundle"), "--report", dir_->File("stored.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ReadTextFile(dir_->File("stored.html")), HasSubstr("Model card (TRIPOD+AI)"));
  EXPECT_THAT(r.out, HasSubstr("pr_auc"));
}

TEST_F(EvaluateTest, NamesMissingAndExtraColumns) {
  // Drop the 'age' column and add an unknown one.
  Csv csv = ReadCsv(dir_->File("adm.csv"));
  const int age = csv.Col("age");
  ASSERT_GE(age, 0);
  csv.header.erase(csv.header.begin() + age);
  csv.header.push_back("ward_colour");
  for (std::vector<std::string>& row : csv.rows) {
    row.erase(row.begin() + age);
    row.push_back("blue");
  }
  WriteTextFile(dir_->File("mismatch.csv"), csv.Text());
  const CommandResult r = RunStaycast(
      {"evaluate", dir_->File("bundle"), dir_->File("mismatch.csv"), "--bootstrap", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("missing column 'age': imputed as missing in every row"));
  EXPECT_THAT(r.out, HasSubstr("1 extra column ignored: 'ward_colour'"));
}

TEST_F(EvaluateTest, RefusesUnexpectedLabelsWithExamples) {
  // Make the first data row's outcome a 2.
  Csv csv = ReadCsv(dir_->File("adm.csv"));
  const int col = csv.Col("readmitted_30d");
  ASSERT_GE(col, 0);
  ASSERT_FALSE(csv.rows.empty());
  csv.rows[0][col] = "2";
  WriteTextFile(dir_->File("bad.csv"), csv.Text());
  const CommandResult r = RunStaycast({"evaluate", dir_->File("bundle"), dir_->File("bad.csv")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("label column 'readmitted_30d' has 1 value other than 0/1, e.g. "
                               "'2' (row 2)"));
}

TEST_F(EvaluateTest, RefusesDataWithoutTheOutcome) {
  const CommandResult r =
      RunStaycast({"evaluate", dir_->File("bundle"), dir_->File("nonexistent.csv")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("nonexistent.csv"));
}

}  // namespace
}  // namespace staycast::e2e
