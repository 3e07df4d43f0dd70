// Test support for the registry: a fresh registry per test on SQLite or PostgreSQL (the shared
// throw-away server), and small bundles with chosen metrics. Test-only.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/registry/registry.h"

namespace staycast::registry::testing {

enum class Backend { kSqlite, kPostgres };
std::string BackendName(Backend backend);
// For GoogleTest's test names and messages.
inline void PrintTo(Backend backend, std::ostream* os) { *os << BackendName(backend); }
// The backends this test binary runs: the PostgreSQL binaries (one process, sharing one
// throw-away server) are compiled with STAYCAST_REGISTRY_TEST_POSTGRES, the others use SQLite.
inline std::vector<Backend> BackendsUnderTest() {
#ifdef STAYCAST_REGISTRY_TEST_POSTGRES
  return {Backend::kPostgres};
#else
  return {Backend::kSqlite};
#endif
}

// A temporary directory and an empty registry database on one backend; removed on destruction.
class TestRegistry {
 public:
  static StatusOr<std::unique_ptr<TestRegistry>> Create(Backend backend);
  ~TestRegistry();
  TestRegistry(const TestRegistry&) = delete;
  TestRegistry& operator=(const TestRegistry&) = delete;

  const std::string& uri() const { return uri_; }
  const std::string& dir() const { return dir_; }
  std::string artifact_root() const { return dir_ + "/artifacts"; }
  // A new connection (each process or test part opens its own).
  StatusOr<std::unique_ptr<Registry>> Open() const;

 private:
  TestRegistry() = default;
  std::string dir_;
  std::string uri_;
};

struct TestBundleSpec {
  std::string metric = "mae";
  bool greater_is_better = false;
  std::optional<double> test_value = 3.0;
  std::optional<double> baseline;
  std::string payload = "model weights";  // makes bundles differ
};

// Writes a small bundle directory at `dir` (model.json + manifest with the metadata convention).
Status WriteTestBundle(const std::string& dir, const TestBundleSpec& spec);

}  // namespace staycast::registry::testing
