// The HTTP layer of `staycast serve` over cpp-httplib: maps paths to the Service, applies body
// limits and timeouts, turns every failure into a JSON error body, and measures latency. Stop()
// closes the listening socket and lets in-flight requests finish.
#pragma once

#include <memory>
#include <string>

#include "src/core/status.h"
#include "src/serve/service.h"

namespace httplib {
class Server;
}

namespace staycast::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0: any free port (see Bind)
  int threads = 16;  // connections served at once (a keep-alive connection holds a thread)
  size_t max_body_bytes = 1 << 20;
  int read_timeout_ms = 5000;   // a client that stops sending mid-request is cut off after this
  int write_timeout_ms = 5000;  // ... or stops reading the response
  int keep_alive_timeout_s = 5;
  int keep_alive_max_requests = 100000;
};

class Server {
 public:
  Server(Service* service, const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (useful with port 0).
  StatusOr<int> Bind();
  // Serves until Stop(); returns when every in-flight request has finished.
  Status Run();
  // Safe from any thread (e.g. a signal-waiting thread).
  void Stop();

 private:
  void InstallRoutes();

  Service* service_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace staycast::serve
