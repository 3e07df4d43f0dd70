// Starts and stops throw-away PostgreSQL servers for tests (see postgres_server.h).
#include "tests/support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX name.

namespace staycast::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kUser[] = "postgres";
constexpr char kInstallHint[] =
    "PostgreSQL is needed for this test: run scripts/install-deps.sh (it installs the Debian "
    "package 'postgresql')";
constexpr int kInitdbTimeoutSeconds = 120;
constexpr int kStartTimeoutSeconds = 30;
constexpr int kStopTimeoutSeconds = 20;
constexpr int kStartAttempts = 5;

// The bin directory of the newest PostgreSQL under /usr/lib/postgresql (or $STAYCAST_PG_BINDIR).
StatusOr<std::string> FindBinDir() {
  std::error_code ec;
  if (const char* env = std::getenv("STAYCAST_PG_BINDIR"); env != nullptr && *env != '\0') {
    if (fs::exists(fs::path(env) / "initdb", ec) && fs::exists(fs::path(env) / "pg_ctl", ec)) {
      return std::string(env);
    }
    return FailedPreconditionError(std::string("STAYCAST_PG_BINDIR=") + env +
                                   " holds no initdb and pg_ctl. " + kInstallHint);
  }
  std::string best;
  int best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = entry.path() / "bin";
    if (!fs::exists(bin / "initdb", ec) || !fs::exists(bin / "pg_ctl", ec)) continue;
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version) {
      best_version = version;
      best = bin.string();
    }
  }
  if (best.empty()) {
    return FailedPreconditionError(
        std::string("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin. ") +
        kInstallHint);
  }
  return best;
}

std::string TailOfFile(const std::string& path, size_t max_chars = 1500) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_chars) text = "..." + text.substr(text.size() - max_chars);
  return text;
}

// A port on 127.0.0.1 that was free a moment ago.
StatusOr<int> FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return InternalError("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) return InternalError("cannot find a free port on 127.0.0.1");
  return static_cast<int>(ntohs(addr.sin_port));
}

// Runs argv with stdin from /dev/null and stdout+stderr appended to `log`; kills it after
// `timeout_seconds`. Returns the exit code, or an error if it could not run or timed out.
StatusOr<int> RunProcess(const std::vector<std::string>& argv, const std::string& log,
                         int timeout_seconds) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return InternalError("cannot run " + argv[0] + ": " + std::strerror(rc));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0 && errno != EINTR) return InternalError("waitpid failed for " + argv[0]);
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return UnavailableError(argv[0] + " did not finish within " +
                              std::to_string(timeout_seconds) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool IsDatabaseName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  auto server = std::make_unique<PostgresServer>(Token{});
  RETURN_IF_ERROR(server->Init());
  RETURN_IF_ERROR(server->StartOnFreePort());
  return server;
}

Status PostgresServer::Init() {
  ASSIGN_OR_RETURN(bin_dir_, FindBinDir());
  const passwd* pw = nullptr;
  as_root_ = ::geteuid() == 0;
  if (as_root_) {
    pw = ::getpwnam(kUser);
    if (pw == nullptr) {
      return FailedPreconditionError(
          std::string("running as root, but there is no 'postgres' user to run the server as. ") +
          kInstallHint);
    }
    for (const char* candidate : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"}) {
      if (::access(candidate, X_OK) == 0) {
        runuser_ = candidate;
        break;
      }
    }
    if (runuser_.empty()) return FailedPreconditionError("running as root, but runuser is missing");
  }
  std::string pattern = (fs::temp_directory_path() / "staycast-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return InternalError("cannot create a temp directory for PostgreSQL: " +
                         std::string(std::strerror(errno)));
  }
  dir_ = pattern;
  if (as_root_ && ::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    return InternalError("cannot give " + dir_ + " to the postgres user");
  }
  // From here on, a crash of this process still leaves nothing behind.
  RETURN_IF_ERROR(StartWatchdog());
  return RunTool("initdb",
                 {"-D", dir_ + "/data", "-A", "trust", "-U", kUser, "--no-sync", "--locale=C",
                  "--encoding=UTF8"},
                 /*as_postgres=*/true, kInitdbTimeoutSeconds, "initdb.log");
}

Status PostgresServer::RunTool(const std::string& tool, const std::vector<std::string>& args,
                               bool as_postgres, int timeout_seconds, const std::string& log_name) {
  std::vector<std::string> argv;
  if (as_postgres && as_root_) argv = {runuser_, "-u", kUser, "--"};
  argv.push_back(bin_dir_ + "/" + tool);
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = dir_ + "/" + log_name;
  ASSIGN_OR_RETURN(int code, RunProcess(argv, log, timeout_seconds));
  if (code != 0) {
    return FailedPreconditionError(tool + " failed (exit code " + std::to_string(code) +
                                   "); its output:\n" + TailOfFile(log));
  }
  return OkStatus();
}

Status PostgresServer::StartOnFreePort() {
  Status last;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    ASSIGN_OR_RETURN(port_, FreeLoopbackPort());
    // pg_ctl hands -o to a shell: quote the directory.
    const std::string server_options = "-p " + std::to_string(port_) + " -k '" + dir_ +
                                       "' -c listen_addresses=127.0.0.1 -F"
                                       " -c shared_buffers=16MB -c max_connections=40";
    last = RunTool("pg_ctl",
                   {"-D", dir_ + "/data", "-l", dir_ + "/server.log", "-w", "-t",
                    std::to_string(kStartTimeoutSeconds), "-o", server_options, "start"},
                   /*as_postgres=*/true, kStartTimeoutSeconds + 10, "pg_ctl.log");
    if (last.ok()) {
      running_ = true;
      uri_ = database_uri(kUser);
      return OkStatus();
    }
    // Another process may have taken the port between our check and the server's bind: retry.
    if (TailOfFile(dir_ + "/server.log").find("could not bind") == std::string::npos) break;
  }
  return FailedPreconditionError("cannot start PostgreSQL: " + last.message() + "\nserver log:\n" +
                                 TailOfFile(dir_ + "/server.log"));
}

// A shell that waits on a pipe: if this process dies without saying "done", it stops the server and
// removes the directory, so a crashed test leaves nothing running.
Status PostgresServer::StartWatchdog() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return InternalError("pipe2 failed");
  std::vector<std::string> argv = {
      "/bin/sh", "-c",
      "read -r line; if [ \"$line\" != done ]; then \"$@\" >/dev/null 2>&1; rm -rf -- \"$0\"; fi",
      dir_};
  if (as_root_) argv.insert(argv.end(), {runuser_, "-u", kUser, "--"});
  argv.insert(argv.end(), {bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "stop"});
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // Its own process group, so that a signal to the test's group does not take it down too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  const int rc = posix_spawn(&watchdog_pid_, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    watchdog_pid_ = -1;
    return InternalError("cannot start the PostgreSQL watchdog");
  }
  watchdog_fd_ = fds[1];
  return OkStatus();
}

PostgresServer::~PostgresServer() {
  if (running_) {
    Status stopped = RunTool("pg_ctl",
                             {"-D", dir_ + "/data", "-m", "immediate", "-w", "-t",
                              std::to_string(kStopTimeoutSeconds), "stop"},
                             /*as_postgres=*/true, kStopTimeoutSeconds + 10, "pg_ctl.log");
    if (!stopped.ok()) {
      // Last resort: the postmaster's pid is the first line of postmaster.pid.
      std::ifstream pid_file(dir_ + "/data/postmaster.pid");
      pid_t pid = 0;
      if (pid_file >> pid && pid > 0) ::kill(pid, SIGKILL);
    }
  }
  if (watchdog_fd_ >= 0) {
    const char kDone[] = "done\n";
    if (::write(watchdog_fd_, kDone, sizeof(kDone) - 1) < 0) {
      // The watchdog is gone; nothing more to tell it.
    }
    ::close(watchdog_fd_);
    int status = 0;
    ::waitpid(watchdog_pid_, &status, 0);
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string PostgresServer::database_uri(const std::string& name) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

Status PostgresServer::CreateDatabase(const std::string& name) {
  if (!IsDatabaseName(name)) {
    return InvalidArgumentError("database name '" + name +
                                "' may only hold letters, digits and '_'");
  }
  return RunTool("createdb", {"-h", "127.0.0.1", "-p", std::to_string(port_), "-U", kUser, name},
                 /*as_postgres=*/false, kStartTimeoutSeconds, "createdb.log");
}

StatusOr<PostgresServer*> SharedPostgresServer() {
  // Destroyed at exit, which stops the server.
  static StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  if (!server.ok()) return server.status();
  return server.value().get();
}

}  // namespace staycast::testing
