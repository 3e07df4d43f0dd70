// HTTP routes and error handling over cpp-httplib (see server.h).
#include "src/serve/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <random>

namespace staycast::serve {
namespace {

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Request ids: the client's X-Request-Id when it is short and printable, else a process prefix
// and a counter.
std::string RequestId(const httplib::Request& req) {
  static const std::string kPrefix = [] {
    std::random_device rd;
    return fmt::format("{:08x}", rd());
  }();
  static std::atomic<uint64_t> counter{0};
  std::string given = req.get_header_value("X-Request-Id");
  constexpr size_t kMaxId = 64;
  if (!given.empty() && given.size() <= kMaxId &&
      std::all_of(given.begin(), given.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      })) {
    return given;
  }
  return kPrefix + "-" + std::to_string(++counter);
}

}  // namespace

Server::Server(Service* service, const ServerOptions& options)
    : service_(service), options_(options), http_(std::make_unique<httplib::Server>()) {
  const int threads = options_.threads;
  http_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));  // NOLINT: httplib owns it
  };
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout_ms / 1000,
                          (options_.read_timeout_ms % 1000) * 1000);
  http_->set_write_timeout(options_.write_timeout_ms / 1000,
                           (options_.write_timeout_ms % 1000) * 1000);
  http_->set_keep_alive_timeout(options_.keep_alive_timeout_s);
  http_->set_keep_alive_max_count(static_cast<size_t>(options_.keep_alive_max_requests));
  http_->set_tcp_nodelay(true);
  InstallRoutes();
}

Server::~Server() = default;

void Server::InstallRoutes() {
  using Clock = std::chrono::steady_clock;
  Service* svc = service_;
  const auto respond = [svc](const char* endpoint, Clock::time_point start, const Reply& reply,
                             httplib::Response& res) {
    res.status = reply.status;
    res.set_content(Dump(reply.body), "application/json");
    svc->metrics().CountRequest(endpoint, reply.status,
                                std::chrono::duration<double>(Clock::now() - start).count());
  };
  http_->Post(R"(/v1/models/([^/]+)/predict)",
              [svc, respond](const httplib::Request& req, httplib::Response& res) {
                const auto start = Clock::now();
                const std::string id = RequestId(req);
                res.set_header("X-Request-Id", id);
                respond("predict", start, svc->Predict(req.matches[1], req.body, false, id), res);
              });
  http_->Post(R"(/v2/models/([^/]+)/infer)",
              [svc, respond](const httplib::Request& req, httplib::Response& res) {
                const auto start = Clock::now();
                const std::string id = RequestId(req);
                res.set_header("X-Request-Id", id);
                respond("infer", start, svc->Predict(req.matches[1], req.body, true, id), res);
              });
  http_->Post("/v1/encounters",
              [svc, respond](const httplib::Request& req, httplib::Response& res) {
                respond("encounters", Clock::now(), svc->PostEncounters(req.body), res);
              });
  http_->Get("/v2/health/live", [respond](const httplib::Request&, httplib::Response& res) {
    respond("health", Clock::now(), Reply{200, {{"live", true}}}, res);
  });
  http_->Get("/v2/health/ready", [svc, respond](const httplib::Request&, httplib::Response& res) {
    respond("health", Clock::now(), svc->Ready(), res);
  });
  http_->Get("/v2", [respond](const httplib::Request&, httplib::Response& res) {
    respond(
        "metadata", Clock::now(),
        Reply{200,
              {{"name", "staycast"}, {"version", "1"}, {"extensions", nlohmann::json::array()}}},
        res);
  });
  http_->Get(R"(/v2/models/([^/]+))",
             [svc, respond](const httplib::Request& req, httplib::Response& res) {
               respond("metadata", Clock::now(), svc->ModelMetadata(req.matches[1]), res);
             });
  http_->Get(R"(/v2/models/([^/]+)/ready)",
             [svc, respond](const httplib::Request& req, httplib::Response& res) {
               Reply r = svc->ModelMetadata(req.matches[1]);
               if (r.status == 200) r.body = {{"name", req.matches[1]}, {"ready", true}};
               respond("health", Clock::now(), r, res);
             });
  http_->Get("/v1/models", [svc, respond](const httplib::Request&, httplib::Response& res) {
    respond("models", Clock::now(), svc->ListModels(), res);
  });
  http_->Get("/metrics", [svc](const httplib::Request&, httplib::Response& res) {
    PredictionLog* log = svc->prediction_log();
    if (log != nullptr)
      svc->metrics().SetLogCounters(log->written(), log->dropped(), log->queued());
    res.set_content(svc->metrics().Render(), "text/plain; version=0.0.4");
  });
  // Failures httplib produces itself (no route, body over the limit, unreadable request) and
  // handler exceptions get the same JSON error body as everything else.
  const size_t max_body = options_.max_body_bytes;
  const httplib::Server::HandlerWithResponse on_error = [svc, max_body](const httplib::Request& req,
                                                                        httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ApiError e{res.status, kBadRequest, "bad request", ""};
    if (res.status == 404) {
      e = ApiError{404, kNotFound, "no endpoint " + req.method + " " + req.path, ""};
    } else if (res.status == 413) {
      e = ApiError{413, kPayloadTooLarge,
                   fmt::format("the body is larger than {} bytes (--max-body-bytes)", max_body),
                   ""};
    } else if (res.status == 408) {
      e = ApiError{408, kTimeout, "the request was not received in time", ""};
    } else if (res.status >= 500) {
      e = ApiError{res.status, kInternal, "internal error", ""};
    }
    svc->metrics().CountError(e.code);
    svc->metrics().CountRequest("other", res.status, 0);
    res.set_content(Dump(e.ToJson()), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  };
  http_->set_error_handler(on_error);
  http_->set_exception_handler(
      [svc](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("request failed with an exception: {}", what);
        const ApiError e{500, kInternal, "internal error; see the server log", ""};
        svc->metrics().CountError(e.code);
        res.status = 500;
        res.set_content(Dump(e.ToJson()), "application/json");
      });
}

StatusOr<int> Server::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port < 0) return UnavailableError("cannot bind " + options_.host + " to any port");
  } else if (!http_->bind_to_port(options_.host, port)) {
    return UnavailableError(
        fmt::format("cannot listen on {}:{} (in use, or not permitted?)", options_.host, port));
  }
  return port;
}

Status Server::Run() {
  if (!http_->listen_after_bind()) {
    // listen_after_bind returns false also after Stop() closed the socket; both end serving.
    if (http_->is_valid()) return OkStatus();
    return UnavailableError("the server stopped unexpectedly");
  }
  return OkStatus();
}

void Server::Stop() { http_->stop(); }

}  // namespace staycast::serve
