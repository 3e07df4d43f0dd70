// A throw-away PostgreSQL server for tests: initdb in a temp directory, started on a free loopback
// port, stopped and removed when the object is destroyed (and by a watchdog if the test crashes).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::testing {

// One running server, trust authentication for the user "postgres", listening on 127.0.0.1 only
// (plus a Unix socket in its temp directory). Not thread-safe; tests share one per process through
// SharedPostgresServer().
class PostgresServer {
 public:
  struct Token {};  // Only Start() constructs a server.
  explicit PostgresServer(Token) {}

  // Finds the binaries under /usr/lib/postgresql/*/bin (or $STAYCAST_PG_BINDIR), runs initdb (as
  // the user "postgres" via runuser when running as root) and starts the server, waiting (bounded)
  // until it accepts connections. FailedPrecondition when PostgreSQL is not installed: the message
  // says to run scripts/install-deps.sh.
  static StatusOr<std::unique_ptr<PostgresServer>> Start();

  // Stops the server (immediate shutdown) and removes its directory.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // "postgresql://postgres@127.0.0.1:PORT/postgres": the default database.
  const std::string& uri() const { return uri_; }
  // The URI of another database on this server (see CreateDatabase).
  std::string database_uri(const std::string& name) const;
  // Creates an empty database; `name` may hold letters, digits and '_'.
  Status CreateDatabase(const std::string& name);

 private:
  Status Init();
  Status StartOnFreePort();
  Status StartWatchdog();
  Status RunTool(const std::string& tool, const std::vector<std::string>& args, bool as_postgres,
                 int timeout_seconds, const std::string& log_name);

  std::string bin_dir_;
  std::string dir_;  // Temp directory: data/, the socket, logs.
  bool as_root_ = false;
  std::string runuser_;
  int port_ = 0;
  std::string uri_;
  bool running_ = false;
  int watchdog_fd_ = -1;  // Write end of the pipe the watchdog reads.
  pid_t watchdog_pid_ = -1;
};

// The server shared by every test in this process: started on first use, stopped at exit. A
// failed start is remembered, so each test that needs it fails with the same message.
StatusOr<PostgresServer*> SharedPostgresServer();

}  // namespace staycast::testing
