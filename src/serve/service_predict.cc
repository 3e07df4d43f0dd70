// Service::Predict: route instances to arms, add history from the encounter store, score through
// the bundle's Predictor, log, and shape the v1 or v2 response.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <set>

#include "src/registry/encounters.h"
#include "src/serve/service.h"

namespace staycast::serve {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Predictor warnings are sentences; the response also gives their kind and field.
nlohmann::json WarningJson(const std::string& w) {
  std::string kind = "other";
  std::string field;
  if (w.ends_with(" missing: imputed")) {
    kind = "imputed";
    field = w.substr(0, w.size() - std::string_view(" missing: imputed").size());
  } else if (w.starts_with("unknown ")) {
    kind = "unknown_category";
    field = w.substr(8, w.find(' ', 8) - 8);
  } else if (w.find(" outside training range ") != std::string::npos) {
    kind = "out_of_range";
    field = w.substr(0, w.find(' '));
  }
  return {{"kind", kind}, {"field", field}, {"message", w}};
}

const char* RiskBand(double p, double prevalence, double threshold) {
  if (p >= threshold) return "high";
  if (p >= prevalence) return "medium";
  return "low";
}

nlohmann::json FeatureRow(const models::Matrix& x, size_t r) {
  nlohmann::json row = nlohmann::json::array();
  for (size_t j = 0; j < x.cols; ++j) {
    const float v = x.values[r * x.cols + j];
    row.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json());
  }
  return row;
}

// One row's top contributions, in the units of the raw score: days for regression, log-odds of
// the uncalibrated model for classification. bias + sum(top) + rest == raw_score.
nlohmann::json ExplanationJson(const explain::RowExplanation& e, bool log_odds) {
  nlohmann::json top = nlohmann::json::array();
  for (const explain::GroupContribution& g : e.top) {
    top.push_back({{"feature", g.name}, {"contribution", g.value}});
  }
  return {{"units", log_odds ? "log_odds" : "days"},
          {"raw_score", e.raw_score},
          {"bias", e.bias},
          {"top", std::move(top)},
          {"rest", e.rest}};
}

}  // namespace

std::string Service::PatientKey(const LoadedModel& model, const nlohmann::json& record) const {
  const std::string entity = model.predictor->config().EntityColumn();
  std::string key;
  if (entity.empty()) return key;
  const auto it = record.find(entity);
  if (it != record.end()) CategoryText(*it, &key);
  return key;
}

ApiResult<bool> Service::LoadHistory(const LoadedModel& model,
                                     const std::vector<nlohmann::json>& records,
                                     data::Table* history) {
  const features::RunConfig& config = model.predictor->config();
  const std::string id_col = config.IdColumn();
  std::vector<std::string> patients;
  std::set<std::string> request_ids;
  for (const nlohmann::json& r : records) {
    std::string key = PatientKey(model, r);
    if (!key.empty()) patients.push_back(std::move(key));
    std::string id;
    if (!id_col.empty() && r.contains(id_col) && CategoryText(r[id_col], &id)) {
      request_ids.insert(id);
    }
  }
  if (patients.empty()) return false;
  std::sort(patients.begin(), patients.end());
  patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
  std::unique_ptr<registry::Store> store = AcquireStore();
  if (store == nullptr) return ApiError{503, kUnavailable, "encounter store unavailable", ""};
  registry::EncounterStore es(store.get());
  StatusOr<std::vector<registry::Encounter>> found = es.ForPatients(patients);
  ReleaseStore(std::move(store));
  if (!found.ok()) return FromStatus(found.status());
  std::vector<nlohmann::json> rows;
  for (registry::Encounter& e : *found) {
    // The stay being scored is the request's row, not history, even when it is already stored.
    if (request_ids.count(e.encounter_id) > 0) continue;
    rows.push_back(std::move(e.fields));
  }
  if (rows.empty()) return false;
  ApiResult<data::Table> table = model.input.ToTable(rows, nullptr);
  if (!table.ok()) {
    return ApiError{500, kInternal, "stored encounters do not fit the model's input types", ""};
  }
  *history = std::move(table.value());
  return true;
}

ApiResult<Service::Scored> Service::Score(const LoadedModel& model,
                                          const std::vector<nlohmann::json>& records,
                                          const std::string& request_id, const std::string& arm,
                                          bool shadow, int explain_top_k) {
  std::vector<std::vector<std::string>> ignored;
  ApiResult<data::Table> table = model.input.ToTable(records, &ignored);
  if (!table.ok()) return table.error();
  data::Table history;
  bool has_history = false;
  if (model.uses_history && !options_.registry_uri.empty()) {
    ApiResult<bool> loaded = LoadHistory(model, records, &history);
    if (!loaded.ok()) return loaded.error();
    has_history = loaded.value();
  }
  const bundle::Predictor& p = *model.predictor;
  StatusOr<bundle::Predictions> pred = p.Predict(table.value(), has_history ? &history : nullptr);
  if (!pred.ok()) {
    spdlog::error("{}: scoring failed: {}", arm, pred.status().message());
    return FromStatus(pred.status());
  }
  std::optional<bundle::Explanations> explanations;
  if (explain_top_k > 0) {
    StatusOr<bundle::Explanations> e =
        p.Explain(table.value(), has_history ? &history : nullptr, explain_top_k);
    if (!e.ok()) {
      if (e.status().code() == StatusCode::kFailedPrecondition) {
        return BadRequest(kExplainUnavailable,
                          "model '" + model.ref.name + "' (" + p.model().type() +
                              ") has no per-row contributions; send the request without "
                              "\"explain\"",
                          "explain");
      }
      spdlog::error("{}: explaining failed: {}", arm, e.status().message());
      return FromStatus(e.status());
    }
    explanations = std::move(e.value());
  }
  const bool classification = p.task() == models::Task::kClassification;
  const double prevalence = p.metadata().contains("metrics")
                                ? p.metadata()["metrics"]
                                      .value("test", nlohmann::json::object())
                                      .value("prevalence", p.threshold() / 2)
                                : p.threshold() / 2;
  Scored out;
  out.outputs.reserve(records.size());
  const int64_t now = NowMs();
  for (size_t r = 0; r < records.size(); ++r) {
    nlohmann::json o = {{"model", model.ref.name},
                        {"version", model.version},
                        {"alias", model.ref.alias},
                        {"arm", arm}};
    if (classification) {
      o["probability"] = pred->value[r];
      o["risk_band"] = RiskBand(pred->value[r], prevalence, p.threshold());
      o["decision"] = pred->decision[r];
      o["threshold"] = p.threshold();
    } else {
      o["prediction"] = pred->value[r];
      if (!pred->lower.empty()) {
        o["interval"] = {
            {"lower", pred->lower[r]}, {"upper", pred->upper[r]}, {"coverage", p.coverage()}};
      }
    }
    nlohmann::json warnings = nlohmann::json::array();
    for (const std::string& w : pred->warnings[r]) {
      nlohmann::json wj = WarningJson(w);
      if (wj["kind"] == "imputed") metrics_.CountImputed(model.ref.name, wj["field"], 1);
      warnings.push_back(std::move(wj));
    }
    for (const std::string& f : ignored[r]) {
      warnings.push_back({{"kind", "ignored_field"},
                          {"field", f},
                          {"message", "unknown field " + f + " ignored"}});
    }
    o["warnings"] = std::move(warnings);
    if (explanations.has_value()) {
      o["explanation"] = ExplanationJson(explanations->rows[r], explanations->log_odds);
    }
    if (log_ != nullptr) {
      PredictionRecord rec;
      rec.at_ms = now;
      rec.request_id = request_id;
      rec.model = model.ref.name;
      rec.version = model.version;
      rec.alias = model.ref.alias;
      rec.arm = arm;
      rec.shadow = shadow;
      const std::string patient = PatientKey(model, records[r]);
      if (!patient.empty()) rec.patient_hash = PatientHash(salt_, patient);
      rec.features = FeatureRow(pred->features, r).dump();
      nlohmann::json output = o;
      output.erase("warnings");
      output.erase("explanation");
      output.erase("model");
      output.erase("arm");
      rec.output = output.dump();
      nlohmann::json texts = pred->warnings[r];
      rec.warnings = texts.dump();
      log_->Append(std::move(rec));
    }
    out.outputs.push_back(std::move(o));
  }
  metrics_.CountPredictions(model.ref.name, model.version, arm, shadow,
                            static_cast<int64_t>(records.size()));
  return out;
}

Reply Service::Predict(const std::string& name, std::string_view body, bool v2,
                       const std::string& request_id) {
  const auto fail = [&](const ApiError& e) {
    metrics_.CountError(e.code);
    return Reply{e.http_status, e.ToJson()};
  };
  const auto route_it = routes_.find(name);
  if (route_it == routes_.end()) {
    std::string served;
    for (const auto& [n, r] : routes_) served += (served.empty() ? "" : ", ") + n;
    return fail(ApiError{404, kModelNotFound,
                         "no served model named '" + name + "' (serving: " + served + ")", ""});
  }
  const Route& route = route_it->second;
  ApiResult<PredictRequest> req =
      v2 ? ParseV2Request(body, options_.limits) : ParseV1Request(body, options_.limits);
  if (!req.ok()) return fail(req.error());
  std::vector<nlohmann::json>& records = req.value().records;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!records[i].is_object()) {
      return fail(BadRequest(kWrongType, fmt::format("instance {} is not an object", i)));
    }
  }
  // Models are taken once per request, so a concurrent alias move cannot mix versions within an
  // arm of one request.
  std::vector<std::shared_ptr<const LoadedModel>> arms;
  for (const std::string& a : route.arms) arms.push_back(slots_.at(a)->Get());
  std::vector<std::vector<size_t>> groups(arms.size());
  if (arms.size() == 1) {
    groups[0].resize(records.size());
    for (size_t i = 0; i < records.size(); ++i) groups[0][i] = i;
  } else {
    for (size_t i = 0; i < records.size(); ++i) {
      std::string key = PatientKey(*arms[0], records[i]);
      if (key.empty()) key = request_id + "#" + std::to_string(i);
      groups[route.experiment->Route(key)].push_back(i);
    }
  }
  std::vector<nlohmann::json> outputs(records.size());
  for (size_t a = 0; a < arms.size(); ++a) {
    if (groups[a].empty()) continue;
    std::vector<nlohmann::json> subset;
    const bool all = groups[a].size() == records.size();
    if (!all) {
      for (size_t i : groups[a]) subset.push_back(records[i]);
    }
    ApiResult<Scored> scored = Score(*arms[a], all ? records : subset, request_id, route.arms[a],
                                     false, req.value().explain ? req.value().top_k : 0);
    if (!scored.ok()) return fail(scored.error());
    for (size_t k = 0; k < groups[a].size(); ++k) {
      outputs[groups[a][k]] = std::move(scored.value().outputs[k]);
    }
  }
  for (const std::string& shadow : route.shadows) {
    std::shared_ptr<const LoadedModel> m = slots_.at(shadow)->Get();
    ApiResult<Scored> scored = Score(*m, records, request_id, shadow, true, 0);
    if (!scored.ok()) metrics_.CountError("shadow_" + scored.error().code);
  }
  if (!v2) return {200, {{"request_id", request_id}, {"predictions", std::move(outputs)}}};

  // Open Inference Protocol response: one output tensor per quantity.
  const bool classification = arms[0]->predictor->task() == models::Task::kClassification;
  const size_t n = outputs.size();
  const auto column = [&](const char* name, const char* key, const char* sub, const char* type) {
    nlohmann::json data = nlohmann::json::array();
    for (const nlohmann::json& o : outputs) {
      const nlohmann::json* v = o.contains(key) ? &o[key] : nullptr;
      if (v != nullptr && sub != nullptr) v = v->contains(sub) ? &(*v)[sub] : nullptr;
      data.push_back(v == nullptr ? nlohmann::json() : *v);
    }
    return nlohmann::json{{"name", name}, {"datatype", type}, {"shape", {n}}, {"data", data}};
  };
  nlohmann::json tensors = nlohmann::json::array();
  if (classification) {
    tensors.push_back(column("probability", "probability", nullptr, "FP64"));
    tensors.push_back(column("decision", "decision", nullptr, "INT64"));
    tensors.push_back(column("risk_band", "risk_band", nullptr, "BYTES"));
  } else {
    tensors.push_back(column("prediction", "prediction", nullptr, "FP64"));
    tensors.push_back(column("lower", "interval", "lower", "FP64"));
    tensors.push_back(column("upper", "interval", "upper", "FP64"));
  }
  tensors.push_back(column("version", "version", nullptr, "INT64"));
  nlohmann::json warnings = nlohmann::json::array();
  for (const nlohmann::json& o : outputs) warnings.push_back(o["warnings"].dump());
  tensors.push_back(
      {{"name", "warnings"}, {"datatype", "BYTES"}, {"shape", {n}}, {"data", warnings}});
  if (req.value().explain) {
    nlohmann::json explained = nlohmann::json::array();
    for (const nlohmann::json& o : outputs) explained.push_back(o["explanation"].dump());
    tensors.push_back(
        {{"name", "explanation"}, {"datatype", "BYTES"}, {"shape", {n}}, {"data", explained}});
  }
  nlohmann::json body_out = {
      {"model_name", name},
      {"model_version", std::to_string(arms[0]->version)},
      {"outputs", tensors},
      {"parameters", {{"request_id", request_id}, {"alias", arms[0]->ref.alias}}}};
  if (!req.value().id.empty()) body_out["id"] = req.value().id;
  return {200, body_out};
}

}  // namespace staycast::serve
