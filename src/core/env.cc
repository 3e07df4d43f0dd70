// The POSIX Env: plain files, atomic writes by temp-file + fsync + rename, and the system clock.
#include "src/core/env.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace staycast {

std::string ErrnoMessage(int err) { return std::strerror(err); }

namespace {

class PosixAtomicFile final : public AtomicFile {
 public:
  PosixAtomicFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}
  ~PosixAtomicFile() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_path_.c_str());
  }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return FailedPreconditionError(path_ + ": file already closed");
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return UnavailableError(path_ + ": write failed: " + ErrnoMessage(errno));
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return OkStatus();
  }

  Status Commit() override {
    if (fd_ < 0) return FailedPreconditionError(path_ + ": file already closed");
    if (::fsync(fd_) != 0)
      return UnavailableError(path_ + ": fsync failed: " + ErrnoMessage(errno));
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return UnavailableError(path_ + ": close failed: " + ErrnoMessage(errno));
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      return UnavailableError(path_ + ": rename failed: " + ErrnoMessage(errno));
    }
    committed_ = true;
    // Make the rename itself durable.
    const std::string dir = std::filesystem::path(path_).parent_path().string();
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
    return OkStatus();
  }

  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  int fd_;
  bool committed_ = false;
};

class PosixEnv final : public Env {
 public:
  StatusOr<std::string> ReadFile(const std::string& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFoundError(path + ": cannot open: " + ErrnoMessage(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return UnavailableError(path + ": read failed");
    return ss.str();
  }

  StatusOr<std::unique_ptr<AtomicFile>> NewAtomicFile(const std::string& path) override {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::string temp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rng() % 1000000000ULL);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return UnavailableError(path + ": cannot create: " + ErrnoMessage(errno));
    return std::unique_ptr<AtomicFile>(std::make_unique<PosixAtomicFile>(path, temp, fd));
  }

  bool FileExists(const std::string& path) override {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
  }

  bool IsDirectory(const std::string& path) override {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
  }

  StatusOr<uint64_t> FileSize(const std::string& path) override {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return NotFoundError(path + ": " + ec.message());
    return static_cast<uint64_t>(size);
  }

  Status RemoveFile(const std::string& path) override {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) return UnavailableError(path + ": cannot remove: " + ec.message());
    return OkStatus();
  }

  Status CreateDirectories(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return UnavailableError(path + ": cannot create directory: " + ec.message());
    return OkStatus();
  }

  StatusOr<std::vector<std::string>> ListDirectory(const std::string& path) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      names.push_back(entry.path().filename().string());
    }
    if (ec) return NotFoundError(path + ": cannot list: " + ec.message());
    return names;
  }

  Timestamp Now() override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // NOLINT: intentionally leaked process-wide singleton
  return env;
}

Status WriteFileAtomic(Env* env, const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, env->NewAtomicFile(path));
  RETURN_IF_ERROR(file->Append(contents));
  return file->Commit();
}

}  // namespace staycast
