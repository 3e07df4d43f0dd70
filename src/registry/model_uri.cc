// Model URIs (models:/NAME@ALIAS, models:/NAME/VERSION, models:/NAME/latest) resolved to verified
// artifacts, per-version verification, the whole-store consistency check and its clean-up.
#include <filesystem>
#include <set>

#include "src/bundle/bundle_files.h"
#include "src/core/hash.h"
#include "src/registry/registry.h"
#include "src/registry/registry_internal.h"

namespace staycast::registry {
namespace {

constexpr const char* kPrefix = "models:/";

Status BadUri(const std::string& text) {
  return InvalidArgumentError("model URI '" + text +
                              "': expected models:/NAME@ALIAS, models:/NAME/VERSION or "
                              "models:/NAME/latest");
}

}  // namespace

bool IsModelUri(const std::string& text) { return text.rfind(kPrefix, 0) == 0; }

StatusOr<ModelUri> ParseModelUri(const std::string& text) {
  if (!IsModelUri(text)) return BadUri(text);
  const std::string rest = text.substr(std::string(kPrefix).size());
  ModelUri uri;
  if (const size_t at = rest.find('@'); at != std::string::npos) {
    uri.name = rest.substr(0, at);
    uri.alias = rest.substr(at + 1);
    if (!ValidateModelName(uri.name).ok() || !ValidateAliasName(uri.alias).ok()) {
      return BadUri(text);
    }
    return uri;
  }
  const size_t slash = rest.rfind('/');
  if (slash == std::string::npos) return BadUri(text);
  uri.name = rest.substr(0, slash);
  const std::string selector = rest.substr(slash + 1);
  if (!ValidateModelName(uri.name).ok() || selector.empty()) return BadUri(text);
  if (selector == "latest") {
    uri.latest = true;
    return uri;
  }
  constexpr size_t kMaxDigits = 9;
  if (selector.size() > kMaxDigits) return BadUri(text);
  for (char c : selector) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return BadUri(text);
  }
  uri.version = std::stoi(selector);
  if (*uri.version <= 0) return BadUri(text);
  return uri;
}

Status Registry::VerifyVersion(const std::string& name, int version) {
  ASSIGN_OR_RETURN(ModelVersion v, GetVersion(name, version));
  const std::string who = "model '" + name + "' version " + std::to_string(version);
  if (!options_.env->IsDirectory(v.artifact_path)) {
    return DataLossError(who + ": artifact " + v.artifact_path + " is missing");
  }
  StatusOr<std::unique_ptr<bundle::BundleReader>> reader =
      bundle::BundleReader::Open(v.artifact_path, options_.env);
  if (!reader.ok()) {
    return DataLossError(who + ": artifact is corrupt: " + reader.status().message());
  }
  StatusOr<std::string> sha = Sha256File(v.artifact_path + "/" + bundle::kManifestFile);
  if (!sha.ok() || *sha != v.manifest_sha256) {
    return DataLossError(who + ": artifact " + v.artifact_path +
                         " does not match its registered checksum (manifest.json was changed)");
  }
  return OkStatus();
}

StatusOr<ResolvedModel> Registry::Resolve(const std::string& model_uri) {
  ASSIGN_OR_RETURN(ModelUri uri, ParseModelUri(model_uri));
  ResolvedModel resolved;
  resolved.name = uri.name;
  resolved.alias = uri.alias;
  if (!uri.alias.empty()) {
    ASSIGN_OR_RETURN(resolved.version, GetAlias(uri.name, uri.alias));
  } else if (uri.latest) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     store_->Query("SELECT MAX(version) FROM model_versions WHERE model = ? AND "
                                   "archived = 0",
                                   {uri.name}));
    if (rows.empty() || !rows[0][0].has_value()) {
      RETURN_IF_ERROR(GetModel(uri.name).status());
      return NotFoundError("model '" + uri.name + "' has no unarchived version");
    }
    ASSIGN_OR_RETURN(const int64_t latest, CellInt(rows[0], 0, "max version"));
    resolved.version = static_cast<int>(latest);
  } else {
    resolved.version = *uri.version;
  }
  RETURN_IF_ERROR(VerifyVersion(uri.name, resolved.version));
  ASSIGN_OR_RETURN(ModelVersion v, GetVersion(uri.name, resolved.version));
  resolved.artifact_path = v.artifact_path;
  return resolved;
}

StatusOr<ConsistencyReport> Registry::CheckConsistency() {
  ConsistencyReport report;
  std::set<std::string> referenced;
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query("SELECT model, version, artifact_path FROM model_versions "
                                 "ORDER BY model, version"));
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(const int64_t version, CellInt(row, 1, "version"));
    referenced.insert(artifact_root_ + "/" + CellText(row, 2));
    ++report.versions_checked;
    Status verified = VerifyVersion(CellText(row, 0), static_cast<int>(version));
    if (!verified.ok()) report.problems.push_back(verified.message());
  }
  std::error_code ec;
  for (const auto& model_dir : std::filesystem::directory_iterator(artifact_root_, ec)) {
    if (!model_dir.is_directory()) continue;
    std::error_code inner;
    for (const auto& entry : std::filesystem::directory_iterator(model_dir.path(), inner)) {
      const std::string path = entry.path().string();
      if (referenced.count(path) == 0) report.unreferenced_dirs.push_back(path);
    }
  }
  return report;
}

StatusOr<std::vector<std::string>> Registry::RemoveUnreferencedArtifacts(
    std::chrono::seconds min_age) {
  ASSIGN_OR_RETURN(ConsistencyReport report, CheckConsistency());
  const auto now = std::filesystem::file_time_type::clock::now();
  std::vector<std::string> removed;
  for (const std::string& dir : report.unreferenced_dirs) {
    std::error_code ec;
    const auto changed = std::filesystem::last_write_time(dir, ec);
    if (ec || now - changed < min_age) continue;
    std::filesystem::remove_all(dir, ec);
    if (ec) return UnavailableError(dir + ": cannot remove: " + ec.message());
    removed.push_back(dir);
  }
  return removed;
}

StatusOr<std::string> ResolveBundleLocation(const std::string& path_or_uri,
                                            const std::string& registry_uri) {
  if (!IsModelUri(path_or_uri)) return path_or_uri;
  RegistryOptions options;
  options.create_if_missing = false;
  ASSIGN_OR_RETURN(std::unique_ptr<Registry> registry, Registry::Open(registry_uri, options));
  ASSIGN_OR_RETURN(ResolvedModel resolved, registry->Resolve(path_or_uri));
  return resolved.artifact_path;
}

}  // namespace staycast::registry
