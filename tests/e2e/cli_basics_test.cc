// End-to-end: the binary's help, version, argument errors and one-line error reporting.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/cli_runner.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliBasicsTest, VersionAndHelp) {
  const CommandResult v = RunStaycast({"--version"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("staycast 0."));
  const CommandResult h = RunStaycast({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_THAT(h.out, HasSubstr("summary"));
}

TEST(CliBasicsTest, NoSubcommandIsAnError) {
  const CommandResult r = RunStaycast({});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("subcommand"));
}

TEST(CliBasicsTest, MissingInputIsOneClearLine) {
  TempDir dir;
  const CommandResult r = RunStaycast({"summary", dir.File("nope.csv")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("staycast: error: "));
  EXPECT_THAT(r.err, HasSubstr("nope.csv"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliBasicsTest, BadTypeOverrideNamesTheFlag) {
  TempDir dir;
  const CommandResult r = RunStaycast({"summary", dir.File("a.csv"), "--type", "age"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--type 'age': expected COLUMN=TYPE"));
  const CommandResult r2 = RunStaycast({"summary", dir.File("a.csv"), "--type", "age=float"});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_THAT(r2.err, HasSubstr("unknown column type \"float\""));
  EXPECT_THAT(r2.err, Not(HasSubstr("Aborted")));
}

}  // namespace
}  // namespace staycast::e2e
