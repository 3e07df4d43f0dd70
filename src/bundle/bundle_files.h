// The bundle on disk: a directory of named files plus manifest.json (format version, Staycast
// version, creation time, metadata, and the sha256 and size of every file). Writing is atomic (a
// temp directory renamed at the end); reading verifies the format version and every checksum.
// Optionally packed as a single .tar. What the files contain (pipeline, model, calibrator, ...) is
// decided by the trainer.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "src/core/env.h"
#include "src/core/status.h"

namespace staycast::bundle {

// The bundle format this build writes and the newest it can read.
inline constexpr int kBundleFormatVersion = 1;
inline constexpr const char* kManifestFile = "manifest.json";

class BundleWriter {
 public:
  // Starts a bundle that will appear at `dir` on Finish(). An existing bundle at `dir` is replaced
  // only when `overwrite` is true.
  static StatusOr<std::unique_ptr<BundleWriter>> Create(const std::string& dir, bool overwrite,
                                                        Env* env = Env::Default());
  ~BundleWriter();
  BundleWriter(const BundleWriter&) = delete;
  BundleWriter& operator=(const BundleWriter&) = delete;

  // Adds a file (a plain name such as "model.json"; no directories).
  Status AddFile(const std::string& name, std::string_view contents);
  Status AddJson(const std::string& name, const nlohmann::json& value);
  // Adds a file that `write` creates at the path it is given (e.g. a CSV written by the data
  // layer); its checksum is taken afterwards.
  Status AddFileFrom(const std::string& name,
                     const std::function<Status(const std::string& path)>& write);
  // Writes manifest.json with `metadata` under "metadata" and moves the bundle into place.
  Status Finish(const nlohmann::json& metadata);

 private:
  BundleWriter(std::string dir, std::string temp_dir, bool overwrite, Env* env);
  std::string dir_;
  std::string temp_dir_;
  bool overwrite_;
  Env* env_;
  bool finished_ = false;
  std::map<std::string, std::pair<std::string, uint64_t>> files_;  // name -> (sha256, bytes)
};

class BundleReader {
 public:
  // Opens a bundle directory or .tar file and verifies format version and checksums.
  static StatusOr<std::unique_ptr<BundleReader>> Open(const std::string& path,
                                                      Env* env = Env::Default());
  ~BundleReader();
  BundleReader(const BundleReader&) = delete;
  BundleReader& operator=(const BundleReader&) = delete;

  const nlohmann::json& manifest() const { return manifest_; }
  const nlohmann::json& metadata() const { return manifest_["metadata"]; }
  bool HasFile(const std::string& name) const;
  StatusOr<std::string> ReadFile(const std::string& name) const;
  StatusOr<nlohmann::json> ReadJson(const std::string& name) const;
  // Where the bundle's files are (a temporary directory when opened from a .tar).
  const std::string& dir() const { return dir_; }

 private:
  BundleReader(std::string path, std::string dir, bool owns_dir, nlohmann::json manifest, Env* env);
  std::string path_;
  std::string dir_;
  bool owns_dir_;
  nlohmann::json manifest_;
  Env* env_;
};

// Packs a bundle directory into one .tar file (atomically), and unpacks one into a new directory.
Status PackBundle(const std::string& dir, const std::string& tar_path);
Status UnpackBundle(const std::string& tar_path, const std::string& dir);

}  // namespace staycast::bundle
