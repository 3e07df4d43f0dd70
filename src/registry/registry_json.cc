// JSON forms of registry records.
#include "src/registry/registry_json.h"

namespace staycast::registry {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json TimeOrNull(const std::optional<Timestamp>& t) {
  return t ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json();
}

}  // namespace

nlohmann::json ToJson(const Run& run) {
  nlohmann::json j;
  j["id"] = run.id;
  j["name"] = run.name;
  j["status"] = RunStatusName(run.status);
  j["config"] = run.config;
  j["params"] = run.params;
  j["data_fingerprint"] = run.data_fingerprint;
  j["staycast_version"] = run.staycast_version;
  j["seed"] = OrNull(run.seed);
  j["tags"] = run.tags;
  j["user"] = run.user;
  j["start_time"] = FormatTimestamp(run.start_time);
  j["end_time"] = TimeOrNull(run.end_time);
  j["bundle_path"] = run.bundle_path;
  j["error"] = run.error;
  j["pid"] = run.pid;
  j["host"] = run.host;
  j["heartbeat"] = TimeOrNull(run.heartbeat);
  nlohmann::json metrics = nlohmann::json::array();
  for (const RunMetric& m : run.metrics) {
    metrics.push_back(
        {{"model", m.model}, {"split", m.split}, {"name", m.name}, {"value", m.value}});
  }
  j["metrics"] = metrics;
  return j;
}

nlohmann::json ToJson(const RegisteredModel& model) {
  return {{"name", model.name},
          {"description", model.description},
          {"created_by", model.created_by},
          {"created", FormatTimestamp(model.created)},
          {"latest_version", model.latest_version},
          {"num_versions", model.num_versions},
          {"aliases", model.aliases}};
}

nlohmann::json ToJson(const ModelVersion& v) {
  return {{"model", v.model},
          {"version", v.version},
          {"run_id", OrNull(v.run_id)},
          {"artifact_path", v.artifact_path},
          {"manifest_sha256", v.manifest_sha256},
          {"source_path", v.source_path},
          {"metadata", v.metadata},
          {"created", FormatTimestamp(v.created)},
          {"created_by", v.created_by},
          {"description", v.description},
          {"archived", v.archived},
          {"tags", v.tags},
          {"aliases", v.aliases}};
}

nlohmann::json ToJson(const AliasMove& move) {
  return {{"id", move.id},
          {"model", move.model},
          {"alias", move.alias},
          {"from_version", OrNull(move.from_version)},
          {"to_version", OrNull(move.to_version)},
          {"at", FormatTimestamp(move.at)},
          {"user", move.user},
          {"action", move.action},
          {"reason", move.reason},
          {"details", move.details}};
}

}  // namespace staycast::registry
