// End-to-end tests of issue 3's done-when: `staycast audit` catches the seed's naive
// average-previous-LOS leak, unavailable and unknown columns fail before any data is read, and
// `staycast features` writes the matrix with ids (one generated data set for the whole file).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"

namespace staycast::e2e {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// The lines of `text` (without their newlines).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The audit line of history proof `feature` (its name followed by spaces), or "".
std::string ProofLine(const std::string& audit, const std::string& feature) {
  for (const std::string& line : Lines(audit)) {
    if (line.rfind("  " + feature + " ", 0) == 0 && line.find("sampled rows") != std::string::npos)
      return line;
  }
  return "";
}

// The CSV header's fields (the feature matrix has no quoted names).
std::vector<std::string> HeaderFields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  return fields;
}

// Number of features declared in an example config (list items under `features:`).
int CountFeatures(const std::string& config) {
  const size_t at = config.find("\nfeatures:");
  int count = 0;
  for (size_t p = config.find("\n  - ", at); at != std::string::npos && p != std::string::npos;
       p = config.find("\n  - ", p + 1))
    ++count;
  return count;
}

class FeaturesTest : public ::testing::Test {
 protected:
  // One generated data set (20k rows) for the whole suite.
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    data_ = dir_->File("admissions.csv");
    generate_ = RunStaycast({"generate", "--rows", "20000", "--seed", "3", "--out", data_});
    los_example_ = SourceDir() + "/examples/los.yaml";
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override { ASSERT_EQ(generate_.exit_code, 0) << generate_.err; }

  // examples/los.yaml with `feature` (one list item) appended to its features; returns its path.
  static std::string LosWith(const std::string& name, const std::string& feature) {
    const std::string path = dir_->File(name);
    WriteTextFile(path, ReadTextFile(los_example_) + feature);
    return path;
  }
  // The key path of a feature appended to examples/los.yaml.
  static std::string AppendedPath(const std::string& key) {
    return "features[" + std::to_string(CountFeatures(ReadTextFile(los_example_))) + "]." + key;
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::string data_, los_example_;
  static inline CommandResult generate_;
};

TEST_F(FeaturesTest, AuditCatchesTheNaiveAveragePreviousLos) {
  const CommandResult r = RunStaycast({"audit", los_example_, "--data", data_, "--naive-history"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Staycast audit: 20000 rows, target 'length_of_stay'"));
  EXPECT_THAT(r.out, HasSubstr("== History features: recomputed with every later row removed =="));
  // The seed's per-patient mean including the current stay changes when later stays are removed.
  const std::string naive = ProofLine(r.out, "naive_avg_previous_los");
  EXPECT_THAT(naive, AllOf(HasSubstr("LEAK (the seed's per-patient aggregate uses future stays)"),
                           Not(HasSubstr("changed in 0 of"))))
      << r.out;
  // Every real history feature is unchanged by the removal.
  for (const char* feature :
       {"previous_visits", "visits_last_year", "avg_previous_los", "days_since_last_discharge",
        "previous_readmissions", "first_visit"}) {
    const std::string line = ProofLine(r.out, feature);
    EXPECT_THAT(line, MatchesRegex(".*changed in 0 of [1-9][0-9]* sampled rows  OK \\(point in "
                                   "time\\)"))
        << feature << "\n"
        << r.out;
  }
  // The test-metric comparison shows the naive feature as too good.
  EXPECT_THAT(r.out, HasSubstr("== What the seed's naive per-patient aggregate does to the test "
                               "metric =="));
  EXPECT_THAT(r.out, HasSubstr("naive mean incl. current stay, as reported: MAE"));
  EXPECT_THAT(r.out, HasSubstr("<- too good: it contains the answer"));
}

TEST_F(FeaturesTest, UnavailableColumnFailsBeforeReadingDataUnlessAllowed) {
  const std::string config = LosWith(
      "leaky.yaml", "  - {name: disposition, kind: onehot, column: discharge_disposition}\n");
  // The data location does not exist: the config error must come first.
  const std::string missing = dir_->File("no_such_data.csv");
  for (const char* command : {"audit", "features"}) {
    std::vector<std::string> args = {command, config, "--data", missing};
    if (std::string(command) == "features") {
      args.push_back("--out");
      args.push_back(dir_->File("leaky_features.csv"));
    }
    const CommandResult r = RunStaycast(args);
    EXPECT_NE(r.exit_code, 0) << command;
    EXPECT_THAT(r.err,
                AllOf(HasSubstr("leaky.yaml:"), HasSubstr(AppendedPath("column")),
                      HasSubstr("'discharge_disposition'"), HasSubstr("available: discharge"),
                      HasSubstr("allow_leak"), Not(HasSubstr("no_such_data"))))
        << command;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_->File("leaky_features.csv")));

  // Explicitly allowed: it runs and the audit flags the column.
  const std::string allowed =
      LosWith("allowed.yaml",
              "  - {name: disposition, kind: onehot, column: discharge_disposition, "
              "allow_leak: true}\n");
  const CommandResult r = RunStaycast({"audit", allowed, "--data", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool flagged = false;
  for (const std::string& line : Lines(r.out)) {
    if (line.rfind("  discharge_disposition ", 0) == 0) {
      EXPECT_THAT(line, AllOf(HasSubstr("known at discharge"), HasSubstr("used by disposition"),
                              HasSubstr("LEAK (allow_leak: true)")));
      flagged = true;
    }
  }
  EXPECT_TRUE(flagged) << r.out;
  EXPECT_THAT(r.out, Not(HasSubstr("No leakage found")));
}

TEST_F(FeaturesTest, UnknownColumnFailsNamingTheKeyPath) {
  const std::string config =
      LosWith("unknown.yaml", "  - {name: weight, kind: numeric, column: weight_kg}\n");
  const CommandResult r = RunStaycast({"audit", config, "--data", data_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, AllOf(HasSubstr("unknown.yaml:"), HasSubstr(AppendedPath("column")),
                           HasSubstr("unknown column 'weight_kg'")));
  EXPECT_EQ(r.out, "");
}

TEST_F(FeaturesTest, FeaturesWritesTheMatrixWithIds) {
  const std::string out = dir_->File("features.csv");
  const CommandResult r = RunStaycast({"features", los_example_, "--data", data_, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(ReadTextFile(out));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.size(), Lines(ReadTextFile(data_)).size());  // header + the same rows
  const std::vector<std::string> header = HeaderFields(lines[0]);
  ASSERT_FALSE(header.empty());
  EXPECT_EQ(header[0], "admission_id");
  for (const char* column : {"age", "age_missing", "emergency", "surgery", "chronic_count",
                             "previous_visits", "visits_last_year", "avg_previous_los",
                             "days_since_last_discharge", "previous_readmissions", "first_visit"}) {
    EXPECT_THAT(header, ::testing::Contains(column)) << lines[0];
  }
  EXPECT_THAT(header, Not(::testing::Contains("length_of_stay")));
  // Every row has as many fields as the header, and ids are the input's (first data row).
  for (size_t i = 1; i < lines.size(); ++i) {
    ASSERT_EQ(HeaderFields(lines[i]).size(), header.size()) << "line " << i + 1;
  }
  const std::vector<std::string> input = Lines(ReadTextFile(data_));
  const std::vector<std::string> input_header = HeaderFields(input[0]);
  const auto id_at = std::find(input_header.begin(), input_header.end(), "admission_id");
  ASSERT_NE(id_at, input_header.end());
  EXPECT_EQ(HeaderFields(lines[1])[0], HeaderFields(input[1])[id_at - input_header.begin()]);
}

TEST_F(FeaturesTest, FeaturesWritesNoFileOnError) {
  // Data that does not exist: an error naming it, and no output.
  const std::string out = dir_->File("never.csv");
  const CommandResult r =
      RunStaycast({"features", los_example_, "--data", dir_->File("missing.csv"), "--out", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("missing.csv"));
  EXPECT_FALSE(std::filesystem::exists(out));

  // Data without a column the config declares: fails, and no output either.
  const std::vector<std::string> input = Lines(ReadTextFile(data_));
  std::vector<std::string> header = HeaderFields(input[0]);
  const auto age = std::find(header.begin(), header.end(), "age");
  ASSERT_NE(age, header.end());
  const std::string renamed = dir_->File("renamed.csv");
  std::string text = ReadTextFile(data_);
  const size_t at = text.find(",age,");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, ",years,");
  WriteTextFile(renamed, text);
  const CommandResult f = RunStaycast({"features", los_example_, "--data", renamed, "--out", out});
  EXPECT_NE(f.exit_code, 0);
  EXPECT_THAT(f.err, HasSubstr("age"));
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace staycast::e2e
