// End-to-end: `staycast generate` writes identical files for a seed, reports one summary line,
// rejects bad options with one clear line, and leaves no file behind when it fails.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/cli_runner.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(GenerateTest, SameSeedGivesIdenticalFiles) {
  TempDir dir;
  const CommandResult a =
      RunStaycast({"generate", "--rows", "3000", "--seed", "1", "--out", dir.File("a.csv")});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_THAT(a.out, StartsWith("generated 3000 admissions of "));
  EXPECT_THAT(a.out, HasSubstr("readmitted_30d "));
  EXPECT_EQ(std::count(a.out.begin(), a.out.end(), '\n'), 1) << a.out;
  const CommandResult b =
      RunStaycast({"generate", "--rows", "3000", "--seed", "1", "--out", dir.File("b.csv")});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const CommandResult c =
      RunStaycast({"generate", "--rows", "3000", "--seed", "2", "--out", dir.File("c.csv")});
  ASSERT_EQ(c.exit_code, 0) << c.err;

  const std::string text = ReadTextFile(dir.File("a.csv"));
  EXPECT_EQ(text, ReadTextFile(dir.File("b.csv")));
  EXPECT_NE(text, ReadTextFile(dir.File("c.csv")));
  EXPECT_THAT(text, StartsWith("admission_id,patient_id,admit_time,discharge_time,age,"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3001);
}

TEST(GenerateTest, OutputReadsBackAsTheAdmissionsTable) {
  TempDir dir;
  const CommandResult g =
      RunStaycast({"generate", "--rows", "500", "--seed", "3", "--start", "2020-01-01", "--years",
                   "2", "--drift-start", "2021-01-01", "--out", dir.File("a.csv")});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  EXPECT_THAT(g.out, HasSubstr("(2020-01-01 .. 2022-01-01)"));
  const CommandResult s = RunStaycast({"summary", dir.File("a.csv")});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_THAT(s.out, HasSubstr("500"));
  EXPECT_THAT(s.out, HasSubstr("length_of_stay"));
}

TEST(GenerateTest, BadOptionsAreOneClearLineAndWriteNothing) {
  TempDir dir;
  const std::string out = dir.File("x.csv");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--rows", "0"}, "--rows must be a positive number"},
      {{"--rows", "10", "--years", "0"}, "--years must be between 1 and"},
      {{"--rows", "10", "--start", "2019-02-30x"}, "--start '2019-02-30x': expected a date"},
      {{"--rows", "10", "--drift-start", "2030-01-01"},
       "--drift-start 2030-01-01 must lie strictly inside the generated period"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"generate", "--out", out};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const CommandResult r = RunStaycast(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("staycast: error: " + c.message)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
  const CommandResult missing = RunStaycast({"generate", "--rows", "10"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("--out"));
}

TEST(GenerateTest, UnwritableDestinationFailsWithoutPartialFile) {
  TempDir dir;
  const std::string out = dir.File("no/such/dir/a.csv");
  const CommandResult r = RunStaycast({"generate", "--rows", "100", "--out", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("staycast: error: "));
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace staycast::e2e
