// Background `staycast serve` for end-to-end tests (see server_process.h).
#include "tests/e2e/server_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "tests/e2e/cli_runner.h"

namespace staycast::e2e {

ServerProcess::ServerProcess(const std::vector<std::string>& args) {
  char log_template[] = "/tmp/staycast_serve_log_XXXXXX";
  const int log_fd = mkstemp(log_template);
  log_path_ = log_template;
  int out[2];
  if (pipe(out) != 0) return;
  const std::string binary = StaycastBinary();
  std::vector<std::string> full = {binary, "serve"};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--port");
  full.push_back("0");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(out[0]);
    std::vector<char*> argv;
    for (std::string& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  close(log_fd);
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    const ssize_t n = read(out[0], buf, sizeof(buf));
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    const size_t at = text.find("listening on http://");
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      const size_t colon = text.find(':', at + std::strlen("listening on http://"));
      port_ = std::atoi(text.c_str() + colon + 1);
      break;
    }
  }
  close(out[0]);  // the server's later stdout writes go nowhere; it only prints the one line
}

ServerProcess::~ServerProcess() { Stop(); }

std::string ServerProcess::Log() const { return ReadTextFile(log_path_); }

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

}  // namespace staycast::e2e
