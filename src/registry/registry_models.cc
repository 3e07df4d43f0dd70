// Registry models and versions: registration (verified copy into the artifact store, then one
// transaction for the next version number), listing, archiving and tags.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "src/bundle/bundle_files.h"
#include "src/core/hash.h"
#include "src/registry/registry.h"
#include "src/registry/registry_internal.h"

namespace staycast::registry {
namespace {

namespace fs = std::filesystem;

std::string RandomToken() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[32];
  std::snprintf(
      buf, sizeof(buf), "%d-%08llx", static_cast<int>(::getpid()),
      static_cast<unsigned long long>(rng() & 0xffffffffULL));  // NOLINT(google-runtime-int)
  return buf;
}

void FsyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Removes a half-built directory unless released.
class DirGuard {
 public:
  explicit DirGuard(std::string dir) : dir_(std::move(dir)) {}
  ~DirGuard() {
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  DirGuard(const DirGuard&) = delete;
  DirGuard& operator=(const DirGuard&) = delete;
  void Release() { dir_.clear(); }

 private:
  std::string dir_;
};

}  // namespace

StatusOr<std::string> Registry::CopyIntoArtifactStore(const std::string& name,
                                                      const std::string& bundle_dir,
                                                      std::string* manifest_sha256) {
  Env* env = options_.env;
  const std::string model_dir = artifact_root_ + "/" + name;
  RETURN_IF_ERROR(env->CreateDirectories(model_dir));
  const std::string temp = model_dir + "/.incoming-" + RandomToken();
  RETURN_IF_ERROR(env->CreateDirectories(temp));
  DirGuard guard(temp);
  ASSIGN_OR_RETURN(std::string manifest_text,
                   env->ReadFile(bundle_dir + "/" + bundle::kManifestFile));
  ASSIGN_OR_RETURN(nlohmann::json manifest,
                   internal::ParseJsonCell(manifest_text, bundle_dir + "/manifest.json"));
  // Each file goes through a temp name, fsync and rename (WriteFileAtomic); the manifest last.
  for (const auto& [file, info] : manifest["files"].items()) {
    ASSIGN_OR_RETURN(std::string contents, env->ReadFile(bundle_dir + "/" + file));
    RETURN_IF_ERROR(WriteFileAtomic(env, temp + "/" + file, contents));
  }
  RETURN_IF_ERROR(WriteFileAtomic(env, temp + "/" + bundle::kManifestFile, manifest_text));
  FsyncDirectory(temp);
  // The copy must verify before anything can reference it.
  StatusOr<std::unique_ptr<bundle::BundleReader>> copy = bundle::BundleReader::Open(temp, env);
  if (!copy.ok()) return copy.status().WithContext("registry: copy of " + bundle_dir + " is bad");
  *manifest_sha256 = Sha256Hex(manifest_text);
  const std::string final_name = manifest_sha256->substr(0, 16) + "-" + RandomToken();
  const std::string final_dir = model_dir + "/" + final_name;
  if (::rename(temp.c_str(), final_dir.c_str()) != 0) {
    return UnavailableError(final_dir +
                            ": cannot move artifact into place: " + ErrnoMessage(errno));
  }
  guard.Release();
  FsyncDirectory(model_dir);
  return name + "/" + final_name;  // relative to the artifact root
}

StatusOr<ModelVersion> Registry::RegisterVersion(const std::string& name,
                                                 const std::string& bundle_path,
                                                 const RegisterOptions& options) {
  RETURN_IF_ERROR(ValidateModelName(name));
  if (options.run_id) RETURN_IF_ERROR(GetRun(*options.run_id).status());
  // Verify the source (a directory, or a .tar unpacked to a temporary directory).
  ASSIGN_OR_RETURN(std::unique_ptr<bundle::BundleReader> source,
                   bundle::BundleReader::Open(bundle_path, options_.env));
  std::string manifest_sha256;
  ASSIGN_OR_RETURN(const std::string artifact,
                   CopyIntoArtifactStore(name, source->dir(), &manifest_sha256));
  std::error_code ec;
  const std::string source_path = fs::absolute(bundle_path, ec).lexically_normal().string();
  StatusOr<ModelVersion> inserted = InsertVersion(
      name, artifact, manifest_sha256, ec ? bundle_path : source_path, source->metadata(), options);
  if (!inserted.ok()) {
    // Nothing references the copy: remove it (a crash here would leave an unreferenced directory,
    // which CheckConsistency lists and which is harmless).
    fs::remove_all(artifact_root_ + "/" + artifact, ec);
  }
  return inserted;
}

StatusOr<ModelVersion> Registry::InsertVersion(const std::string& name, const std::string& artifact,
                                               const std::string& manifest_sha256,
                                               const std::string& source,
                                               const nlohmann::json& metadata,
                                               const RegisterOptions& options) {
  const std::string user = UserOrDefault(options.user);
  Store* store = store_.get();
  Env* env = options_.env;
  return internal::WithRetries<ModelVersion>(store, [&]() -> StatusOr<ModelVersion> {
    const Timestamp now = env->Now();
    RETURN_IF_ERROR(store->Exec(
        "INSERT INTO models (name, created, created_by, description) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (name) DO NOTHING",
        {name, now, user, options.description}));
    if (store->dialect() == Dialect::kPostgres) {
      // Serialises version numbering per model across connections (SQLite: BEGIN IMMEDIATE).
      RETURN_IF_ERROR(store->Exec("SELECT name FROM models WHERE name = ? FOR UPDATE", {name}));
    }
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     store->Query("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions "
                                  "WHERE model = ?",
                                  {name}));
    ASSIGN_OR_RETURN(const int64_t next, CellInt(rows.at(0), 0, "next version"));
    RETURN_IF_ERROR(
        store->Exec(std::string("INSERT INTO model_versions (") + internal::kVersionColumns +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    {name, next, options.run_id ? SqlValue(*options.run_id) : SqlValue(), artifact,
                     manifest_sha256, source, metadata.dump(), now, user, options.description}));
    ModelVersion v;
    v.model = name;
    v.version = static_cast<int>(next);
    v.run_id = options.run_id;
    v.artifact_path = artifact_root_ + "/" + artifact;
    v.manifest_sha256 = manifest_sha256;
    v.source_path = source;
    v.metadata = metadata;
    v.created = now;
    v.created_by = user;
    v.description = options.description;
    return v;
  });
}

StatusOr<std::vector<RegisteredModel>> Registry::ListModels() {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query("SELECT name FROM models ORDER BY name"));
  std::vector<RegisteredModel> models;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(RegisteredModel model, GetModel(CellText(row, 0)));
    models.push_back(std::move(model));
  }
  return models;
}

StatusOr<RegisteredModel> Registry::GetModel(const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query("SELECT name, description, created_by, created FROM models "
                                 "WHERE name = ?",
                                 {name}));
  if (rows.empty()) return NotFoundError("model '" + name + "' is not registered");
  RegisteredModel model;
  model.name = CellText(rows[0], 0);
  model.description = CellText(rows[0], 1);
  model.created_by = CellText(rows[0], 2);
  ASSIGN_OR_RETURN(model.created, CellInt(rows[0], 3, "created"));
  ASSIGN_OR_RETURN(std::vector<SqlRow> counts,
                   store_->Query("SELECT COUNT(*), COALESCE(MAX(version), 0) FROM "
                                 "model_versions WHERE model = ?",
                                 {name}));
  ASSIGN_OR_RETURN(const int64_t count, CellInt(counts.at(0), 0, "count"));
  ASSIGN_OR_RETURN(const int64_t latest, CellInt(counts.at(0), 1, "max"));
  model.num_versions = static_cast<int>(count);
  model.latest_version = static_cast<int>(latest);
  ASSIGN_OR_RETURN(std::vector<SqlRow> aliases,
                   store_->Query("SELECT alias, version FROM aliases WHERE model = ?", {name}));
  for (const SqlRow& row : aliases) {
    ASSIGN_OR_RETURN(const int64_t version, CellInt(row, 1, "aliases.version"));
    model.aliases[CellText(row, 0)] = static_cast<int>(version);
  }
  return model;
}

StatusOr<std::vector<ModelVersion>> Registry::ListVersions(const std::string& name) {
  RETURN_IF_ERROR(GetModel(name).status());
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query(std::string("SELECT version FROM model_versions WHERE "
                                             "model = ? ORDER BY version"),
                                 {name}));
  std::vector<ModelVersion> versions;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(const int64_t version, CellInt(row, 0, "version"));
    ASSIGN_OR_RETURN(ModelVersion v, GetVersion(name, static_cast<int>(version)));
    versions.push_back(std::move(v));
  }
  return versions;
}

StatusOr<ModelVersion> Registry::GetVersion(const std::string& name, int version) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query(std::string("SELECT ") + internal::kVersionColumns +
                                     " FROM model_versions WHERE model = ? AND version = ?",
                                 {name, static_cast<int64_t>(version)}));
  if (rows.empty()) {
    RETURN_IF_ERROR(GetModel(name).status());
    return NotFoundError("model '" + name + "' has no version " + std::to_string(version));
  }
  ASSIGN_OR_RETURN(ModelVersion v, internal::ParseVersionRow(rows[0]));
  v.artifact_path = artifact_root_ + "/" + v.artifact_path;
  ASSIGN_OR_RETURN(std::vector<SqlRow> tags,
                   store_->Query("SELECT key, value FROM version_tags WHERE model = ? AND "
                                 "version = ? ORDER BY key",
                                 {name, static_cast<int64_t>(version)}));
  for (const SqlRow& row : tags) v.tags[CellText(row, 0)] = CellText(row, 1);
  ASSIGN_OR_RETURN(std::vector<SqlRow> aliases,
                   store_->Query("SELECT alias FROM aliases WHERE model = ? AND version = ? "
                                 "ORDER BY alias",
                                 {name, static_cast<int64_t>(version)}));
  for (const SqlRow& row : aliases) v.aliases.push_back(CellText(row, 0));
  return v;
}

Status Registry::SetArchived(const std::string& name, int version, bool archived) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  ASSIGN_OR_RETURN(ModelVersion v, GetVersion(name, version));
  if (archived && !v.aliases.empty()) {
    return FailedPreconditionError("model '" + name + "' version " + std::to_string(version) +
                                   " is still the target of alias '" + v.aliases[0] +
                                   "'; move the alias first (staycast models promote/rollback)");
  }
  RETURN_IF_ERROR(
      store_->Exec("UPDATE model_versions SET archived = ? WHERE model = ? AND version = ?",
                   {static_cast<int64_t>(archived ? 1 : 0), name, static_cast<int64_t>(version)}));
  return tx.Commit();
}

Status Registry::SetTag(const std::string& name, int version, const std::string& key,
                        const std::string& value) {
  if (key.empty()) return InvalidArgumentError("tag: empty key");
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  RETURN_IF_ERROR(GetVersion(name, version).status());
  if (value.empty()) {
    RETURN_IF_ERROR(
        store_->Exec("DELETE FROM version_tags WHERE model = ? AND version = ? AND key = ?",
                     {name, static_cast<int64_t>(version), key}));
  } else {
    RETURN_IF_ERROR(
        store_->Exec("INSERT INTO version_tags (model, version, key, value) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (model, version, key) DO UPDATE SET value = excluded.value",
                     {name, static_cast<int64_t>(version), key, value}));
  }
  return tx.Commit();
}

}  // namespace staycast::registry
