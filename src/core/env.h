// Env: the seam through which Staycast touches the file system and the clock, so that tests can
// inject faults and a fixed time. Env::Default() is the real POSIX one. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/status.h"
#include "src/core/time.h"

namespace staycast {

// A file being written under a temporary name beside its final path. Nothing appears at the final
// path until Commit() (flush, fsync, rename). Destroying it without Commit() removes the temporary
// file, so a failed write never leaves a partial output behind.
class AtomicFile {
 public:
  virtual ~AtomicFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Commit() = 0;
  virtual const std::string& path() const = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  static Env* Default();

  virtual StatusOr<std::string> ReadFile(const std::string& path) = 0;
  virtual StatusOr<std::unique_ptr<AtomicFile>> NewAtomicFile(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
  virtual StatusOr<uint64_t> FileSize(const std::string& path) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  virtual Status CreateDirectories(const std::string& path) = 0;
  virtual StatusOr<std::vector<std::string>> ListDirectory(const std::string& path) = 0;
  virtual Timestamp Now() = 0;
};

// Writes the whole of `contents` to `path` atomically.
Status WriteFileAtomic(Env* env, const std::string& path, std::string_view contents);

// The system error for errno, e.g. "No such file or directory".
std::string ErrnoMessage(int err);

}  // namespace staycast
