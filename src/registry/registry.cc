// Registry: opening (store, schema migration, artifact root), names, users and shared helpers.
#include "src/registry/registry.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "src/registry/registry_internal.h"
#include "src/registry/schema.h"

namespace staycast::registry {
namespace {

std::string DefaultArtifactRoot(const Store& store) {
  if (const char* dir = std::getenv("STAYCAST_ARTIFACTS"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (!store.file_path().empty()) return store.file_path() + ".artifacts";
  if (const char* home = std::getenv("STAYCAST_HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/artifacts";
  }
  return "./staycast.artifacts";
}

}  // namespace

const char* RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return "running";
    case RunStatus::kFinished: return "finished";
    case RunStatus::kFailed: return "failed";
  }
  return "unknown";
}

StatusOr<RunStatus> ParseRunStatus(const std::string& text) {
  if (text == "running") return RunStatus::kRunning;
  if (text == "finished") return RunStatus::kFinished;
  if (text == "failed") return RunStatus::kFailed;
  return InvalidArgumentError("run status '" + text + "': expected running, finished or failed");
}

std::string CurrentUser() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "unknown";
}

Status ValidateModelName(const std::string& name) {
  constexpr size_t kMaxName = 100;
  bool ok = !name.empty() && name.size() <= kMaxName && name[0] != '.';
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
      ok = false;
    }
  }
  if (!ok) {
    return InvalidArgumentError("model name '" + name +
                                "': expected 1 to 100 letters, digits, '_', '-' or '.', not "
                                "starting with '.'");
  }
  return OkStatus();
}

Status ValidateAliasName(const std::string& alias) {
  constexpr size_t kMaxAlias = 64;
  bool ok = !alias.empty() && alias.size() <= kMaxAlias;
  bool all_digits = true;
  for (char c : alias) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
      ok = false;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) all_digits = false;
  }
  if (!ok || all_digits) {
    return InvalidArgumentError("alias '" + alias +
                                "': expected 1 to 64 lowercase letters, digits, '_' or '-', not "
                                "all digits (e.g. champion)");
  }
  return OkStatus();
}

Registry::Registry(std::unique_ptr<Store> store, std::string artifact_root, RegistryOptions options)
    : store_(std::move(store)),
      artifact_root_(std::move(artifact_root)),
      options_(std::move(options)) {}

Registry::~Registry() = default;

StatusOr<std::unique_ptr<Registry>> Registry::Open(const std::string& uri,
                                                   const RegistryOptions& options) {
  StoreOptions store_options;
  store_options.create_if_missing = options.create_if_missing;
  ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(uri, store_options));
  RETURN_IF_ERROR(MigrateSchema(store.get()));
  std::string root =
      options.artifact_root.empty() ? DefaultArtifactRoot(*store) : options.artifact_root;
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(root, ec);
  if (!ec) root = absolute.lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return std::unique_ptr<Registry>(  // NOLINT: private constructor
      new Registry(std::move(store), std::move(root), options));
}

std::string Registry::UserOrDefault(const std::string& user) const {
  return user.empty() ? CurrentUser() : user;
}

nlohmann::json GateReport::ToJson() const {
  nlohmann::json j;
  j["metric"] = metric;
  j["greater_is_better"] = greater_is_better;
  j["source"] = source;
  j["candidate"] = candidate ? nlohmann::json(*candidate) : nlohmann::json();
  j["current_version"] = current_version ? nlohmann::json(*current_version) : nlohmann::json();
  j["current"] = current ? nlohmann::json(*current) : nlohmann::json();
  j["baseline"] = baseline ? nlohmann::json(*baseline) : nlohmann::json();
  j["passed"] = passed;
  j["forced"] = forced;
  j["failures"] = failures;
  return j;
}

namespace internal {

StatusOr<nlohmann::json> ParseJsonCell(const std::string& text, const std::string& what) {
  if (text.empty()) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return DataLossError("registry: " + what + " is not valid JSON (" + e.what() + ")");
  }
}

StatusOr<ModelVersion> ParseVersionRow(const SqlRow& row) {
  ModelVersion v;
  v.model = CellText(row, 0);
  ASSIGN_OR_RETURN(const int64_t version, CellInt(row, 1, "version"));
  v.version = static_cast<int>(version);
  v.run_id = CellOptionalInt(row, 2);
  v.artifact_path = CellText(row, 3);
  v.manifest_sha256 = CellText(row, 4);
  v.source_path = CellText(row, 5);
  ASSIGN_OR_RETURN(v.metadata,
                   ParseJsonCell(CellText(row, 6), "metadata of " + v.model + " version " +
                                                       std::to_string(v.version)));
  ASSIGN_OR_RETURN(v.created, CellInt(row, 7, "created"));
  v.created_by = CellText(row, 8);
  v.description = CellText(row, 9);
  v.archived = CellOptionalInt(row, 10).value_or(0) != 0;
  return v;
}

void PauseBeforeRetry(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> jitter(0, 20 * attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt + jitter(rng)));
}

}  // namespace internal
}  // namespace staycast::registry
