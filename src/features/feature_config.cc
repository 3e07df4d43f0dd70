// Parsing the `features:` section: one map per feature with a name, a kind and that kind's keys;
// every input is checked for existence, type, role and availability at the prediction time, and
// feature references are ordered (cycles are errors).
#include "src/features/feature_config.h"

#include <cctype>
#include <functional>
#include <map>

namespace staycast::features {

const char* FeatureKindName(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kNumeric: return "numeric";
    case FeatureKind::kOneHot: return "onehot";
    case FeatureKind::kOrdinal: return "ordinal";
    case FeatureKind::kBin: return "bin";
    case FeatureKind::kDateTime: return "datetime";
    case FeatureKind::kFlag: return "flag";
    case FeatureKind::kSum: return "sum";
    case FeatureKind::kCount: return "count";
    case FeatureKind::kCodes: return "codes";
    case FeatureKind::kHistory: return "history";
  }
  return "numeric";
}

const char* DatePartName(DatePart part) {
  switch (part) {
    case DatePart::kDayOfWeek: return "day_of_week";
    case DatePart::kMonth: return "month";
    case DatePart::kHour: return "hour";
    case DatePart::kWeekend: return "weekend";
    case DatePart::kSeason: return "season";
    case DatePart::kDayOfYear: return "day_of_year";
    case DatePart::kYear: return "year";
  }
  return "month";
}

const char* HistoryOpName(HistoryOp op) {
  switch (op) {
    case HistoryOp::kCount: return "count";
    case HistoryOp::kDaysSince: return "days_since";
    case HistoryOp::kMean: return "mean";
    case HistoryOp::kMax: return "max";
    case HistoryOp::kMin: return "min";
    case HistoryOp::kSum: return "sum";
    case HistoryOp::kLast: return "last";
    case HistoryOp::kFirstVisit: return "first_visit";
  }
  return "count";
}

namespace internal {
namespace {

using data::ColumnType;

struct KindInfo {
  FeatureKind kind;
  std::vector<std::string> keys;  // besides name, kind, keep, allow_leak
};

const std::map<std::string, KindInfo>& Kinds() {
  static const auto* kinds = new std::map<std::string, KindInfo>{
      {"numeric",
       {FeatureKind::kNumeric,
        {"column", "feature", "impute", "value", "indicator", "standardize"}}},
      {"onehot", {FeatureKind::kOneHot, {"column", "min_frequency", "missing_bucket"}}},
      {"ordinal", {FeatureKind::kOrdinal, {"column", "order", "unknown_value"}}},
      {"bin", {FeatureKind::kBin, {"column", "feature", "edges", "labels", "encoding"}}},
      {"datetime", {FeatureKind::kDateTime, {"column", "parts"}}},
      {"flag", {FeatureKind::kFlag, {"column", "feature", "equals", "in"}}},
      {"sum", {FeatureKind::kSum, {"columns", "features"}}},
      {"count", {FeatureKind::kCount, {"columns", "features"}}},
      {"codes",
       {FeatureKind::kCodes,
        {"column", "columns", "count", "groups", "icd", "charlson", "charlson_index",
         "elixhauser"}}},
      {"history", {FeatureKind::kHistory, {"op", "column", "event", "window_days", "fill"}}},
  };
  return *kinds;
}

std::vector<std::string> ColumnNames(const RunConfig& config) {
  std::vector<std::string> names;
  for (const ColumnSpec& c : config.columns) names.push_back(c.name);
  return names;
}

std::string TypeList(const std::vector<ColumnType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
    out += data::ColumnTypeName(types[i]);
  }
  return out;
}

// Checks a column input of a current-row feature (or, when `history`, of a history feature).
Status CheckColumn(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                   const RunConfig& config, const FeatureSpec& spec, const std::string& name,
                   const std::vector<ColumnType>& types, bool history) {
  const ColumnSpec* col = config.FindColumn(name);
  if (col == nullptr) {
    const std::string hint = DidYouMean(name, ColumnNames(config));
    return KeyError(ctx, node, path,
                    "unknown column '" + name + "'" +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                        "; expected a column declared under 'columns'");
  }
  bool type_ok = false;
  for (ColumnType t : types) type_ok = type_ok || t == col->type;
  if (!type_ok) {
    return KeyError(ctx, node, path,
                    "column '" + name + "' is " + data::ColumnTypeName(col->type) + "; a " +
                        FeatureKindName(spec.kind) + " feature needs " + TypeList(types));
  }
  if (col->role == ColumnRole::kId || col->role == ColumnRole::kEntity ||
      col->role == ColumnRole::kIgnore) {
    return KeyError(ctx, node, path,
                    "column '" + name + "' has role " + ColumnRoleName(col->role) +
                        " and cannot be a feature input");
  }
  if (spec.allow_leak) return OkStatus();
  if (history) {
    if (col->available.never()) {
      return KeyError(ctx, node, path,
                      "column '" + name +
                          "' is available: never, so no history may read it (mark the feature "
                          "allow_leak: true to override)");
    }
    return OkStatus();
  }
  if (col->role == ColumnRole::kTarget) {
    return KeyError(ctx, node, path,
                    "column '" + name +
                        "' is the target; a feature reading this row's target leaks the outcome "
                        "(use a history feature for past values, or mark allow_leak: true)");
  }
  if (!config.AvailableAtPrediction(*col)) {
    return KeyError(ctx, node, path,
                    "column '" + name + "' is available: " + col->available.ToString() +
                        ", after the prediction time (" + config.prediction_event +
                        "); it is not known when predicting. Remove it, or mark the feature "
                        "allow_leak: true to use it anyway (the audit reports it)");
  }
  return OkStatus();
}

// Reads `column`/`columns`/`feature`/`features` keys into spec->inputs.
Status ReadInputs(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                  FeatureSpec* spec) {
  for (const char* key : {"column", "columns", "feature", "features"}) {
    const YAML::Node v = node[key];
    if (!v) continue;
    const std::string key_path = path + "." + key;
    const bool is_feature = key[0] == 'f';
    const bool single = std::string(key) == "column" || std::string(key) == "feature";
    std::vector<std::string> names;
    if (single) {
      ASSIGN_OR_RETURN(std::string s, ReadString(ctx, v, key_path));
      names.push_back(std::move(s));
    } else {
      ASSIGN_OR_RETURN(names, ReadStringList(ctx, v, key_path));
    }
    for (size_t i = 0; i < names.size(); ++i) {
      InputRef ref;
      (is_feature ? ref.feature : ref.column) = names[i];
      ref.key_path = single ? key_path : key_path + "[" + std::to_string(i) + "]";
      spec->inputs.push_back(std::move(ref));
    }
  }
  return OkStatus();
}

const YAML::Node InputNode(const YAML::Node& node, const InputRef& ref) {
  for (const char* key : {"column", "columns", "feature", "features"}) {
    if (ref.key_path.find(std::string(".") + key) != std::string::npos && node[key]) {
      return node[key];
    }
  }
  return node;
}

StatusOr<FeatureSpec> ParseOne(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                               const RunConfig& config) {
  FeatureSpec s;
  s.key_path = path;
  if (!n.IsMap()) return KeyError(ctx, n, path, "expected a map with name and kind");
  if (!n["name"]) return KeyError(ctx, n, path + ".name", "required");
  ASSIGN_OR_RETURN(s.name, ReadString(ctx, n["name"], path + ".name"));
  for (char c : s.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      return KeyError(ctx, n["name"], path + ".name",
                      "'" + s.name + "' may only contain letters, digits, '_', '.' and '-'");
    }
  }
  if (s.name.empty()) return KeyError(ctx, n["name"], path + ".name", "must not be empty");
  if (!n["kind"]) {
    std::vector<std::string> kinds;
    for (const auto& [k, info] : Kinds()) kinds.push_back(k);
    return KeyError(ctx, n, path + ".kind", "required; expected one of " + JoinNames(kinds));
  }
  ASSIGN_OR_RETURN(std::string kind, ReadString(ctx, n["kind"], path + ".kind"));
  auto it = Kinds().find(kind);
  if (it == Kinds().end()) {
    std::vector<std::string> kinds;
    for (const auto& [k, info] : Kinds()) kinds.push_back(k);
    return KeyError(ctx, n["kind"], path + ".kind",
                    "unknown kind '" + kind + "'; expected one of " + JoinNames(kinds));
  }
  s.kind = it->second.kind;
  std::vector<std::string> allowed = {"name", "kind", "keep", "allow_leak"};
  allowed.insert(allowed.end(), it->second.keys.begin(), it->second.keys.end());
  RETURN_IF_ERROR(CheckMap(ctx, n, path, allowed));
  if (n["keep"]) {
    ASSIGN_OR_RETURN(s.keep, ReadBool(ctx, n["keep"], path + ".keep"));
  }
  if (n["allow_leak"]) {
    ASSIGN_OR_RETURN(s.allow_leak, ReadBool(ctx, n["allow_leak"], path + ".allow_leak"));
  }
  RETURN_IF_ERROR(ReadInputs(ctx, n, path, &s));
  RETURN_IF_ERROR(ParseKindParams(ctx, n, path, &s));

  // Input arity and column checks.
  const bool history = s.kind == FeatureKind::kHistory;
  std::vector<ColumnType> types;
  size_t min_inputs = 1;
  size_t max_inputs = 1;
  switch (s.kind) {
    case FeatureKind::kNumeric:
    case FeatureKind::kBin: types = {ColumnType::kNumeric}; break;
    case FeatureKind::kOneHot:
    case FeatureKind::kOrdinal: types = {ColumnType::kCategorical}; break;
    case FeatureKind::kDateTime: types = {ColumnType::kTimestamp}; break;
    case FeatureKind::kFlag: types = {ColumnType::kNumeric, ColumnType::kCategorical}; break;
    case FeatureKind::kSum:
    case FeatureKind::kCount:
      types = {ColumnType::kNumeric};
      max_inputs = 1000;
      break;
    case FeatureKind::kCodes:
      types = {ColumnType::kStringList, ColumnType::kCategorical};
      max_inputs = 1000;
      break;
    case FeatureKind::kHistory:
      types = {ColumnType::kNumeric};
      const HistoryOp op = s.history.op;
      const bool needs_column = op == HistoryOp::kMean || op == HistoryOp::kMax ||
                                op == HistoryOp::kMin || op == HistoryOp::kSum ||
                                op == HistoryOp::kLast;
      min_inputs = needs_column ? 1 : 0;
      max_inputs = needs_column ? 1 : 0;
      break;
  }
  if (s.inputs.size() < min_inputs || s.inputs.size() > max_inputs) {
    if (history) {
      return KeyError(ctx, n, path + ".column",
                      std::string("history op '") + HistoryOpName(s.history.op) +
                          (min_inputs ? "' needs one numeric column" : "' reads no column"));
    }
    return KeyError(ctx, n, path,
                    max_inputs == 1 ? "expected exactly one input (column: or feature:)"
                                    : "expected at least one input (columns: or features:)");
  }
  for (const InputRef& ref : s.inputs) {
    if (ref.is_feature()) {
      const bool can_reference = s.kind == FeatureKind::kNumeric || s.kind == FeatureKind::kBin ||
                                 s.kind == FeatureKind::kFlag || s.kind == FeatureKind::kSum ||
                                 s.kind == FeatureKind::kCount;
      if (!can_reference) {
        return KeyError(ctx, InputNode(n, ref), ref.key_path,
                        std::string("a ") + FeatureKindName(s.kind) +
                            " feature reads columns, not other features");
      }
      continue;
    }
    RETURN_IF_ERROR(
        CheckColumn(ctx, InputNode(n, ref), ref.key_path, config, s, ref.column, types, history));
  }
  if (history) {
    if (config.EntityColumn().empty()) {
      return KeyError(ctx, n, path,
                      "history features need an entity column (declare one column with "
                      "role: entity, e.g. patient_id)");
    }
    if (!s.history.event.empty() && config.EventIndex(s.history.event) < 0) {
      return KeyError(ctx, n["event"], path + ".event", "unknown event '" + s.history.event + "'");
    }
  }
  return s;
}

StatusOr<std::vector<size_t>> OrderFeatures(const YamlContext& ctx, const YAML::Node& list,
                                            RunConfig* config) {
  std::map<std::string, size_t> index;
  const auto& fs = config->features;
  for (size_t i = 0; i < fs.size(); ++i) {
    if (!index.emplace(fs[i].name, i).second) {
      return KeyError(ctx, list[i]["name"], fs[i].key_path + ".name",
                      "feature name '" + fs[i].name + "' is used twice");
    }
  }
  std::vector<std::vector<size_t>> deps(fs.size());
  std::vector<std::string> names;
  names.reserve(fs.size());
  for (const FeatureSpec& f : fs) names.push_back(f.name);
  for (size_t i = 0; i < fs.size(); ++i) {
    for (const InputRef& ref : fs[i].inputs) {
      if (!ref.is_feature()) continue;
      auto it = index.find(ref.feature);
      if (it == index.end()) {
        const std::string hint = DidYouMean(ref.feature, names);
        return KeyError(ctx, list[i], ref.key_path,
                        "unknown feature '" + ref.feature + "'" +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      if (!IsScalarFeature(fs[it->second])) {
        return KeyError(ctx, list[i], ref.key_path,
                        "feature '" + ref.feature +
                            "' has several outputs; only single-output features can be read");
      }
      deps[i].push_back(it->second);
    }
  }
  // Depth-first search; a grey node reached again closes a cycle, reported as its path.
  std::vector<int> color(fs.size(), 0);
  std::vector<size_t> order;
  std::vector<size_t> stack;
  Status cycle;
  std::function<bool(size_t)> visit = [&](size_t i) {
    color[i] = 1;
    stack.push_back(i);
    for (size_t d : deps[i]) {
      if (color[d] == 1) {
        std::string chain;
        bool on = false;
        for (size_t s : stack) {
          on = on || s == d;
          if (on) chain += fs[s].name + " -> ";
        }
        cycle = KeyError(ctx, list[i], fs[i].key_path,
                         "circular feature reference: " + chain + fs[d].name);
        return false;
      }
      if (color[d] == 0 && !visit(d)) return false;
    }
    stack.pop_back();
    color[i] = 2;
    order.push_back(i);
    return true;
  };
  for (size_t i = 0; i < fs.size(); ++i) {
    if (color[i] == 0 && !visit(i)) return cycle;
  }
  return order;
}

}  // namespace

bool IsScalarFeature(const FeatureSpec& spec) {
  switch (spec.kind) {
    case FeatureKind::kNumeric:
    case FeatureKind::kOrdinal:
    case FeatureKind::kFlag:
    case FeatureKind::kSum:
    case FeatureKind::kCount:
    case FeatureKind::kHistory: return true;
    case FeatureKind::kBin: return !spec.bin.onehot;
    default: return false;
  }
}

Status ParseFeatures(const YamlContext& ctx, const YAML::Node& node, RunConfig* config) {
  if (!node) return OkStatus();
  if (!node.IsSequence()) {
    return KeyError(ctx, node, "features", "expected a list of feature maps");
  }
  for (size_t i = 0; i < node.size(); ++i) {
    ASSIGN_OR_RETURN(FeatureSpec spec,
                     ParseOne(ctx, node[i], "features[" + std::to_string(i) + "]", *config));
    config->features.push_back(std::move(spec));
  }
  ASSIGN_OR_RETURN(config->evaluation_order, OrderFeatures(ctx, node, config));
  return OkStatus();
}

}  // namespace internal
}  // namespace staycast::features
