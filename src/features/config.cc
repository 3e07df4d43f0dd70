// Parsing and validating the run config's top level: data, columns, events, prediction time,
// target. The features section is parsed in feature_config.cc.
#include "src/features/config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>

#include "src/features/config_yaml.h"
#include "src/features/feature_config.h"

namespace staycast::features {

using internal::CheckMap;
using internal::DidYouMean;
using internal::JoinNames;
using internal::KeyError;
using internal::ReadString;
using internal::ReadStringList;
using internal::YamlContext;

const char* ColumnRoleName(ColumnRole role) {
  switch (role) {
    case ColumnRole::kFeature: return "feature";
    case ColumnRole::kId: return "id";
    case ColumnRole::kEntity: return "entity";
    case ColumnRole::kTarget: return "target";
    case ColumnRole::kIgnore: return "ignore";
  }
  return "feature";
}

std::string Availability::ToString() const {
  if (offset_seconds == 0) return event;
  if (offset_seconds % kSecondsPerDay == 0) {
    return event + "+" + std::to_string(offset_seconds / kSecondsPerDay) + "d";
  }
  return event + "+" + std::to_string(offset_seconds / 3600) + "h";
}

const ColumnSpec* RunConfig::FindColumn(std::string_view name) const {
  for (const ColumnSpec& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const EventSpec* RunConfig::FindEvent(std::string_view name) const {
  for (const EventSpec& e : events) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

int RunConfig::EventIndex(std::string_view name) const {
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string RunConfig::EntityColumn() const {
  for (const ColumnSpec& c : columns) {
    if (c.role == ColumnRole::kEntity) return c.name;
  }
  return "";
}

std::string RunConfig::IdColumn() const {
  for (const ColumnSpec& c : columns) {
    if (c.role == ColumnRole::kId) return c.name;
  }
  return "";
}

const std::string& RunConfig::PredictionColumn() const {
  return events[static_cast<size_t>(EventIndex(prediction_event))].column;
}

bool RunConfig::AvailableAtPrediction(const ColumnSpec& column) const {
  if (column.available.never()) return false;
  const int at = EventIndex(column.available.event);
  const int pred = EventIndex(prediction_event);
  // An offset after an earlier event has no known order relative to the prediction event, so only
  // an offset-free availability at or before the prediction event counts as known.
  if (column.available.offset_seconds > 0) return false;
  return at >= 0 && at <= pred;
}

data::ReadOptions RunConfig::MakeReadOptions() const {
  data::ReadOptions options;
  if (!data.missing_tokens.empty()) options.missing_tokens = data.missing_tokens;
  for (const ColumnSpec& c : columns) options.type_overrides[c.name] = c.type;
  options.list_separator = data.list_separator;
  options.delimiter = data.delimiter;
  options.query = data.query;
  return options;
}

namespace {

const std::vector<std::string> kTopLevelKeys = {
    "version",  "data",  "columns", "events",     "prediction_time", "target",
    "features", "split", "models",  "evaluation", "registry"};
const std::vector<std::string> kReservedKeys = {"split", "models", "evaluation", "registry"};

StatusOr<char> ReadChar(const YamlContext& ctx, const YAML::Node& node, const std::string& path) {
  ASSIGN_OR_RETURN(std::string s, ReadString(ctx, node, path));
  if (s == "\\t") return '\t';
  if (s.size() != 1) return KeyError(ctx, node, path, "expected a single character");
  return s[0];
}

Status ParseData(const YamlContext& ctx, const YAML::Node& node, RunConfig* config) {
  if (!node) return KeyError(ctx, node, "data", "required: where the rows come from (source: ...)");
  RETURN_IF_ERROR(
      CheckMap(ctx, node, "data", {"source", "query", "missing", "list_separator", "delimiter"}));
  if (!node["source"]) {
    return KeyError(ctx, node, "data.source",
                    "required: a CSV path, sqlite:FILE?table=NAME or postgresql://...?table=NAME");
  }
  ASSIGN_OR_RETURN(config->data.source, ReadString(ctx, node["source"], "data.source"));
  if (node["query"]) {
    ASSIGN_OR_RETURN(config->data.query, ReadString(ctx, node["query"], "data.query"));
  }
  if (node["missing"]) {
    ASSIGN_OR_RETURN(config->data.missing_tokens,
                     ReadStringList(ctx, node["missing"], "data.missing"));
  }
  if (node["list_separator"]) {
    ASSIGN_OR_RETURN(config->data.list_separator,
                     ReadChar(ctx, node["list_separator"], "data.list_separator"));
  }
  if (node["delimiter"]) {
    ASSIGN_OR_RETURN(config->data.delimiter, ReadChar(ctx, node["delimiter"], "data.delimiter"));
  }
  return OkStatus();
}

StatusOr<ColumnRole> ParseRole(const YamlContext& ctx, const YAML::Node& node,
                               const std::string& path) {
  ASSIGN_OR_RETURN(std::string s, ReadString(ctx, node, path));
  if (s == "feature") return ColumnRole::kFeature;
  if (s == "id") return ColumnRole::kId;
  if (s == "entity" || s == "patient") return ColumnRole::kEntity;
  if (s == "target") return ColumnRole::kTarget;
  if (s == "ignore") return ColumnRole::kIgnore;
  return KeyError(ctx, node, path,
                  "unknown role '" + s + "'; expected one of feature, id, entity, target, ignore");
}

// "event", "event+30d", "event + 12h", "never".
StatusOr<Availability> ParseAvailability(const YamlContext& ctx, const YAML::Node& node,
                                         const std::string& path, const RunConfig& config) {
  ASSIGN_OR_RETURN(std::string text, ReadString(ctx, node, path));
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  Availability a;
  const size_t plus = s.find('+');
  a.event = s.substr(0, plus);
  if (a.event == "never") {
    if (plus != std::string::npos) return KeyError(ctx, node, path, "'never' takes no offset");
    return a;
  }
  if (config.EventIndex(a.event) < 0) {
    std::vector<std::string> names;
    for (const EventSpec& e : config.events) names.push_back(e.name);
    names.emplace_back("never");
    return KeyError(ctx, node, path,
                    "unknown event '" + a.event + "'; expected one of " + JoinNames(names) +
                        ", optionally with an offset such as +30d or +12h");
  }
  if (plus != std::string::npos) {
    const std::string offset = s.substr(plus + 1);
    int64_t amount = 0;
    const char* end = offset.data() + offset.size();
    auto [ptr, ec] = std::from_chars(offset.data(), end, amount);
    const std::string unit(ptr, end);
    if (ec != std::errc() || amount < 0 || (unit != "d" && unit != "h")) {
      return KeyError(ctx, node, path,
                      "bad offset '" + offset +
                          "'; expected a whole number of days or hours such "
                          "as 30d or 12h");
    }
    a.offset_seconds = amount * (unit == "d" ? kSecondsPerDay : 3600);
  }
  return a;
}

Status ParseColumns(const YamlContext& ctx, const YAML::Node& node, RunConfig* config) {
  if (!node || !node.IsMap() || node.size() == 0) {
    return KeyError(ctx, node, "columns",
                    "required: a map from column name to {type, role, available}");
  }
  for (const auto& kv : node) {
    ColumnSpec c;
    c.name = kv.first.Scalar();
    const std::string path = "columns." + c.name;
    if (config->FindColumn(c.name) != nullptr) {
      return KeyError(ctx, kv.first, path, "column declared twice");
    }
    const YAML::Node spec = kv.second;
    YAML::Node type_node = spec;
    if (spec.IsMap()) {
      RETURN_IF_ERROR(CheckMap(ctx, spec, path, {"type", "role", "available"}));
      type_node.reset(spec["type"]);  // rebinds; plain = would overwrite spec
      if (!type_node) return KeyError(ctx, spec, path + ".type", "required");
      if (spec["role"]) {
        ASSIGN_OR_RETURN(c.role, ParseRole(ctx, spec["role"], path + ".role"));
      }
    }
    ASSIGN_OR_RETURN(std::string type_name, ReadString(ctx, type_node, path + ".type"));
    auto type = data::ParseColumnType(type_name);
    if (!type.ok()) return KeyError(ctx, type_node, path + ".type", type.status().message());
    c.type = *type;
    config->columns.push_back(std::move(c));
  }
  int entities = 0;
  int ids = 0;
  for (const ColumnSpec& c : config->columns) {
    entities += c.role == ColumnRole::kEntity ? 1 : 0;
    ids += c.role == ColumnRole::kId ? 1 : 0;
  }
  if (entities > 1) return KeyError(ctx, node, "columns", "more than one column has role entity");
  for (const ColumnSpec& c : config->columns) {
    if (c.role == ColumnRole::kEntity && c.type != data::ColumnType::kCategorical) {
      return KeyError(ctx, node[c.name], "columns." + c.name + ".type",
                      "an entity column must be categorical (ids are labels, not numbers)");
    }
  }
  if (ids > 1) return KeyError(ctx, node, "columns", "more than one column has role id");
  return OkStatus();
}

Status ParseEvents(const YamlContext& ctx, const YAML::Node& node, RunConfig* config) {
  if (!node || !node.IsMap() || node.size() == 0) {
    return KeyError(ctx, node, "events",
                    "required: the moments of a row in time order, each a timestamp column, "
                    "e.g. {admission: admit_time, discharge: discharge_time}");
  }
  for (const auto& kv : node) {
    EventSpec e;
    e.name = kv.first.Scalar();
    const std::string path = "events." + e.name;
    if (e.name == "never" || config->FindEvent(e.name) != nullptr) {
      return KeyError(ctx, kv.first, path, "event name reserved or used twice");
    }
    ASSIGN_OR_RETURN(e.column, ReadString(ctx, kv.second, path));
    const ColumnSpec* col = config->FindColumn(e.column);
    if (col == nullptr) {
      return KeyError(ctx, kv.second, path, "unknown column '" + e.column + "'");
    }
    if (col->type != data::ColumnType::kTimestamp) {
      return KeyError(ctx, kv.second, path,
                      "column '" + e.column + "' is " + data::ColumnTypeName(col->type) +
                          "; an event needs a timestamp column");
    }
    config->events.push_back(std::move(e));
  }
  return OkStatus();
}

Status ParseAvailabilities(const YamlContext& ctx, const YAML::Node& columns, RunConfig* config) {
  for (ColumnSpec& c : config->columns) {
    std::string own_event;
    for (const EventSpec& e : config->events) {
      if (e.column == c.name) own_event = e.name;
    }
    const YAML::Node spec = columns[c.name];
    if (spec.IsMap() && spec["available"]) {
      ASSIGN_OR_RETURN(c.available, ParseAvailability(ctx, spec["available"],
                                                      "columns." + c.name + ".available", *config));
      if (!own_event.empty() && (c.available.event != own_event || c.available.offset_seconds)) {
        return KeyError(ctx, spec["available"], "columns." + c.name + ".available",
                        "column '" + c.name + "' defines event '" + own_event +
                            "', so it becomes known exactly then");
      }
    } else {
      c.available.event = own_event.empty() ? config->events.front().name : own_event;
    }
  }
  return OkStatus();
}

Status ParsePrediction(const YamlContext& ctx, const YAML::Node& node, RunConfig* config) {
  if (!node) {
    return KeyError(ctx, node, "prediction_time",
                    "required: the event (or its timestamp column) at which predictions are made");
  }
  ASSIGN_OR_RETURN(std::string name, ReadString(ctx, node, "prediction_time"));
  for (const EventSpec& e : config->events) {
    if (e.name == name || e.column == name) {
      config->prediction_event = e.name;
      return OkStatus();
    }
  }
  std::vector<std::string> names;
  for (const EventSpec& e : config->events) names.push_back(e.name);
  return KeyError(ctx, node, "prediction_time",
                  "unknown event '" + name + "'; expected one of " + JoinNames(names) +
                      " (or their timestamp columns)");
}

Status ParseTarget(const YamlContext& ctx, const YAML::Node& node, RunConfig* config) {
  TargetSpec& t = config->target;
  if (node) {
    YAML::Node column_node = node;
    if (node.IsMap()) {
      RETURN_IF_ERROR(CheckMap(ctx, node, "target", {"column", "task", "positive"}));
      column_node.reset(node["column"]);
      if (!column_node) return KeyError(ctx, node, "target.column", "required");
      if (node["positive"]) {
        ASSIGN_OR_RETURN(t.positive, ReadStringList(ctx, node["positive"], "target.positive"));
        t.task = Task::kClassification;
      }
      if (node["task"]) {
        ASSIGN_OR_RETURN(std::string task, ReadString(ctx, node["task"], "target.task"));
        if (task == "regression") {
          t.task = Task::kRegression;
        } else if (task == "classification") {
          t.task = Task::kClassification;
        } else {
          return KeyError(ctx, node["task"], "target.task",
                          "unknown task '" + task + "'; expected regression or classification");
        }
      }
    }
    ASSIGN_OR_RETURN(t.column, ReadString(ctx, column_node, "target.column"));
    std::vector<std::string> names;
    for (const ColumnSpec& c : config->columns) names.push_back(c.name);
    ColumnSpec* col = nullptr;
    for (ColumnSpec& c : config->columns) {
      if (c.name == t.column) col = &c;
    }
    if (col == nullptr) {
      const std::string hint = DidYouMean(t.column, names);
      return KeyError(ctx, column_node, "target.column",
                      "unknown column '" + t.column + "'" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    if (col->role != ColumnRole::kFeature && col->role != ColumnRole::kTarget) {
      return KeyError(ctx, column_node, "target.column",
                      "column '" + t.column + "' has role " + ColumnRoleName(col->role));
    }
    if (t.task == Task::kRegression && !t.positive.empty()) {
      return KeyError(ctx, node, "target.positive", "a label mapping needs task: classification");
    }
    const bool labels = !t.positive.empty();
    if (col->type != data::ColumnType::kNumeric &&
        !(labels && col->type == data::ColumnType::kCategorical)) {
      return KeyError(ctx, column_node, "target.column",
                      "column '" + t.column + "' is " + data::ColumnTypeName(col->type) +
                          "; expected numeric (or categorical with target.positive labels)");
    }
    col->role = ColumnRole::kTarget;
  }
  for (const ColumnSpec& c : config->columns) {
    if (c.role == ColumnRole::kTarget && c.name != t.column) {
      return KeyError(ctx, node, "columns." + c.name + ".role",
                      "role target, but target.column is '" + t.column + "'");
    }
  }
  return OkStatus();
}

StatusOr<RunConfig> ParseRoot(const YamlContext& ctx, const YAML::Node& root,
                              std::string_view yaml_text) {
  RunConfig config;
  config.origin = ctx.origin;
  config.source_text = std::string(yaml_text);
  if (!root.IsMap()) return KeyError(ctx, root, "(top level)", "expected a map of sections");
  RETURN_IF_ERROR(CheckMap(ctx, root, "", kTopLevelKeys));
  if (root["version"]) {
    ASSIGN_OR_RETURN(int64_t version, internal::ReadInt(ctx, root["version"], "version"));
    if (version != 1) return KeyError(ctx, root["version"], "version", "expected 1");
  }
  RETURN_IF_ERROR(ParseData(ctx, root["data"], &config));
  RETURN_IF_ERROR(ParseColumns(ctx, root["columns"], &config));
  RETURN_IF_ERROR(ParseEvents(ctx, root["events"], &config));
  RETURN_IF_ERROR(ParseAvailabilities(ctx, root["columns"], &config));
  RETURN_IF_ERROR(ParsePrediction(ctx, root["prediction_time"], &config));
  RETURN_IF_ERROR(ParseTarget(ctx, root["target"], &config));
  RETURN_IF_ERROR(internal::ParseFeatures(ctx, root["features"], &config));
  for (const std::string& key : kReservedKeys) {
    if (root[key]) config.reserved[key] = YAML::Dump(root[key]);
  }
  return config;
}

}  // namespace

StatusOr<RunConfig> ParseConfig(std::string_view yaml_text, const std::string& origin) {
  const YamlContext ctx{origin};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(origin + ":" + std::to_string(e.mark.line + 1) +
                                ": not valid YAML: " + e.msg);
  }
  try {
    return ParseRoot(ctx, root, yaml_text);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(origin + ":" + std::to_string(e.mark.line + 1) +
                                ": unexpected structure: " + e.msg);
  }
}

StatusOr<RunConfig> LoadConfig(Env* env, const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  return ParseConfig(text, path);
}

}  // namespace staycast::features
