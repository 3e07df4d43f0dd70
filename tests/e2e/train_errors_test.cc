// End-to-end tests of `staycast train` / `predict` paths off the happy road: a failed registered
// run is recorded as failed, forced calibration modes, an unwritable --tar, and a --history file
// whose column types do not match the bundle's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/test_files.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;

class TrainErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    data_ = dir_->File("admissions.csv");
    const CommandResult g =
        RunStaycast({"generate", "--rows", "6000", "--seed", "3", "--out", data_});
    ASSERT_EQ(g.exit_code, 0) << g.err;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::string data_;
};

TEST_F(TrainErrorsTest, FailedRegisteredRunIsRecordedAsFailed) {
  const std::string config = dir_->File("los.yaml");
  WriteTextFile(config, ExampleConfig("los.yaml", dir_->File("absent.csv"),
                                      "models:\n  candidates: [ridge]\n"));
  const std::string registry = "sqlite:" + dir_->File("registry.db");
  const CommandResult t = RunStaycast(
      {"train", config, "--out", dir_->File("never"), "--register", "los", "--registry", registry});
  EXPECT_NE(t.exit_code, 0);
  EXPECT_THAT(t.err, HasSubstr("absent.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir_->File("never")));
  const CommandResult runs = RunStaycast({"runs", "list", "--registry", registry});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_THAT(runs.out, HasSubstr("failed"));
  const CommandResult failed =
      RunStaycast({"runs", "list", "--status", "failed", "--registry", registry});
  ASSERT_EQ(failed.exit_code, 0) << failed.err;
  EXPECT_THAT(failed.out, HasSubstr("los"));
}

TEST_F(TrainErrorsTest, ForcedCalibrationModesAreUsed) {
  for (const std::string mode : {"isotonic", "platt", "none"}) {
    const std::string config = dir_->File("readmission_" + mode + ".yaml");
    WriteTextFile(config,
                  ExampleConfig("readmission.yaml", data_,
                                "models:\n  calibration: " + mode +
                                    "\n  candidates:\n    - {type: logistic, params: {max_iter: "
                                    "8}}\n"));
    const std::string bundle = dir_->File("bundle_" + mode);
    const CommandResult t = RunStaycast({"train", config, "--out", bundle});
    ASSERT_EQ(t.exit_code, 0) << mode << ": " << t.err;
    const std::string calibration = bundle + "/calibration.json";
    if (mode == "none") {
      EXPECT_FALSE(std::filesystem::exists(calibration));
      continue;
    }
    EXPECT_THAT(t.err, HasSubstr("calibration: " + mode));
    const nlohmann::json c = nlohmann::json::parse(ReadTextFile(calibration));
    EXPECT_EQ(c.at("calibrator").at("method"), mode) << c.dump();
  }
}

TEST_F(TrainErrorsTest, UnwritableTarIsReported) {
  const std::string config = dir_->File("tar.yaml");
  WriteTextFile(config, ExampleConfig("los.yaml", data_, "models:\n  candidates: [ridge]\n"));
  const std::string bundle = dir_->File("tar_bundle");
  // A directory where the .tar file should go.
  std::filesystem::create_directories(bundle + ".tar/inside");
  const CommandResult t = RunStaycast({"train", config, "--out", bundle, "--tar"});
  EXPECT_NE(t.exit_code, 0);
  EXPECT_THAT(t.err, HasSubstr("tar_bundle.tar"));
  EXPECT_TRUE(std::filesystem::is_directory(bundle + ".tar/inside"));
}

TEST_F(TrainErrorsTest, HistoryWithMismatchedColumnTypeIsRefused) {
  const std::string config = dir_->File("history.yaml");
  WriteTextFile(config, ExampleConfig("los.yaml", data_, "models:\n  candidates: [ridge]\n"));
  const std::string bundle = dir_->File("history_bundle");
  const CommandResult t = RunStaycast({"train", config, "--out", bundle});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  // The history file's admit_time is not a timestamp.
  std::string text = ReadTextFile(data_);
  const size_t line_end = text.find('\n', text.find('\n') + 1);
  const std::string first_row = text.substr(text.find('\n') + 1, line_end - text.find('\n') - 1);
  const size_t a = first_row.find(',', first_row.find(',') + 1);
  const size_t b = first_row.find(',', a + 1);
  std::string bad_row = first_row;
  bad_row.replace(a + 1, b - a - 1, "last tuesday");
  const std::string history = dir_->File("bad_history.csv");
  WriteTextFile(history, text.substr(0, text.find('\n') + 1) + bad_row + "\n");
  const std::string out = dir_->File("history_predictions.csv");
  const CommandResult p =
      RunStaycast({"predict", bundle, data_, "--history", history, "--out", out});
  EXPECT_NE(p.exit_code, 0);
  EXPECT_THAT(p.err, HasSubstr("bad_history.csv"));
  EXPECT_THAT(p.err, HasSubstr("admit_time"));
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace staycast::e2e
