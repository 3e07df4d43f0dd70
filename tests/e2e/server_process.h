// Runs `staycast serve` in the background for end-to-end tests: starts it on a free port, waits
// until it listens, and stops it with SIGTERM (SIGKILL if it does not exit in time).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace staycast::e2e {

class ServerProcess {
 public:
  // Starts `staycast serve ARGS --port 0` and waits (bounded) for its "listening on" line.
  explicit ServerProcess(const std::vector<std::string>& args);
  ~ServerProcess();  // Stop()s
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  // What the server wrote to stderr so far.
  std::string Log() const;
  // SIGTERM, then waits up to 20 s; returns the exit code (-1 if it had to be killed).
  int Stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

}  // namespace staycast::e2e
