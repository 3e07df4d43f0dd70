// Runs the staycast binary as a user would, capturing exit code, stdout and stderr, for end-to-end
// tests.
#pragma once

#include <string>
#include <vector>

namespace staycast::e2e {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Path of the staycast binary under test (env STAYCAST_BINARY, set by CTest).
std::string StaycastBinary();
// Repository root (env STAYCAST_SOURCE_DIR, set by CTest).
std::string SourceDir();

// Runs `staycast args...` with no shell in between, in `cwd` if not empty; stdin is /dev/null.
CommandResult RunStaycast(const std::vector<std::string>& args, const std::string& cwd = "");

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes text to a file (test setup only).
void WriteTextFile(const std::string& path, const std::string& text);
std::string ReadTextFile(const std::string& path);

}  // namespace staycast::e2e
