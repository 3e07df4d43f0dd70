// Test support for the registry: per-test databases on SQLite or PostgreSQL, and test bundles.
#include "src/registry/registry_testing.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "src/bundle/bundle_files.h"

#ifdef STAYCAST_HAVE_POSTGRES_TEST_SERVER
#include "tests/support/postgres_server.h"
#endif

namespace staycast::registry::testing {

std::string BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

StatusOr<std::unique_ptr<TestRegistry>> TestRegistry::Create(Backend backend) {
  static std::atomic<int> counter{0};
  const int n = counter++;
  std::unique_ptr<TestRegistry> t(new TestRegistry());  // NOLINT: private constructor
  std::string pattern =
      (std::filesystem::temp_directory_path() / "staycast_registry_XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return UnavailableError("mkdtemp failed");
  t->dir_ = pattern;
  if (backend == Backend::kSqlite) {
    t->uri_ = "sqlite:" + t->dir_ + "/staycast.db";
    return t;
  }
#ifdef STAYCAST_HAVE_POSTGRES_TEST_SERVER
  ASSIGN_OR_RETURN(::staycast::testing::PostgresServer * server,
                   ::staycast::testing::SharedPostgresServer());
  const std::string db = "registry_" + std::to_string(::getpid()) + "_" + std::to_string(n);
  RETURN_IF_ERROR(server->CreateDatabase(db));
  t->uri_ = server->database_uri(db);
  return t;
#else
  (void)n;
  return FailedPreconditionError("this test binary was built without the PostgreSQL test server");
#endif
}

TestRegistry::~TestRegistry() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

StatusOr<std::unique_ptr<Registry>> TestRegistry::Open() const {
  RegistryOptions options;
  options.artifact_root = artifact_root();
  return Registry::Open(uri_, options);
}

Status WriteTestBundle(const std::string& dir, const TestBundleSpec& spec) {
  ASSIGN_OR_RETURN(std::unique_ptr<bundle::BundleWriter> writer,
                   bundle::BundleWriter::Create(dir, /*overwrite=*/true));
  RETURN_IF_ERROR(writer->AddJson("model.json", {{"weights", spec.payload}}));
  RETURN_IF_ERROR(writer->AddFile("notes.txt", "a test bundle\n"));
  nlohmann::json metadata = {
      {"task", "regression"},
      {"primary_metric", {{"name", spec.metric}, {"greater_is_better", spec.greater_is_better}}}};
  metadata["metrics"]["test"] = nlohmann::json::object();
  if (spec.test_value) metadata["metrics"]["test"][spec.metric] = *spec.test_value;
  if (spec.baseline) metadata["baseline_metrics"]["test"][spec.metric] = *spec.baseline;
  return writer->Finish(metadata);
}

}  // namespace staycast::registry::testing
