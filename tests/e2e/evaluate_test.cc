// `staycast evaluate` end to end: the readmission story (accuracy ~ always-negative while PR-AUC
// and net benefit tell the truth), schema mismatches and bad labels reported, the report
// regenerated from the bundle alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/e2e/cli_runner.h"

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
  std::istringstream in(ReadTextFile(dir_->File("adm.csv")));
  std::string line, out;
  int age = -1;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    if (age < 0) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "age") age = static_cast<int>(i);
      }
    }
    std::string row;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (static_cast<int>(i) == age) continue;
      row += (row.empty() ? "" : ",") + cells[i];
    }
    out += row + (out.empty() ? ",ward_colour\n" : ",blue\n");
  }
  ASSERT_GE(age, 0);
  WriteTextFile(dir_->File("mismatch.csv"), out);
  const CommandResult r = RunStaycast(
      {"evaluate", dir_->File("bundle"), dir_->File("mismatch.csv"), "--bootstrap", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("missing column 'age': imputed as missing in every row"));
  EXPECT_THAT(r.out, HasSubstr("1 extra column ignored: 'ward_colour'"));
}

TEST_F(EvaluateTest, RefusesUnexpectedLabelsWithExamples) {
  std::string text = ReadTextFile(dir_->File("adm.csv"));
  // Make the first data row's outcome a 2 by rewriting the readmitted_30d cell of row 2.
  std::istringstream in(text);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  int col = 0;
  {
    std::istringstream h(header);
    std::string name;
    int i = 0;
    while (std::getline(h, name, ',')) {
      if (name == "readmitted_30d") col = i;
      ++i;
    }
  }
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : first) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  cells[col] = "2";
  std::string row;
  for (const std::string& c : cells) row += (row.empty() ? "" : ",") + c;
  std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  WriteTextFile(dir_->File("bad.csv"), header + "\n" + row + "\n" + rest);
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
