// `staycast serve`: the HTTP prediction service over registered models or bundles, until SIGTERM
// or SIGINT (in-flight requests finish, the prediction log is flushed).
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "src/cli/command.h"
#include "src/registry/store.h"
#include "src/serve/server.h"
#include "src/serve/service.h"

namespace staycast::cli {
namespace {

struct ServeOptions {
  serve::ServiceOptions service;
  serve::ServerOptions server;
  std::string registry;
  bool no_log = false;
};

Status RunServe(ServeOptions opts) {
  bool needs_registry = !opts.registry.empty() || !opts.service.experiments.empty();
  for (const std::string& m : opts.service.models) {
    StatusOr<serve::ModelRef> ref = serve::ParseModelRef(m);
    if (ref.ok() && !ref->uri.empty()) needs_registry = true;
  }
  if (needs_registry) {
    opts.service.registry_uri =
        opts.registry.empty() ? registry::DefaultRegistryUri() : opts.registry;
  }
  opts.service.prediction_log = !opts.no_log;
  // Signals are taken by one thread with sigwait; every other thread (created below) inherits
  // the blocked mask, so a signal never interrupts a request.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up mid-response must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  ASSIGN_OR_RETURN(std::unique_ptr<serve::Service> service, serve::Service::Create(opts.service));
  serve::Server server(service.get(), opts.server);
  ASSIGN_OR_RETURN(const int port, server.Bind());
  std::printf("staycast serve: listening on http://%s:%d\n", opts.server.host.c_str(), port);
  std::fflush(stdout);
  std::thread waiter([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: finishing in-flight requests and stopping", sig);
    server.Stop();
  });
  Status served = server.Run();
  // If the server ended on its own, wake the waiter so it can be joined (the signal is blocked in
  // every thread, so only its sigwait takes it).
  if (kill(getpid(), SIGTERM) != 0) spdlog::warn("could not wake the signal thread");
  waiter.join();
  Status closed = service->Shutdown();
  if (service->prediction_log() != nullptr) {
    spdlog::info("prediction log: {} rows written, {} dropped",
                 service->prediction_log()->written(), service->prediction_log()->dropped());
  }
  RETURN_IF_ERROR(served);
  return closed;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand(
      "serve", "HTTP prediction service (docs/http-api.md): the same Predictor as predict");
  sub->add_option("--model", opts->service.models,
                  "Model to serve: NAME@ALIAS, NAME/VERSION, models:/..., a bundle path, or "
                  "NAME=PATH (repeatable)");
  sub->add_option("--experiment", opts->service.experiments,
                  "A/B experiment file (arms with weights, shadow arms; repeatable)");
  sub->add_option("--registry", opts->registry, "Registry URI (default: $STAYCAST_REGISTRY ...)");
  sub->add_option("--host", opts->server.host, "Address to listen on")->capture_default_str();
  sub->add_option("--port", opts->server.port, "Port (0: any free port)")->capture_default_str();
  sub->add_option("--threads", opts->server.threads,
                  "Connections served at once (keep-alive connections hold one each)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  sub->add_option("--max-body-bytes", opts->server.max_body_bytes, "Larger bodies get 413")
      ->capture_default_str();
  sub->add_option("--max-instances", opts->service.limits.max_instances,
                  "Most instances in one request")
      ->capture_default_str();
  sub->add_option("--read-timeout-ms", opts->server.read_timeout_ms,
                  "Cut off a client that stops sending for this long")
      ->capture_default_str();
  sub->add_option("--write-timeout-ms", opts->server.write_timeout_ms,
                  "Cut off a client that stops reading for this long")
      ->capture_default_str();
  sub->add_option("--poll-ms", opts->service.poll_interval_ms,
                  "How often registry aliases are checked for moves (0: never)")
      ->capture_default_str();
  sub->add_flag("--no-prediction-log", opts->no_log, "Do not log predictions to the registry");
  sub->callback([opts, action, sub] {
    if (opts->service.models.empty() && opts->service.experiments.empty()) {
      throw CLI::ValidationError("serve", "give at least one --model or --experiment");
    }
    *action = [opts] { return RunServe(*opts); };
  });
  (void)sub;
}

}  // namespace staycast::cli
