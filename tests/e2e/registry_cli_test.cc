// End-to-end: the worked example of docs/registry.md through the staycast binary — register two
// versions, promote, a refused promotion, a forced one, rollback, history, runs. On SQLite, and on
// PostgreSQL in the binary built with STAYCAST_REGISTRY_TEST_POSTGRES.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "src/registry/registry.h"
#include "src/registry/registry_testing.h"
#include "tests/e2e/cli_runner.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;

class RegistryCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = registry::testing::BackendsUnderTest().at(0);
    auto store = registry::testing::TestRegistry::Create(backend_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    registry_ = store_->uri();
    registry::testing::TestBundleSpec spec;
    spec.test_value = 3.1;
    spec.baseline = 4.0;
    spec.payload = "v1";
    ASSERT_TRUE(registry::testing::WriteTestBundle(dir_.File("los_v1.bundle"), spec).ok());
    spec.test_value = 2.8;
    spec.payload = "v2";
    ASSERT_TRUE(registry::testing::WriteTestBundle(dir_.File("los_v2.bundle"), spec).ok());
    spec.test_value = 3.5;
    spec.payload = "v3";
    ASSERT_TRUE(registry::testing::WriteTestBundle(dir_.File("los_v3.bundle"), spec).ok());
  }

  CommandResult Models(std::vector<std::string> args) {
    args.insert(args.begin(), "models");
    args.push_back("--registry=" + registry_);
    return RunStaycast(args, dir_.path());
  }

  TempDir dir_;
  registry::testing::Backend backend_ = registry::testing::Backend::kSqlite;
  std::unique_ptr<registry::testing::TestRegistry> store_;
  std::string registry_;
};

TEST_F(RegistryCliTest, WorkedExample) {
  CommandResult r = Models({"register", "los", "los_v1.bundle", "--description", "first"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Registered los version 1 (test mae 3.1)"));
  r = Models({"promote", "los", "1", "--alias", "champion", "--user", "ana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Promoted los version 1 to 'champion' (was unset)"));
  ASSERT_EQ(Models({"register", "los", "los_v2.bundle"}).exit_code, 0);
  r = Models({"promote", "los", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("test mae 2.8 vs 3.1 (version 1)"));

  // A worse candidate is refused with the numbers, exit code 4, and nothing moves.
  ASSERT_EQ(Models({"register", "los", "los_v3.bundle"}).exit_code, 0);
  r = Models({"promote", "los", "3"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("test mae 3.5 is worse than champion (version 2) 2.8"));
  r = Models({"promote", "los", "3", "--force"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--reason"));

  r = Models({"rollback", "los", "--reason", "alerts after deploy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("version 2 -> 1"));

  r = Models({"history", "los", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json history = nlohmann::json::parse(r.out);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0]["user"], "ana");
  EXPECT_EQ(history[1]["from_version"], 1);
  EXPECT_EQ(history[2]["action"], "rollback");
  EXPECT_EQ(history[2]["reason"], "alerts after deploy");
  r = Models({"history", "los"});
  EXPECT_THAT(r.out, HasSubstr("rollback"));

  r = Models({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("champion=v1"));
  r = Models({"list", "--json"});
  const nlohmann::json models = nlohmann::json::parse(r.out);
  EXPECT_EQ(models[0]["aliases"]["champion"], 1);
  EXPECT_EQ(models[0]["num_versions"], 3);

  ASSERT_EQ(Models({"tag", "los", "3", "reviewed=no"}).exit_code, 0);
  ASSERT_EQ(Models({"archive", "los", "3"}).exit_code, 0);
  r = Models({"versions", "los"});
  EXPECT_THAT(r.out, HasSubstr("archived"));
  r = Models({"show", "los", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["aliases"][0], "champion");
}

TEST_F(RegistryCliTest, ErrorsAreOneLineWithExitCodes) {
  CommandResult r;
  if (backend_ == registry::testing::Backend::kSqlite) {
    r = Models({"list"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_THAT(r.err, HasSubstr("no such database"));
  }
  ASSERT_EQ(Models({"register", "los", "los_v1.bundle"}).exit_code, 0);
  r = Models({"show", "los", "9"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("has no version 9"));
  r = Models({"register", "los", "missing.bundle"});
  EXPECT_EQ(r.exit_code, 3);
  r = Models({"tag", "los", "1", "novalue"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("KEY=VALUE"));
  r = RunStaycast({"runs", "show", "5", "--registry=" + registry_});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("run 5 does not exist"));
}

TEST_F(RegistryCliTest, RunsListShowCompare) {
  int64_t ids[2];
  {
    registry::RegistryOptions options;
    auto reg = registry::Registry::Open(registry_, options);
    ASSERT_TRUE(reg.ok()) << reg.status().ToString();
    for (int i = 0; i < 2; ++i) {
      registry::RunSpec spec;
      spec.name = "los";
      spec.seed = 7 + i;
      spec.params = {{"max_depth", 4 + i}};
      auto id = (*reg)->CreateRun(spec);
      ASSERT_TRUE(id.ok());
      ids[i] = *id;
      ASSERT_TRUE((*reg)->LogMetric(*id, "gbdt", "test", "mae", 3.0 - i).ok());
      ASSERT_TRUE((*reg)->FinishRun(*id, registry::RunStatus::kFinished, "b").ok());
    }
  }
  CommandResult r = RunStaycast({"runs", "list", "--registry=" + registry_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("finished"));
  r = RunStaycast({"runs", "show", std::to_string(ids[0]), "--json", "--registry=" + registry_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["metrics"][0]["value"], 3.0);
  r = RunStaycast({"runs", "compare", std::to_string(ids[0]), std::to_string(ids[1]),
                   "--registry=" + registry_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("params.max_depth"));
  EXPECT_THAT(r.out, HasSubstr("mae"));
}

}  // namespace
}  // namespace staycast::e2e
