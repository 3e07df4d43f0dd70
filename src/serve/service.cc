// Service set-up, model metadata, the encounter endpoint and the alias watcher (scoring is in
// service_predict.cc).
#include "src/serve/service.h"

#include <spdlog/spdlog.h>

#include <random>

#include "src/registry/encounters.h"
#include "src/registry/registry.h"

namespace staycast::serve {
namespace {

std::string RandomHex(size_t bytes) {
  std::random_device rd;
  std::string out;
  constexpr const char* kHex = "0123456789abcdef";
  for (size_t i = 0; i < bytes; ++i) {
    const unsigned v = rd() & 0xffU;
    out += kHex[v >> 4];
    out += kHex[v & 0xfU];
  }
  return out;
}

const char* V2Datatype(const std::string& type) { return type == "numeric" ? "FP64" : "BYTES"; }

}  // namespace

StatusOr<std::unique_ptr<Service>> Service::Create(const ServiceOptions& options) {
  std::unique_ptr<Service> s(new Service());  // NOLINT: private constructor
  s->options_ = options;
  std::unique_ptr<registry::Registry> reg;
  if (!options.registry_uri.empty()) {
    registry::RegistryOptions ropts;
    ropts.create_if_missing = false;
    ASSIGN_OR_RETURN(reg, registry::Registry::Open(options.registry_uri, ropts));
  }
  for (const std::string& text : options.models) {
    RETURN_IF_ERROR(s->AddSlot(text, reg.get()));
    const std::string& name = s->slots_.at(text)->Get()->ref.name;
    Route& route = s->routes_[name];
    if (!route.arms.empty() && route.arms[0] != text) {
      return InvalidArgumentError("--model " + route.arms[0] + " and --model " + text +
                                  " both serve '" + name +
                                  "'; split traffic between them with --experiment");
    }
    route.arms = {text};
  }
  for (const std::string& path : options.experiments) {
    ASSIGN_OR_RETURN(Experiment exp, LoadExperiment(path));
    Route route;
    for (const ExperimentArm& arm : exp.arms) {
      RETURN_IF_ERROR(s->AddSlot(arm.model, reg.get()).WithContext(path));
      route.arms.push_back(arm.model);
    }
    for (const std::string& shadow : exp.shadows) {
      RETURN_IF_ERROR(s->AddSlot(shadow, reg.get()).WithContext(path));
      route.shadows.push_back(shadow);
    }
    route.experiment = exp;
    s->routes_[exp.name] = std::move(route);
  }
  if (s->routes_.empty())
    return InvalidArgumentError("nothing to serve: give --model or --experiment");
  if (reg != nullptr) {
    s->salt_ = RandomHex(16);
    ASSIGN_OR_RETURN(s->salt_,
                     registry::GetOrCreateSetting(reg->store(), "patient_hash_salt", s->salt_));
    if (options.prediction_log) {
      ASSIGN_OR_RETURN(s->log_, PredictionLog::Open(options.registry_uri, options.log));
    }
    bool watched = false;
    for (const auto& [key, slot] : s->slots_) watched |= !slot->Get()->ref.alias.empty();
    s->watch_registry_ = std::move(reg);
    if (watched && options.poll_interval_ms > 0) {
      s->watcher_ = std::thread([p = s.get()] { p->WatchLoop(); });
    }
  }
  return s;
}

Service::~Service() { Shutdown().IgnoreError(); }

Status Service::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    stopping_ = true;
  }
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  if (log_ != nullptr) return log_->Close();
  return OkStatus();
}

Status Service::AddSlot(const std::string& ref_text, registry::Registry* registry) {
  if (slots_.count(ref_text) > 0) return OkStatus();
  ASSIGN_OR_RETURN(ModelRef ref, ParseModelRef(ref_text));
  ASSIGN_OR_RETURN(std::shared_ptr<const LoadedModel> model, LoadServedModel(ref, registry));
  spdlog::info("serving {} as '{}' (version {}, {})", ref_text, ref.name, model->version,
               models::TaskName(model->predictor->task()));
  slots_[ref_text] = std::make_unique<ModelSlot>(std::move(model));
  return OkStatus();
}

void Service::WatchLoop() {
  std::unique_lock<std::mutex> lock(watch_mu_);
  while (!stopping_) {
    watch_cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                       [&] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    RefreshAliases();
    lock.lock();
  }
}

void Service::RefreshAliases() {
  if (watch_registry_ == nullptr) return;
  for (auto& [key, slot] : slots_) {
    std::shared_ptr<const LoadedModel> current = slot->Get();
    const ModelRef& ref = current->ref;
    if (ref.alias.empty()) continue;
    StatusOr<int> version = watch_registry_->GetAlias(ref.name, ref.alias);
    if (!version.ok()) {
      spdlog::warn("{}: cannot read the alias: {}", key, version.status().message());
      continue;
    }
    if (*version == current->version) continue;
    StatusOr<std::shared_ptr<const LoadedModel>> next = LoadServedModel(ref, watch_registry_.get());
    if (!next.ok()) {
      spdlog::error("{}: alias moved to version {} but it cannot be loaded; still serving {}: {}",
                    key, *version, current->version, next.status().message());
      continue;
    }
    spdlog::info("{}: alias moved, now serving version {} (was {})", key, (*next)->version,
                 current->version);
    slot->Set(std::move(*next));
    metrics_.CountReload(key);
  }
}

std::unique_ptr<registry::Store> Service::AcquireStore() {
  {
    std::lock_guard<std::mutex> lock(stores_mu_);
    if (!stores_.empty()) {
      std::unique_ptr<registry::Store> s = std::move(stores_.back());
      stores_.pop_back();
      return s;
    }
  }
  StatusOr<std::unique_ptr<registry::Store>> s = registry::OpenStore(options_.registry_uri);
  if (!s.ok()) {
    spdlog::error("encounter store: {}", s.status().message());
    return nullptr;
  }
  return std::move(*s);
}

void Service::ReleaseStore(std::unique_ptr<registry::Store> store) {
  if (store == nullptr) return;
  std::lock_guard<std::mutex> lock(stores_mu_);
  stores_.push_back(std::move(store));
}

Reply Service::Ready() { return {200, {{"ready", true}, {"models", routes_.size()}}}; }

Reply Service::ListModels() {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& [name, route] : routes_) {
    nlohmann::json arms = nlohmann::json::array();
    for (size_t i = 0; i < route.arms.size(); ++i) {
      std::shared_ptr<const LoadedModel> m = slots_.at(route.arms[i])->Get();
      nlohmann::json a = {{"model", route.arms[i]},
                          {"version", m->version},
                          {"alias", m->ref.alias},
                          {"task", models::TaskName(m->predictor->task())}};
      if (route.experiment) a["weight"] = route.experiment->arms[i].weight;
      arms.push_back(a);
    }
    nlohmann::json entry = {{"name", name}, {"arms", arms}};
    if (!route.shadows.empty()) entry["shadows"] = route.shadows;
    models.push_back(entry);
  }
  return {200, {{"models", models}}};
}

Reply Service::ModelMetadata(const std::string& name) {
  const auto it = routes_.find(name);
  if (it == routes_.end()) {
    const ApiError e{404, kModelNotFound, "no served model named '" + name + "'", ""};
    metrics_.CountError(e.code);
    return {e.http_status, e.ToJson()};
  }
  std::shared_ptr<const LoadedModel> m = slots_.at(it->second.arms[0])->Get();
  const bundle::Predictor& p = *m->predictor;
  nlohmann::json inputs = nlohmann::json::array();
  const nlohmann::json& schema = p.input_schema();
  if (schema.contains("columns")) {
    for (const nlohmann::json& c : schema["columns"]) {
      const std::string type = c.value("type", "numeric");
      nlohmann::json params = {{"type", type},
                               {"role", c.value("role", "")},
                               {"available", c.value("available", "")},
                               {"required", c.value("required", false)}};
      if (c.contains("categories")) {
        nlohmann::json cats = nlohmann::json::array();
        for (const auto& [cat, share] : c["categories"].items()) cats.push_back(cat);
        params["categories"] = cats;
      }
      if (c.contains("range")) params["range"] = c["range"];
      if (c.contains("missing_rate")) params["missing_rate"] = c["missing_rate"];
      inputs.push_back({{"name", c.value("name", "")},
                        {"datatype", V2Datatype(type)},
                        {"shape", {-1}},
                        {"parameters", params}});
    }
  }
  nlohmann::json outputs = nlohmann::json::array();
  nlohmann::json params = {{"task", models::TaskName(p.task())},
                           {"alias", m->ref.alias},
                           {"model_type", p.metadata().value("chosen", std::string())},
                           {"target", p.metadata().value("target", std::string())}};
  if (p.task() == models::Task::kClassification) {
    outputs.push_back({{"name", "probability"}, {"datatype", "FP64"}, {"shape", {-1}}});
    outputs.push_back({{"name", "decision"}, {"datatype", "INT64"}, {"shape", {-1}}});
    outputs.push_back({{"name", "risk_band"}, {"datatype", "BYTES"}, {"shape", {-1}}});
    params["threshold"] = p.threshold();
  } else {
    for (const char* o : {"prediction", "lower", "upper"}) {
      outputs.push_back({{"name", o}, {"datatype", "FP64"}, {"shape", {-1}}});
    }
    params["coverage"] = p.coverage();
  }
  outputs.push_back({{"name", "version"}, {"datatype", "INT64"}, {"shape", {-1}}});
  outputs.push_back({{"name", "warnings"}, {"datatype", "BYTES"}, {"shape", {-1}}});
  return {200,
          {{"name", name},
           {"versions", {std::to_string(m->version)}},
           {"platform", "staycast"},
           {"inputs", inputs},
           {"outputs", outputs},
           {"parameters", params}}};
}

Reply Service::PostEncounters(std::string_view body) {
  const auto fail = [&](const ApiError& e) {
    metrics_.CountError(e.code);
    return Reply{e.http_status, e.ToJson()};
  };
  if (options_.registry_uri.empty()) {
    return fail(ApiError{409, kBadRequest, "the encounter store needs --registry", ""});
  }
  ApiResult<nlohmann::json> parsed = ParseJsonBody(body);
  if (!parsed.ok()) return fail(parsed.error());
  nlohmann::json& j = parsed.value();
  std::vector<nlohmann::json> records;
  if (j.is_object() && j.contains("encounters")) {
    if (!j["encounters"].is_array()) {
      return fail(BadRequest(kWrongType, "encounters must be an array", "encounters"));
    }
    for (nlohmann::json& e : j["encounters"]) records.push_back(std::move(e));
  } else {
    records.push_back(std::move(j));
  }
  if (records.empty()) return fail(BadRequest(kEmptyRequest, "no encounters"));
  if (records.size() > options_.limits.max_instances) {
    return fail(BadRequest(kTooManyInstances, "too many encounters in one request"));
  }
  // The id and patient columns, and the field types, of the first served model.
  std::shared_ptr<const LoadedModel> m = slots_.begin()->second->Get();
  const std::string id_col = m->predictor->config().IdColumn();
  const std::string entity_col = m->predictor->config().EntityColumn();
  if (id_col.empty() || entity_col.empty()) {
    return fail(ApiError{409, kBadRequest,
                         "the served model declares no id and entity (patient) columns", ""});
  }
  std::vector<registry::Encounter> encounters;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!records[i].is_object()) {
      return fail(BadRequest(kWrongType, "each encounter must be an object", "encounters"));
    }
    registry::Encounter e;
    const auto id = records[i].find(id_col);
    const auto patient = records[i].find(entity_col);
    if (id == records[i].end() || !CategoryText(*id, &e.encounter_id) || e.encounter_id.empty()) {
      return fail(BadRequest(
          kWrongType,
          "encounter " + std::to_string(i) + ": '" + id_col + "' (the encounter id) is required",
          id_col));
    }
    if (patient == records[i].end() || !CategoryText(*patient, &e.patient_id) ||
        e.patient_id.empty()) {
      return fail(BadRequest(
          kWrongType,
          "encounter " + std::to_string(i) + ": '" + entity_col + "' (the patient id) is required",
          entity_col));
    }
  }
  // Field types are checked as a predict request's would be.
  ApiResult<data::Table> typed = m->input.ToTable(records, nullptr);
  if (!typed.ok()) return fail(typed.error());
  for (nlohmann::json& r : records) {
    registry::Encounter e;
    CategoryText(r[id_col], &e.encounter_id);
    CategoryText(r[entity_col], &e.patient_id);
    e.fields = std::move(r);
    encounters.push_back(std::move(e));
  }
  std::unique_ptr<registry::Store> store = AcquireStore();
  if (store == nullptr) return fail(ApiError{503, kUnavailable, "encounter store unavailable", ""});
  registry::EncounterStore es(store.get());
  StatusOr<int> created = es.Upsert(encounters);
  ReleaseStore(std::move(store));
  if (!created.ok()) return fail(FromStatus(created.status()));
  return {200, {{"stored", encounters.size()}, {"new", *created}}};
}

}  // namespace staycast::serve
