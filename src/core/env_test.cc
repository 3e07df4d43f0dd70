// Tests for the POSIX Env: atomic files leave nothing behind unless committed.
#include "src/core/env.h"

#include <filesystem>

#include "src/core/status_matchers.h"

namespace staycast {
namespace {

using ::staycast::testing::StatusIs;

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("staycast_env_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(EnvTest, UncommittedFileLeavesNothing) {
  Env* env = Env::Default();
  const std::string path = (dir_ / "out.csv").string();
  {
    ASSERT_OK_AND_ASSIGN(auto file, env->NewAtomicFile(path));
    ASSERT_OK(file->Append("partial"));
  }
  EXPECT_FALSE(env->FileExists(path));
  ASSERT_OK_AND_ASSIGN(auto names, env->ListDirectory(dir_.string()));
  EXPECT_TRUE(names.empty());
}

TEST_F(EnvTest, CommitReplacesAtomically) {
  Env* env = Env::Default();
  const std::string path = (dir_ / "out.txt").string();
  ASSERT_OK(WriteFileAtomic(env, path, "one"));
  ASSERT_OK(WriteFileAtomic(env, path, "two"));
  ASSERT_OK_AND_ASSIGN(std::string text, env->ReadFile(path));
  EXPECT_EQ(text, "two");
  ASSERT_OK_AND_ASSIGN(uint64_t size, env->FileSize(path));
  EXPECT_EQ(size, 3u);
}

TEST_F(EnvTest, MissingFileAndDirectoryAreErrors) {
  Env* env = Env::Default();
  EXPECT_THAT(env->ReadFile((dir_ / "nope").string()),
              StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("nope")));
  EXPECT_THAT(env->NewAtomicFile((dir_ / "no_dir" / "x").string()),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("cannot create")));
}

}  // namespace
}  // namespace staycast
