// Service: the HTTP-independent core of `staycast serve`. Owns the served models (swapped live
// when their registry alias moves), the A/B routes, the encounter store connections, the
// prediction log and the metrics; turns request bodies into JSON replies. The HTTP layer
// (server.h) only maps paths to these methods. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "src/core/status.h"
#include "src/registry/store.h"
#include "src/serve/api_error.h"
#include "src/serve/experiment.h"
#include "src/serve/metrics.h"
#include "src/serve/prediction_log.h"
#include "src/serve/request.h"
#include "src/serve/served_model.h"

namespace staycast::serve {

struct ServiceOptions {
  // Registry database; empty: none (bundle paths only, no prediction log, no encounter store).
  std::string registry_uri;
  std::vector<std::string> models;       // --model references
  std::vector<std::string> experiments;  // --experiment files
  RequestLimits limits;
  int poll_interval_ms = 1000;  // how often aliases are checked for moves; <= 0: never
  bool prediction_log = true;
  PredictionLogOptions log;
};

struct Reply {
  int status = 200;
  nlohmann::json body;
};

class Service {
 public:
  static StatusOr<std::unique_ptr<Service>> Create(const ServiceOptions& options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // POST /v1/models/{name}/predict and /v2/models/{name}/infer.
  Reply Predict(const std::string& name, std::string_view body, bool v2,
                const std::string& request_id);
  // GET /v2/models/{name}, GET /v1/models, GET /v2/health/ready.
  Reply ModelMetadata(const std::string& name);
  Reply ListModels();
  Reply Ready();
  // POST /v1/encounters: {"encounters": [{...fields...}]} or one encounter object.
  Reply PostEncounters(std::string_view body);

  Metrics& metrics() { return metrics_; }
  // Checks every alias once and swaps models whose alias moved (the watcher calls this).
  void RefreshAliases();
  // Stops the alias watcher and flushes the prediction log. Idempotent.
  Status Shutdown();
  PredictionLog* prediction_log() { return log_.get(); }

 private:
  struct Route {
    std::vector<std::string> arms;  // slot keys (reference texts)
    std::vector<std::string> shadows;
    std::optional<Experiment> experiment;
  };
  struct Scored {
    std::vector<nlohmann::json> outputs;  // one per record
  };

  Service() = default;
  Status AddSlot(const std::string& ref_text, registry::Registry* registry);
  ApiResult<Scored> Score(const LoadedModel& model, const std::vector<nlohmann::json>& records,
                          const std::string& request_id, const std::string& arm, bool shadow,
                          int explain_top_k);
  ApiResult<bool> LoadHistory(const LoadedModel& model, const std::vector<nlohmann::json>& records,
                              data::Table* history);
  std::unique_ptr<registry::Store> AcquireStore();
  void ReleaseStore(std::unique_ptr<registry::Store> store);
  void WatchLoop();
  std::string PatientKey(const LoadedModel& model, const nlohmann::json& record) const;

  ServiceOptions options_;
  std::map<std::string, std::unique_ptr<ModelSlot>> slots_;  // fixed after Create
  std::map<std::string, Route> routes_;                      // fixed after Create
  Metrics metrics_;
  std::unique_ptr<PredictionLog> log_;
  std::string salt_;

  std::mutex stores_mu_;
  std::vector<std::unique_ptr<registry::Store>> stores_;

  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  bool stopping_ = false;
  std::thread watcher_;
  std::unique_ptr<registry::Registry> watch_registry_;  // used by the watcher thread only
};

}  // namespace staycast::serve
