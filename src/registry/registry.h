// Registry: Staycast's record of training runs and of registered models — immutable numbered
// versions whose bundles live in a verified artifact store, mutable aliases (champion, ...) with an
// append-only history, a promotion gate and one-command rollback. Over SQLite or PostgreSQL.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "src/core/env.h"
#include "src/core/status.h"
#include "src/core/time.h"
#include "src/registry/store.h"

namespace staycast::registry {

struct RegistryOptions {
  // Where registered bundles are copied. Empty: $STAYCAST_ARTIFACTS, else "<db file>.artifacts"
  // beside a SQLite database, else $STAYCAST_HOME/artifacts, else ./staycast.artifacts. With
  // PostgreSQL shared by several machines this must be shared storage mounted at the same path.
  std::string artifact_root;
  // SQLite: create the database when missing (false for read-only commands: kNotFound instead).
  bool create_if_missing = true;
  // A running run on another host whose heartbeat is older than this is marked failed.
  int64_t stale_heartbeat_seconds = 24 * 3600;
  Env* env = Env::Default();
};

enum class RunStatus { kRunning, kFinished, kFailed };
const char* RunStatusName(RunStatus status);  // "running", "finished", "failed"
StatusOr<RunStatus> ParseRunStatus(const std::string& text);

// What a training run records when it starts.
struct RunSpec {
  std::string name;                                  // e.g. the config's name; may be empty
  nlohmann::json config = nlohmann::json::object();  // the full resolved config
  nlohmann::json params = nlohmann::json::object();  // chosen hyperparameters etc.
  std::string data_fingerprint;                      // sha256 of the training data
  std::optional<int64_t> seed;
  std::map<std::string, std::string> tags;
  std::string user;  // empty: the OS user
};

struct RunMetric {
  std::string model;  // candidate model name, e.g. "gbdt"
  std::string split;  // "train", "validation", "test", ...
  std::string name;   // "mae", "auroc", ...
  double value = 0;
};

struct Run {
  int64_t id = 0;
  std::string name;
  RunStatus status = RunStatus::kRunning;
  nlohmann::json config;
  nlohmann::json params;
  std::string data_fingerprint;
  std::string staycast_version;
  std::optional<int64_t> seed;
  std::map<std::string, std::string> tags;
  std::string user;
  Timestamp start_time = 0;
  std::optional<Timestamp> end_time;
  std::string bundle_path;
  std::string error;
  // The process that owns a running run (pid 0: unknown, e.g. a run from schema v1).
  int64_t pid = 0;
  std::string host;
  std::optional<Timestamp> heartbeat;
  std::vector<RunMetric> metrics;  // filled by GetRun; empty in ListRuns
};

struct RunFilter {
  int limit = 50;  // newest first; <= 0: all
  std::optional<RunStatus> status;
  std::string name;  // exact run name, empty: any
};

struct RegisteredModel {
  std::string name;
  std::string description;
  std::string created_by;
  Timestamp created = 0;
  int latest_version = 0;  // 0 when it has no version
  int num_versions = 0;
  std::map<std::string, int> aliases;  // alias -> version
};

// An immutable registered version. Only `archived` and `tags` can change after registration.
struct ModelVersion {
  std::string model;
  int version = 0;
  std::optional<int64_t> run_id;
  std::string artifact_path;    // the verified copy in the artifact store
  std::string manifest_sha256;  // sha256 of its manifest.json, which pins every file's sha256
  std::string source_path;      // where it was registered from
  nlohmann::json metadata;      // the bundle manifest's "metadata"
  Timestamp created = 0;
  std::string created_by;
  std::string description;
  bool archived = false;
  std::map<std::string, std::string> tags;
  std::vector<std::string> aliases;  // aliases pointing at it now
};

// One entry of the append-only alias history.
struct AliasMove {
  int64_t id = 0;
  std::string model;
  std::string alias;
  std::optional<int> from_version;  // none: the alias was new
  std::optional<int> to_version;
  Timestamp at = 0;
  std::string user;
  std::string action;  // "set", "promote", "rollback"
  std::string reason;
  nlohmann::json details;  // promote: the gate's numbers and whether it was forced
};

struct RegisterOptions {
  std::optional<int64_t> run_id;  // lineage: the run that produced the bundle (must exist)
  std::string user;               // empty: the OS user
  std::string description;
};

// Metric values used by the promotion gate. By default the gate reads each bundle's test metrics
// (metadata["metrics"]["test"][primary]); a caller that scored both versions on the same fresh
// labelled data (`promote --on DATA`) passes those numbers here instead, with a source label.
struct PromoteOptions {
  bool force = false;
  std::string reason;  // required with force
  std::string user;    // empty: the OS user
  // Measured elsewhere (e.g. `promote --on DATA`); unset: the bundles' recorded test metrics.
  std::optional<double> candidate_value;
  std::optional<double> current_value;
  std::optional<double> baseline_value;
  std::string source = "test";  // where the numbers come from, recorded in the history
};

struct GateReport {
  std::string metric;
  bool greater_is_better = false;
  std::string source;
  std::optional<double> candidate;
  std::optional<int> current_version;
  std::optional<double> current;
  std::optional<double> baseline;
  bool passed = true;
  bool forced = false;
  std::vector<std::string> failures;  // why it did not pass, with the numbers
  nlohmann::json ToJson() const;
};

struct PromoteResult {
  AliasMove move;
  GateReport gate;
};

// A model URI resolved to a verified local bundle.
struct ResolvedModel {
  std::string name;
  int version = 0;
  std::string alias;  // when resolved through an alias
  std::string artifact_path;
};

// What CheckConsistency found. Consistent when `problems` is empty.
struct ConsistencyReport {
  int versions_checked = 0;
  std::vector<std::string> problems;           // a version whose artifact is missing or corrupt
  std::vector<std::string> unreferenced_dirs;  // leftovers of interrupted registrations (harmless)
};

// Not thread-safe: one Registry per thread. Several processes may share one database.
class Registry {
 public:
  // Opens (creating and migrating as needed) the registry at `uri` (see OpenStore).
  static StatusOr<std::unique_ptr<Registry>> Open(const std::string& uri,
                                                  const RegistryOptions& options = {});
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  const std::string& location() const { return store_->location(); }
  const std::string& artifact_root() const { return artifact_root_; }
  Store* store() { return store_.get(); }

  // --- Runs (registry_runs.cc) ---
  // Records a new run as running, owned by this process (pid, host, process start time).
  StatusOr<int64_t> CreateRun(const RunSpec& spec);
  // Records (or overwrites) one metric of one candidate model on one split.
  Status LogMetric(int64_t run_id, const std::string& model, const std::string& split,
                   const std::string& name, double value);
  Status LogMetrics(int64_t run_id, const std::string& model, const std::string& split,
                    const std::map<std::string, double>& values);
  // Refreshes the run's heartbeat; long runs on shared databases should call this now and then.
  Status Heartbeat(int64_t run_id);
  // Ends a running run (kFinished or kFailed) with its bundle path and error message.
  Status FinishRun(int64_t run_id, RunStatus status, const std::string& bundle_path,
                   const std::string& error = "");
  StatusOr<Run> GetRun(int64_t run_id);
  // Newest first. Calls MarkStaleRuns() first, so a run whose process died shows as failed.
  StatusOr<std::vector<Run>> ListRuns(const RunFilter& filter = {});
  // Marks failed every running run whose owning process is gone: on this host, its pid no longer
  // exists (or now belongs to a process that started later); on other hosts, its heartbeat is
  // older than stale_heartbeat_seconds. Returns how many runs were marked.
  StatusOr<int> MarkStaleRuns();

  // --- Models and versions (registry_models.cc) ---
  // Verifies the bundle (directory or .tar), copies it into the artifact store (temp name, fsync,
  // rename, verify), then in one transaction creates the model if new and inserts version
  // max+1. Safe against concurrent registrations from other processes and against kill -9.
  StatusOr<ModelVersion> RegisterVersion(const std::string& name, const std::string& bundle_path,
                                         const RegisterOptions& options = {});
  StatusOr<std::vector<RegisteredModel>> ListModels();
  StatusOr<RegisteredModel> GetModel(const std::string& name);
  StatusOr<std::vector<ModelVersion>> ListVersions(const std::string& name);
  StatusOr<ModelVersion> GetVersion(const std::string& name, int version);
  // Archiving hides a version from "latest" and from promotion; refused while an alias points
  // at it.
  Status SetArchived(const std::string& name, int version, bool archived);
  // Sets (or with an empty value removes) a key=value tag on a version.
  Status SetTag(const std::string& name, int version, const std::string& key,
                const std::string& value);

  // --- Aliases (registry_aliases.cc) ---
  // Points `alias` at `version` without a gate, appending the move to the history.
  StatusOr<AliasMove> SetAlias(const std::string& name, const std::string& alias, int version,
                               const std::string& user, const std::string& reason);
  // The version `alias` points at (kNotFound when unset).
  StatusOr<int> GetAlias(const std::string& name, const std::string& alias);
  // Oldest first; all aliases of the model when `alias` is empty.
  StatusOr<std::vector<AliasMove>> AliasHistory(const std::string& name,
                                                const std::string& alias = "");
  // Points `alias` at `version` if the gate passes (see PromoteOptions, GateReport); otherwise
  // kFailedPrecondition with the numbers. force (with a reason) overrides and is recorded.
  StatusOr<PromoteResult> Promote(const std::string& name, int version, const std::string& alias,
                                  const PromoteOptions& options);
  // The gate alone, without moving anything (for `promote --dry-run` and tests).
  StatusOr<GateReport> EvaluateGate(const std::string& name, int version, const std::string& alias,
                                    const PromoteOptions& options);
  // Moves `alias` back to the version it pointed at before its last move (a second rollback
  // undoes the first) and records the move. No gate: rollback is the emergency exit.
  StatusOr<AliasMove> Rollback(const std::string& name, const std::string& alias,
                               const std::string& user, const std::string& reason);

  // --- Model URIs and verification (model_uri.cc) ---
  // models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/latest (newest not archived) to a
  // verified bundle; a corrupt or missing artifact is kDataLoss naming the model and version.
  StatusOr<ResolvedModel> Resolve(const std::string& model_uri);
  // Re-verifies one version's artifact (every file's checksum and the manifest's own).
  Status VerifyVersion(const std::string& name, int version);
  // Verifies every version's artifact and lists unreferenced artifact directories.
  StatusOr<ConsistencyReport> CheckConsistency();
  // Deletes the unreferenced artifact directories (leftovers of interrupted or failed
  // registrations) last changed more than `min_age` ago; younger ones may belong to a registration
  // still in progress and are kept. Returns the paths removed.
  StatusOr<std::vector<std::string>> RemoveUnreferencedArtifacts(std::chrono::seconds min_age);

 private:
  Registry(std::unique_ptr<Store> store, std::string artifact_root, RegistryOptions options);
  std::string UserOrDefault(const std::string& user) const;
  StatusOr<std::string> CopyIntoArtifactStore(const std::string& name,
                                              const std::string& bundle_dir,
                                              std::string* manifest_sha256);
  // Inside an open transaction: locks the model (PostgreSQL), moves the alias, appends history.
  StatusOr<AliasMove> MoveAliasLocked(const std::string& name, const std::string& alias,
                                      int version, const std::string& user,
                                      const std::string& action, const std::string& reason,
                                      const nlohmann::json& details);
  StatusOr<GateReport> EvaluateGateLocked(const std::string& name, int version,
                                          const std::string& alias, const PromoteOptions& options);
  StatusOr<ModelVersion> InsertVersion(const std::string& name, const std::string& artifact,
                                       const std::string& manifest_sha256,
                                       const std::string& source, const nlohmann::json& metadata,
                                       const RegisterOptions& options);

  std::unique_ptr<Store> store_;
  std::string artifact_root_;
  RegistryOptions options_;
};

// True for "models:/..." strings.
bool IsModelUri(const std::string& text);

struct ModelUri {
  std::string name;
  std::optional<int> version;  // models:/NAME/3
  std::string alias;           // models:/NAME@champion
  bool latest = false;         // models:/NAME/latest
};
StatusOr<ModelUri> ParseModelUri(const std::string& text);

// For predict/evaluate/serve: a model URI becomes the verified artifact path from the registry at
// `registry_uri` (empty: the default); any other text is returned unchanged.
StatusOr<std::string> ResolveBundleLocation(const std::string& path_or_uri,
                                            const std::string& registry_uri = "");

// Names: models [A-Za-z0-9_.-]{1,100} not starting with '.'; aliases [a-z0-9_-]{1,64} and not all
// digits (so models:/m@3 is not confused with a version).
Status ValidateModelName(const std::string& name);
Status ValidateAliasName(const std::string& alias);

// The OS user (getpwuid, else $USER, else "unknown").
std::string CurrentUser();

}  // namespace staycast::registry
