// Registry faults: kill -9 at random points of registration leaves a consistent store; processes
// registering the same model at once all succeed with distinct numbers. Every store.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "src/core/status_matchers.h"
#include "src/registry/registry.h"
#include "src/registry/registry_testing.h"

namespace staycast::registry {
namespace {

using testing::Backend;
using testing::TestRegistry;

class RegistryFaultTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(env_, TestRegistry::Create(GetParam()));
    { ASSERT_OK(env_->Open().status()); }  // create the schema before any child runs
    bundle_ = env_->dir() + "/source.bundle";
    ASSERT_OK(testing::WriteTestBundle(bundle_, {}));
  }

  // Checks that every version verifies and that numbers run 1..N; returns N. *leftovers counts
  // artifact directories of interrupted registrations (unreferenced, harmless).
  int ExpectConsistent(size_t* leftovers = nullptr) {
    StatusOr<std::unique_ptr<Registry>> reg = env_->Open();
    EXPECT_OK(reg);
    if (!reg.ok()) return -1;
    StatusOr<ConsistencyReport> report = (*reg)->CheckConsistency();
    EXPECT_OK(report);
    if (!report.ok()) return -1;
    for (const std::string& problem : report->problems) ADD_FAILURE() << problem;
    if (leftovers != nullptr) *leftovers = report->unreferenced_dirs.size();
    StatusOr<std::vector<ModelVersion>> versions = (*reg)->ListVersions("m");
    if (!versions.ok()) return 0;  // no registration got through
    for (size_t i = 0; i < versions->size(); ++i) {
      EXPECT_EQ((*versions)[i].version, static_cast<int>(i) + 1);
    }
    return static_cast<int>(versions->size());
  }

  std::unique_ptr<TestRegistry> env_;
  std::string bundle_;
};

TEST_P(RegistryFaultTest, KillDuringRegistrationLeavesTheStoreConsistent) {
  constexpr int kIterations = 20;
  constexpr int kMaxDelayMicros = 120000;
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<int> delay(0, kMaxDelayMicros);
  for (int i = 0; i < kIterations; ++i) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      StatusOr<std::unique_ptr<Registry>> reg = env_->Open();
      if (!reg.ok()) ::_exit(1);
      while ((*reg)->RegisterVersion("m", bundle_, {}).ok()) {
      }
      ::_exit(2);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
    ::kill(child, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child stopped by itself: status " << wstatus;
  }
  size_t leftovers = 0;
  const int registered = ExpectConsistent(&leftovers);
  std::printf("%d versions registered and %zu interrupted registrations across %d kills\n",
              registered, leftovers, kIterations);
  // The registry still works, and numbering continues.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Registry> reg, env_->Open());
  ASSERT_OK_AND_ASSIGN(ModelVersion next, reg->RegisterVersion("m", bundle_, {}));
  EXPECT_EQ(next.version, registered + 1);
  if (GetParam() == Backend::kSqlite) {
    ASSERT_OK_AND_ASSIGN(std::vector<SqlRow> rows, reg->store()->Query("PRAGMA integrity_check"));
    EXPECT_EQ(CellText(rows.at(0), 0), "ok");
  }
}

TEST_P(RegistryFaultTest, ConcurrentRegistrationsGetDistinctNumbers) {
  constexpr int kProcesses = 3;
  constexpr int kEach = 4;
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(go[1]);
      StatusOr<std::unique_ptr<Registry>> reg = env_->Open();
      char byte = 0;
      if (!reg.ok() || ::read(go[0], &byte, 1) < 0) ::_exit(1);  // wait for the start signal
      for (int i = 0; i < kEach; ++i) {
        StatusOr<ModelVersion> v = (*reg)->RegisterVersion("m", bundle_, {});
        if (!v.ok()) {
          std::fprintf(stderr, "child %d: %s\n", p, v.status().ToString().c_str());
          ::_exit(3);
        }
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  ::close(go[0]);
  ::close(go[1]);  // EOF releases every child at once
  for (pid_t child : children) {
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << "status " << wstatus;
  }
  EXPECT_EQ(ExpectConsistent(), kProcesses * kEach);
}

INSTANTIATE_TEST_SUITE_P(Stores, RegistryFaultTest,
                         ::testing::ValuesIn(testing::BackendsUnderTest()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace staycast::registry
