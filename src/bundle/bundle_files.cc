// Bundle directory writing (atomic), reading with verification, and .tar packing over libarchive.
#include "src/bundle/bundle_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "src/core/hash.h"
#include "src/core/version.h"

namespace staycast::bundle {
namespace {

namespace fs = std::filesystem;

bool IsPlainName(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 200) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

std::string RandomSuffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(::getpid()) + "." + std::to_string(rng() % 1000000000ULL);
}

StatusOr<nlohmann::json> ParseJson(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(what + ": not valid JSON (" + e.what() + ")");
  }
}

void FsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string ParentOf(const std::string& path) {
  const std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

BundleWriter::BundleWriter(std::string dir, std::string temp_dir, bool overwrite, Env* env)
    : dir_(std::move(dir)), temp_dir_(std::move(temp_dir)), overwrite_(overwrite), env_(env) {}

BundleWriter::~BundleWriter() {
  if (!finished_) {
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);
  }
}

StatusOr<std::unique_ptr<BundleWriter>> BundleWriter::Create(const std::string& dir, bool overwrite,
                                                             Env* env) {
  if (dir.empty()) return InvalidArgumentError("bundle: empty output directory");
  std::string clean = dir;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  if (env->FileExists(clean) && !overwrite) {
    return AlreadyExistsError(clean + ": already exists; choose another --out or pass --overwrite");
  }
  if (env->FileExists(clean) && !env->IsDirectory(clean)) {
    return AlreadyExistsError(clean + ": exists and is not a directory");
  }
  RETURN_IF_ERROR(env->CreateDirectories(ParentOf(clean)));
  const std::string temp = clean + ".tmp." + RandomSuffix();
  RETURN_IF_ERROR(env->CreateDirectories(temp));
  return std::unique_ptr<BundleWriter>(new BundleWriter(clean, temp, overwrite, env));  // NOLINT
}

Status BundleWriter::AddFile(const std::string& name, std::string_view contents) {
  if (finished_) return FailedPreconditionError("bundle: already finished");
  if (!IsPlainName(name) || name == kManifestFile) {
    return InvalidArgumentError("bundle: invalid file name '" + name + "'");
  }
  if (files_.count(name) > 0) return AlreadyExistsError("bundle: file '" + name + "' added twice");
  RETURN_IF_ERROR(WriteFileAtomic(env_, temp_dir_ + "/" + name, contents));
  files_[name] = {Sha256Hex(contents), contents.size()};
  return OkStatus();
}

Status BundleWriter::AddFileFrom(const std::string& name,
                                 const std::function<Status(const std::string& path)>& write) {
  if (finished_) return FailedPreconditionError("bundle: already finished");
  if (!IsPlainName(name) || name == kManifestFile) {
    return InvalidArgumentError("bundle: invalid file name '" + name + "'");
  }
  if (files_.count(name) > 0) return AlreadyExistsError("bundle: file '" + name + "' added twice");
  const std::string path = temp_dir_ + "/" + name;
  RETURN_IF_ERROR(write(path));
  ASSIGN_OR_RETURN(std::string sha, Sha256File(path));
  ASSIGN_OR_RETURN(uint64_t bytes, env_->FileSize(path));
  files_[name] = {sha, bytes};
  return OkStatus();
}

Status BundleWriter::AddJson(const std::string& name, const nlohmann::json& value) {
  return AddFile(name, value.dump(1));
}

Status BundleWriter::Finish(const nlohmann::json& metadata) {
  if (finished_) return FailedPreconditionError("bundle: already finished");
  nlohmann::json manifest;
  manifest["format_version"] = kBundleFormatVersion;
  manifest["staycast_version"] = kVersion;
  manifest["created"] = FormatTimestamp(env_->Now());
  manifest["metadata"] = metadata;
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, info] : files_) {
    files[name] = {{"sha256", info.first}, {"bytes", info.second}};
  }
  manifest["files"] = files;
  RETURN_IF_ERROR(WriteFileAtomic(env_, temp_dir_ + "/" + kManifestFile, manifest.dump(1)));
  FsyncPath(temp_dir_, true);
  if (env_->FileExists(dir_)) {
    if (!overwrite_) return AlreadyExistsError(dir_ + ": already exists");
    // Swap the new bundle in atomically, then remove the old one.
    if (::renameat2(AT_FDCWD, temp_dir_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) != 0) {
      return UnavailableError(dir_ + ": cannot replace: " + ErrnoMessage(errno));
    }
    finished_ = true;
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);  // now holds the old bundle
  } else {
    if (::rename(temp_dir_.c_str(), dir_.c_str()) != 0) {
      return UnavailableError(dir_ + ": cannot move bundle into place: " + ErrnoMessage(errno));
    }
    finished_ = true;
  }
  FsyncPath(ParentOf(dir_), true);
  return OkStatus();
}

BundleReader::BundleReader(std::string path, std::string dir, bool owns_dir,
                           nlohmann::json manifest, Env* env)
    : path_(std::move(path)),
      dir_(std::move(dir)),
      owns_dir_(owns_dir),
      manifest_(std::move(manifest)),
      env_(env) {}

BundleReader::~BundleReader() {
  if (owns_dir_) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

StatusOr<std::unique_ptr<BundleReader>> BundleReader::Open(const std::string& path, Env* env) {
  if (!env->FileExists(path)) return NotFoundError(path + ": no such bundle");
  std::string dir = path;
  bool owns = false;
  if (!env->IsDirectory(path)) {
    dir = (fs::temp_directory_path() / ("staycast_bundle_" + RandomSuffix())).string();
    Status unpacked = UnpackBundle(path, dir);
    if (!unpacked.ok()) {
      std::error_code ec;
      fs::remove_all(dir, ec);
      return unpacked;
    }
    owns = true;
  }
  // Cleans up the unpacked copy on any error below.
  auto fail = [&](Status s) -> Status {
    if (owns) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    return s;
  };
  StatusOr<std::string> text = env->ReadFile(dir + "/" + kManifestFile);
  if (!text.ok()) return fail(DataLossError(path + ": not a bundle (no manifest.json)"));
  StatusOr<nlohmann::json> manifest = ParseJson(*text, path + "/manifest.json");
  if (!manifest.ok()) return fail(manifest.status());
  const nlohmann::json& m = *manifest;
  if (!m.is_object() || !m.contains("format_version") || !m["format_version"].is_number_integer() ||
      !m.contains("files") || !m["files"].is_object()) {
    return fail(DataLossError(path + ": manifest.json lacks format_version or files"));
  }
  const int version = m["format_version"].get<int>();
  if (version > kBundleFormatVersion) {
    return fail(FailedPreconditionError(
        path + ": bundle format " + std::to_string(version) + " was written by a newer Staycast (" +
        m.value("staycast_version", std::string("?")) + "); this build reads up to format " +
        std::to_string(kBundleFormatVersion)));
  }
  for (const auto& [name, info] : m["files"].items()) {
    const std::string file = dir + "/" + name;
    if (!IsPlainName(name) || !env->FileExists(file)) {
      return fail(DataLossError(path + ": file '" + name + "' is missing"));
    }
    StatusOr<std::string> sha = Sha256File(file);
    if (!sha.ok()) return fail(sha.status());
    if (!info.is_object() || info.value("sha256", std::string()) != *sha) {
      return fail(DataLossError(path + ": file '" + name +
                                "' does not match its checksum (tampered with or truncated)"));
    }
  }
  return std::unique_ptr<BundleReader>(new BundleReader(path, dir, owns, m, env));  // NOLINT
}

bool BundleReader::HasFile(const std::string& name) const {
  return manifest_["files"].contains(name);
}

StatusOr<std::string> BundleReader::ReadFile(const std::string& name) const {
  if (!HasFile(name)) return NotFoundError(path_ + ": bundle has no file '" + name + "'");
  return env_->ReadFile(dir_ + "/" + name);
}

StatusOr<nlohmann::json> BundleReader::ReadJson(const std::string& name) const {
  ASSIGN_OR_RETURN(std::string text, ReadFile(name));
  return ParseJson(text, path_ + "/" + name);
}

}  // namespace staycast::bundle
