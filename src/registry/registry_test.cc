// Registry behaviour (runs, versions, aliases, gate, rollback, URIs), run against every store.
#include "src/registry/registry.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "src/bundle/bundle_files.h"
#include "src/core/status_matchers.h"
#include "src/registry/registry_testing.h"

namespace staycast::registry {
namespace {

using ::staycast::testing::StatusIs;
using testing::Backend;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestBundleSpec;
using testing::TestRegistry;

RegisterOptions ByUser(const std::string& user) {
  RegisterOptions options;
  options.user = user;
  return options;
}

RegisterOptions FromRun(int64_t run_id) {
  RegisterOptions options;
  options.run_id = run_id;
  return options;
}

RunSpec Named(const std::string& name) {
  RunSpec spec;
  spec.name = name;
  return spec;
}

PromoteOptions Forced(const std::string& reason, const std::string& user = "") {
  PromoteOptions options;
  options.force = true;
  options.reason = reason;
  options.user = user;
  return options;
}

PromoteOptions Because(const std::string& reason) {
  PromoteOptions options;
  options.reason = reason;
  return options;
}

class RegistryTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(env_, TestRegistry::Create(GetParam()));
    ASSERT_OK_AND_ASSIGN(reg_, env_->Open());
  }

  std::string Bundle(const std::string& name, const TestBundleSpec& spec = {}) {
    const std::string path = env_->dir() + "/" + name;
    EXPECT_OK(testing::WriteTestBundle(path, spec));
    return path;
  }

  TestBundleSpec Mae(double value, std::optional<double> baseline = std::nullopt) {
    TestBundleSpec spec;
    spec.test_value = value;
    spec.baseline = baseline;
    spec.payload = "mae " + std::to_string(value);
    return spec;
  }

  std::unique_ptr<TestRegistry> env_;
  std::unique_ptr<Registry> reg_;
};

TEST_P(RegistryTest, RunRecordsEverythingAndFinishes) {
  RunSpec spec;
  spec.name = "los";
  spec.config = {{"target", "length_of_stay"}};
  spec.params = {{"max_depth", 6}};
  spec.data_fingerprint = "abc123";
  spec.seed = 42;
  spec.tags = {{"purpose", "test"}};
  spec.user = "alice";
  ASSERT_OK_AND_ASSIGN(const int64_t id, reg_->CreateRun(spec));
  ASSERT_OK_AND_ASSIGN(registry::Run run, reg_->GetRun(id));
  EXPECT_EQ(run.status, RunStatus::kRunning);
  EXPECT_EQ(run.config["target"], "length_of_stay");
  EXPECT_EQ(run.params["max_depth"], 6);
  EXPECT_EQ(run.seed, 42);
  EXPECT_EQ(run.tags["purpose"], "test");
  EXPECT_EQ(run.user, "alice");
  EXPECT_EQ(run.pid, ::getpid());
  EXPECT_FALSE(run.host.empty());

  ASSERT_OK(reg_->LogMetrics(id, "gbdt", "test", {{"mae", 2.5}, {"rmse", 3.25}}));
  ASSERT_OK(reg_->LogMetric(id, "gbdt", "test", "mae", 2.4));  // overwrites
  ASSERT_OK(reg_->LogMetric(id, "ridge", "validation", "mae", 0.1 + 0.2));
  ASSERT_OK(reg_->FinishRun(id, RunStatus::kFinished, "/tmp/los.bundle"));
  ASSERT_OK_AND_ASSIGN(run, reg_->GetRun(id));
  EXPECT_EQ(run.status, RunStatus::kFinished);
  EXPECT_TRUE(run.end_time.has_value());
  EXPECT_EQ(run.bundle_path, "/tmp/los.bundle");
  ASSERT_EQ(run.metrics.size(), 3u);
  EXPECT_EQ(run.metrics[0].name, "mae");
  EXPECT_EQ(run.metrics[0].value, 2.4);
  EXPECT_EQ(run.metrics[2].value, 0.1 + 0.2);  // exact round trip

  EXPECT_THAT(reg_->FinishRun(id, RunStatus::kFailed, ""),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("already finished")));
  EXPECT_THAT(reg_->LogMetric(id + 100, "gbdt", "test", "mae", 1),
              StatusIs(StatusCode::kNotFound, HasSubstr("does not exist")));
}

TEST_P(RegistryTest, RunOfADeadProcessIsMarkedFailed) {
  ASSERT_OK_AND_ASSIGN(const int64_t alive, reg_->CreateRun({}));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A trainer that dies without finishing its run.
    StatusOr<std::unique_ptr<Registry>> reg = env_->Open();
    if (!reg.ok() || !(*reg)->CreateRun(Named("doomed")).ok()) ::_exit(1);
    ::_exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);

  ASSERT_OK_AND_ASSIGN(std::vector<registry::Run> runs, reg_->ListRuns());
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].name, "doomed");  // newest first
  EXPECT_EQ(runs[0].status, RunStatus::kFailed);
  EXPECT_THAT(runs[0].error, HasSubstr("interrupted"));
  EXPECT_EQ(runs[1].id, alive);
  EXPECT_EQ(runs[1].status, RunStatus::kRunning);
  ASSERT_OK_AND_ASSIGN(const int marked_again, reg_->MarkStaleRuns());
  EXPECT_EQ(marked_again, 0);
}

TEST_P(RegistryTest, RegistersImmutableNumberedVersionsInTheArtifactStore) {
  const std::string source = Bundle("a.bundle", Mae(3.0));
  ASSERT_OK_AND_ASSIGN(ModelVersion v1, reg_->RegisterVersion("los", source, ByUser("bob")));
  ASSERT_OK_AND_ASSIGN(ModelVersion v2,
                       reg_->RegisterVersion("los", Bundle("b.bundle", Mae(2.0)), {}));
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v1.created_by, "bob");
  EXPECT_EQ(v1.artifact_path.rfind(env_->artifact_root() + "/los/", 0), 0u) << v1.artifact_path;
  EXPECT_NE(v1.artifact_path, v2.artifact_path);

  // The registered copy does not depend on the source any more.
  std::filesystem::remove_all(source);
  EXPECT_OK(reg_->VerifyVersion("los", 1));
  ASSERT_OK_AND_ASSIGN(ModelVersion got, reg_->GetVersion("los", 1));
  EXPECT_EQ(got.artifact_path, v1.artifact_path);
  EXPECT_EQ(got.metadata["metrics"]["test"]["mae"], 3.0);
  EXPECT_EQ(got.manifest_sha256.size(), 64u);

  ASSERT_OK_AND_ASSIGN(RegisteredModel model, reg_->GetModel("los"));
  EXPECT_EQ(model.latest_version, 2);
  EXPECT_EQ(model.num_versions, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<RegisteredModel> models, reg_->ListModels());
  ASSERT_EQ(models.size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<ModelVersion> versions, reg_->ListVersions("los"));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1].version, 2);
  EXPECT_THAT(reg_->GetVersion("los", 3),
              StatusIs(StatusCode::kNotFound, HasSubstr("has no version 3")));
  EXPECT_THAT(reg_->GetModel("nope"), StatusIs(StatusCode::kNotFound, HasSubstr("'nope'")));
}

TEST_P(RegistryTest, RefusesACorruptSourceBundleAndLeavesNothingBehind) {
  const std::string source = Bundle("bad.bundle");
  {
    std::ofstream out(source + "/model.json", std::ios::app);
    out << "tampered";
  }
  EXPECT_THAT(reg_->RegisterVersion("los", source, {}),
              StatusIs(StatusCode::kDataLoss, HasSubstr("model.json")));
  EXPECT_THAT(reg_->GetModel("los"), StatusIs(StatusCode::kNotFound, HasSubstr("los")));
  EXPECT_THAT(reg_->RegisterVersion("los", env_->dir() + "/missing", {}),
              StatusIs(StatusCode::kNotFound, HasSubstr("no such bundle")));
  EXPECT_THAT(reg_->RegisterVersion("bad name!", Bundle("ok.bundle"), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("model name 'bad name!'")));
  ASSERT_OK_AND_ASSIGN(ConsistencyReport report, reg_->CheckConsistency());
  EXPECT_TRUE(report.problems.empty());
  EXPECT_TRUE(report.unreferenced_dirs.empty());
}

TEST_P(RegistryTest, RegistersATarBundleWithRunLineage) {
  const std::string dir = Bundle("c.bundle", Mae(1.5));
  const std::string tar = env_->dir() + "/c.tar";
  ASSERT_OK(bundle::PackBundle(dir, tar));
  ASSERT_OK_AND_ASSIGN(const int64_t run, reg_->CreateRun({}));
  ASSERT_OK_AND_ASSIGN(ModelVersion v, reg_->RegisterVersion("los", tar, FromRun(run)));
  EXPECT_EQ(v.run_id, run);
  EXPECT_EQ(v.source_path, tar);
  EXPECT_OK(reg_->VerifyVersion("los", 1));
  EXPECT_THAT(reg_->RegisterVersion("los", tar, FromRun(run + 99)),
              StatusIs(StatusCode::kNotFound, HasSubstr("does not exist")));
}

TEST_P(RegistryTest, AliasMovesAreAppendedToTheHistory) {
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}).status());
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(2.0)), {}).status());
  ASSERT_OK(reg_->SetAlias("los", "challenger", 1, "carol", "first try").status());
  ASSERT_OK_AND_ASSIGN(AliasMove move, reg_->SetAlias("los", "challenger", 2, "", "better"));
  EXPECT_EQ(move.from_version, 1);
  EXPECT_EQ(move.to_version, 2);
  EXPECT_EQ(move.user, CurrentUser());
  ASSERT_OK_AND_ASSIGN(const int now, reg_->GetAlias("los", "challenger"));
  EXPECT_EQ(now, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<AliasMove> history, reg_->AliasHistory("los", "challenger"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_FALSE(history[0].from_version.has_value());
  EXPECT_EQ(history[0].user, "carol");
  EXPECT_EQ(history[0].reason, "first try");
  EXPECT_EQ(history[1].action, "set");
  EXPECT_THAT(reg_->GetAlias("los", "champion"),
              StatusIs(StatusCode::kNotFound, HasSubstr("no alias 'champion'")));
  EXPECT_THAT(reg_->SetAlias("los", "champion", 7, "", ""),
              StatusIs(StatusCode::kNotFound, HasSubstr("no version 7")));
  EXPECT_THAT(reg_->SetAlias("los", "42", 1, "", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not all digits")));
}

TEST_P(RegistryTest, PromotionGateRefusesAWorseCandidateWithTheNumbers) {
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}).status());
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(3.5)), {}).status());
  ASSERT_OK(reg_->Promote("los", 1, "champion", {}).status());
  EXPECT_THAT(reg_->Promote("los", 2, "champion", {}),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("test mae 3.5 is worse than champion (version 1) 3 (lower is "
                                 "better)")));
  ASSERT_OK_AND_ASSIGN(const int champion, reg_->GetAlias("los", "champion"));
  EXPECT_EQ(champion, 1);
  EXPECT_THAT(reg_->Promote("los", 2, "champion", Forced("")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--reason")));
  EXPECT_THAT(reg_->Promote("los", 1, "champion", {}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("already points at")));

  // Forced, with a reason: it moves and the override is recorded.
  ASSERT_OK_AND_ASSIGN(PromoteResult forced,
                       reg_->Promote("los", 2, "champion", Forced("new data", "dana")));
  EXPECT_FALSE(forced.gate.passed);
  EXPECT_TRUE(forced.gate.forced);
  ASSERT_OK_AND_ASSIGN(std::vector<AliasMove> history, reg_->AliasHistory("los", "champion"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].reason, "new data");
  EXPECT_EQ(history[1].user, "dana");
  EXPECT_EQ(history[1].details["forced"], true);
  EXPECT_EQ(history[1].details["candidate"], 3.5);
  EXPECT_EQ(history[1].details["current"], 3.0);
}

TEST_P(RegistryTest, PromotionGateChecksTheBaselineAndTheDirection) {
  TestBundleSpec auroc;
  auroc.metric = "auroc";
  auroc.greater_is_better = true;
  auroc.test_value = 0.70;
  auroc.baseline = 0.75;
  ASSERT_OK(reg_->RegisterVersion("readmit", Bundle("a", auroc), {}).status());
  EXPECT_THAT(reg_->Promote("readmit", 1, "champion", {}),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("test auroc 0.7 is worse than its baseline 0.75 (higher is "
                                 "better)")));
  auroc.test_value = 0.80;
  auroc.payload = "v2";
  ASSERT_OK(reg_->RegisterVersion("readmit", Bundle("b", auroc), {}).status());
  ASSERT_OK(reg_->Promote("readmit", 2, "champion", {}).status());
  auroc.test_value = 0.85;
  auroc.payload = "v3";
  ASSERT_OK(reg_->RegisterVersion("readmit", Bundle("c", auroc), {}).status());
  ASSERT_OK_AND_ASSIGN(PromoteResult result, reg_->Promote("readmit", 3, "champion", {}));
  EXPECT_TRUE(result.gate.passed);
  EXPECT_EQ(result.gate.current_version, 2);
  EXPECT_EQ(result.move.from_version, 2);

  TestBundleSpec none;
  none.test_value = std::nullopt;
  ASSERT_OK(reg_->RegisterVersion("readmit", Bundle("d", none), {}).status());
  EXPECT_THAT(reg_->Promote("readmit", 4, "champion", {}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is measured on auroc")));
}

TEST_P(RegistryTest, PromotionGateUsesPrecomputedNumbersWhenGiven) {
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}).status());
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(3.5)), {}).status());
  ASSERT_OK(reg_->Promote("los", 1, "champion", {}).status());
  // Scored on the same fresh data, version 2 is better: the gate uses those numbers.
  PromoteOptions options;
  options.candidate_value = 2.0;
  options.current_value = 2.5;
  options.source = "recent.csv";
  ASSERT_OK_AND_ASSIGN(PromoteResult result, reg_->Promote("los", 2, "champion", options));
  EXPECT_EQ(result.gate.source, "recent.csv");
  ASSERT_OK_AND_ASSIGN(std::vector<AliasMove> history, reg_->AliasHistory("los"));
  EXPECT_EQ(history.back().details["source"], "recent.csv");
}

TEST_P(RegistryTest, FullLifecycleRegisterPromoteRollback) {
  ASSERT_OK_AND_ASSIGN(const int64_t run1, reg_->CreateRun(Named("los")));
  ASSERT_OK(reg_->FinishRun(run1, RunStatus::kFinished, "a"));
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), FromRun(run1)).status());
  ASSERT_OK(reg_->Promote("los", 1, "champion", Because("first model")).status());
  ASSERT_OK_AND_ASSIGN(const int64_t run2, reg_->CreateRun(Named("los")));
  ASSERT_OK(reg_->FinishRun(run2, RunStatus::kFinished, "b"));
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(2.0)), FromRun(run2)).status());
  ASSERT_OK(reg_->Promote("los", 2, "champion", {}).status());
  ASSERT_OK_AND_ASSIGN(ResolvedModel before, reg_->Resolve("models:/los@champion"));
  EXPECT_EQ(before.version, 2);
  ASSERT_OK_AND_ASSIGN(AliasMove back, reg_->Rollback("los", "champion", "erin", "alerts"));
  EXPECT_EQ(back.from_version, 2);
  EXPECT_EQ(back.to_version, 1);
  ASSERT_OK_AND_ASSIGN(ResolvedModel after, reg_->Resolve("models:/los@champion"));
  EXPECT_EQ(after.version, 1);
  ASSERT_OK_AND_ASSIGN(ModelVersion v1, reg_->GetVersion("los", 1));
  EXPECT_EQ(after.artifact_path, v1.artifact_path);
  EXPECT_EQ(v1.run_id, run1);

  ASSERT_OK_AND_ASSIGN(std::vector<AliasMove> history, reg_->AliasHistory("los", "champion"));
  std::vector<std::string> moves;
  for (const AliasMove& m : history) {
    moves.push_back(m.action + ":" + (m.from_version ? std::to_string(*m.from_version) : "-") +
                    ">" + std::to_string(*m.to_version));
  }
  EXPECT_THAT(moves, ElementsAre("promote:->1", "promote:1>2", "rollback:2>1"));
  EXPECT_EQ(history[2].user, "erin");
  EXPECT_EQ(history[2].details["undoes_move"], history[1].id);
}

TEST_P(RegistryTest, RollbackNeedsAnEarlierVersionAndASecondOneUndoesTheFirst) {
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}).status());
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(2.0)), {}).status());
  EXPECT_THAT(reg_->Rollback("los", "champion", "", ""),
              StatusIs(StatusCode::kNotFound, HasSubstr("no alias 'champion'")));
  ASSERT_OK(reg_->Promote("los", 1, "champion", {}).status());
  EXPECT_THAT(reg_->Rollback("los", "champion", "", ""),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no earlier version")));
  ASSERT_OK(reg_->Promote("los", 2, "champion", {}).status());
  ASSERT_OK(reg_->Rollback("los", "champion", "", "").status());
  ASSERT_OK(reg_->Rollback("los", "champion", "", "").status());
  ASSERT_OK_AND_ASSIGN(const int champion, reg_->GetAlias("los", "champion"));
  EXPECT_EQ(champion, 2);
}

TEST_P(RegistryTest, ResolvesModelUris) {
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}).status());
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(2.0)), {}).status());
  ASSERT_OK_AND_ASSIGN(ResolvedModel one, reg_->Resolve("models:/los/1"));
  EXPECT_EQ(one.version, 1);
  ASSERT_OK_AND_ASSIGN(ResolvedModel latest, reg_->Resolve("models:/los/latest"));
  EXPECT_EQ(latest.version, 2);
  ASSERT_OK(reg_->SetArchived("los", 2, true));
  ASSERT_OK_AND_ASSIGN(latest, reg_->Resolve("models:/los/latest"));
  EXPECT_EQ(latest.version, 1);
  EXPECT_THAT(reg_->Resolve("models:/los/9"),
              StatusIs(StatusCode::kNotFound, HasSubstr("no version 9")));
  EXPECT_THAT(reg_->Resolve("models:/los@champion"),
              StatusIs(StatusCode::kNotFound, HasSubstr("no alias 'champion'")));
  for (const char* bad : {"models:/los", "models:/los/0", "models:/los/x", "models:/@a",
                          "model:/los/1", "models:/los@"}) {
    EXPECT_THAT(reg_->Resolve(bad), StatusIs(StatusCode::kInvalidArgument, HasSubstr("model URI")))
        << bad;
  }
  ASSERT_OK_AND_ASSIGN(const std::string plain, ResolveBundleLocation("some/dir", env_->uri()));
  EXPECT_EQ(plain, "some/dir");
}

TEST_P(RegistryTest, CorruptedArtifactIsReportedWithModelAndVersion) {
  ASSERT_OK_AND_ASSIGN(ModelVersion v, reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}));
  ASSERT_OK(reg_->SetAlias("los", "champion", 1, "", "").status());
  {
    std::fstream f(v.artifact_path + "/model.json", std::ios::in | std::ios::out);
    f.seekp(2);
    f << 'X';  // flip one byte, same size
  }
  EXPECT_THAT(
      reg_->Resolve("models:/los@champion"),
      StatusIs(StatusCode::kDataLoss, HasSubstr("model 'los' version 1: artifact is corrupt")));
  ASSERT_OK_AND_ASSIGN(ConsistencyReport report, reg_->CheckConsistency());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_THAT(report.problems[0], HasSubstr("does not match its checksum"));

  // A whole, self-consistent bundle swapped in is caught by the registered manifest checksum.
  ASSERT_OK(testing::WriteTestBundle(v.artifact_path, Mae(1.0)));
  EXPECT_THAT(reg_->VerifyVersion("los", 1),
              StatusIs(StatusCode::kDataLoss, HasSubstr("registered checksum")));
  std::filesystem::remove_all(v.artifact_path);
  EXPECT_THAT(reg_->VerifyVersion("los", 1),
              StatusIs(StatusCode::kDataLoss, HasSubstr("is missing")));
}

TEST_P(RegistryTest, ArchiveAndTags) {
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("a", Mae(3.0)), {}).status());
  ASSERT_OK(reg_->RegisterVersion("los", Bundle("b", Mae(2.0)), {}).status());
  ASSERT_OK(reg_->Promote("los", 1, "champion", {}).status());
  EXPECT_THAT(reg_->SetArchived("los", 1, true),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("alias 'champion'")));
  ASSERT_OK(reg_->SetArchived("los", 2, true));
  EXPECT_THAT(reg_->Promote("los", 2, "champion", {}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("archived")));
  ASSERT_OK(reg_->SetArchived("los", 2, false));
  ASSERT_OK(reg_->SetTag("los", 2, "reviewed_by", "frank"));
  ASSERT_OK(reg_->SetTag("los", 2, "ticket", "T-1"));
  ASSERT_OK(reg_->SetTag("los", 2, "ticket", ""));
  ASSERT_OK_AND_ASSIGN(ModelVersion v2, reg_->GetVersion("los", 2));
  EXPECT_FALSE(v2.archived);
  EXPECT_EQ(v2.tags.size(), 1u);
  EXPECT_EQ(v2.tags["reviewed_by"], "frank");
  EXPECT_THAT(reg_->SetTag("los", 5, "k", "v"), StatusIs(StatusCode::kNotFound, HasSubstr("5")));
}

INSTANTIATE_TEST_SUITE_P(Stores, RegistryTest, ::testing::ValuesIn(testing::BackendsUnderTest()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace staycast::registry
