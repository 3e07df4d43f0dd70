// Parsing of the `split:`, `models:` and `evaluation:` sections of a run config.
#include "src/train/train_config.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "src/core/yaml.h"

namespace staycast::train {
namespace {

using yaml::CheckMap;
using yaml::KeyError;
using yaml::ReadBool;
using yaml::ReadDouble;
using yaml::ReadInt;
using yaml::ReadString;
using yaml::ReadStringList;
using yaml::YamlContext;

}  // namespace

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& kv : node) j[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return j;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& item : node) j.push_back(YamlToJson(item));
      return j;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted: keep as string
      if (s == "true" || s == "false") return s == "true";
      try {
        size_t pos = 0;
        const long long i = std::stoll(s, &pos);
        if (pos == s.size()) return i;
      } catch (...) {
      }
      try {
        size_t pos = 0;
        const double d = std::stod(s, &pos);
        if (pos == s.size()) return d;
      } catch (...) {
      }
      return s;
    }
    default: return nullptr;
  }
}

namespace {

StatusOr<YAML::Node> Section(const features::RunConfig& run, const std::string& key) {
  auto it = run.reserved.find(key);
  if (it == run.reserved.end()) return YAML::Node();
  try {
    // From the original text when there is one, so that errors name the line in the user's file.
    if (!run.source_text.empty()) {
      const YAML::Node root = YAML::Load(run.source_text);
      if (root.IsMap() && root[key]) return root[key];
    }
    return YAML::Load(it->second);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(run.origin + ": " + key + ": " + e.what());
  }
}

Status ParseSplit(const YamlContext& ctx, const YAML::Node& node, TrainConfig* out) {
  if (!node || node.IsNull()) return OkStatus();
  RETURN_IF_ERROR(CheckMap(ctx, node, "split",
                           {"kind", "test_fraction", "valid_fraction", "calibration_fraction",
                            "allow_shared_patients", "seed"}));
  eval::SplitConfig& s = out->split;
  if (node["kind"]) {
    ASSIGN_OR_RETURN(std::string kind, ReadString(ctx, node["kind"], "split.kind"));
    StatusOr<eval::SplitKind> parsed = eval::ParseSplitKind(kind);
    if (!parsed.ok()) return KeyError(ctx, node["kind"], "split.kind", parsed.status().message());
    s.kind = *parsed;
  }
  if (node["test_fraction"]) {
    ASSIGN_OR_RETURN(s.test_fraction,
                     ReadDouble(ctx, node["test_fraction"], "split.test_fraction"));
  }
  if (node["valid_fraction"]) {
    ASSIGN_OR_RETURN(s.valid_fraction,
                     ReadDouble(ctx, node["valid_fraction"], "split.valid_fraction"));
  }
  if (node["calibration_fraction"]) {
    ASSIGN_OR_RETURN(s.calibration_fraction,
                     ReadDouble(ctx, node["calibration_fraction"], "split.calibration_fraction"));
  }
  if (node["allow_shared_patients"]) {
    ASSIGN_OR_RETURN(s.allow_shared_groups,
                     ReadBool(ctx, node["allow_shared_patients"], "split.allow_shared_patients"));
  }
  if (node["seed"]) {
    ASSIGN_OR_RETURN(int64_t seed, ReadInt(ctx, node["seed"], "split.seed"));
    s.seed = static_cast<uint64_t>(seed);
  }
  return OkStatus();
}

StatusOr<CandidateSpec> ParseCandidate(const YamlContext& ctx, const YAML::Node& node,
                                       const std::string& path, models::Task task) {
  CandidateSpec c;
  if (node.IsScalar()) {
    c.type = node.Scalar();
  } else {
    RETURN_IF_ERROR(CheckMap(ctx, node, path, {"name", "type", "params"}));
    if (!node["type"]) return KeyError(ctx, node, path + ".type", "missing; expected a model type");
    ASSIGN_OR_RETURN(c.type, ReadString(ctx, node["type"], path + ".type"));
    if (node["name"]) {
      ASSIGN_OR_RETURN(c.name, ReadString(ctx, node["name"], path + ".name"));
    }
    if (node["params"]) {
      if (!node["params"].IsMap())
        return KeyError(ctx, node["params"], path + ".params", "expected a map");
      c.params = YamlToJson(node["params"]);
    }
  }
  if (c.name.empty()) c.name = c.type;
  // Validate type and parameters now, before any data is read.
  StatusOr<std::unique_ptr<models::Model>> model = models::CreateModel(c.type, c.params, task);
  if (!model.ok()) return KeyError(ctx, node, path, model.status().message());
  return c;
}

Status ParseModels(const YamlContext& ctx, const YAML::Node& node, TrainConfig* out) {
  const bool regression = out->task == models::Task::kRegression;
  const bool has = node && !node.IsNull();
  out->primary_metric = regression ? "mae" : "pr_auc";
  const std::vector<std::string> default_lineup =
      regression ? std::vector<std::string>{"gradient_boosting", "random_forest", "ridge", "svr"}
                 : std::vector<std::string>{"gradient_boosting", "random_forest", "logistic"};
  const std::vector<std::string> default_baselines =
      regression ? std::vector<std::string>{"mean", "median"}
                 : std::vector<std::string>{"prevalence", "always_negative"};
  if (has) {
    RETURN_IF_ERROR(CheckMap(ctx, node, "models",
                             {"candidates", "baselines", "primary_metric", "threads", "seed",
                              "calibration", "threshold", "class_weight", "intervals", "search"}));
  }
  const YAML::Node candidates = has ? node["candidates"] : YAML::Node(YAML::NodeType::Undefined);
  if (candidates) {
    if (!candidates.IsSequence() || candidates.size() == 0) {
      return KeyError(ctx, candidates, "models.candidates", "expected a non-empty list of models");
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
      ASSIGN_OR_RETURN(CandidateSpec c,
                       ParseCandidate(ctx, candidates[i],
                                      "models.candidates[" + std::to_string(i) + "]", out->task));
      out->candidates.push_back(std::move(c));
    }
  } else {
    for (const std::string& t : default_lineup)
      out->candidates.push_back({t, t, nlohmann::json::object()});
  }
  const YAML::Node baselines = has ? node["baselines"] : YAML::Node(YAML::NodeType::Undefined);
  if (baselines) {
    if (!baselines.IsSequence())
      return KeyError(ctx, baselines, "models.baselines", "expected a list");
    for (size_t i = 0; i < baselines.size(); ++i) {
      ASSIGN_OR_RETURN(CandidateSpec c,
                       ParseCandidate(ctx, baselines[i],
                                      "models.baselines[" + std::to_string(i) + "]", out->task));
      out->baselines.push_back(std::move(c));
    }
  } else {
    for (const std::string& t : default_baselines)
      out->baselines.push_back({t, t, nlohmann::json::object()});
  }
  std::set<std::string> names;
  for (const auto* list : {&out->candidates, &out->baselines}) {
    for (const CandidateSpec& c : *list) {
      if (!names.insert(c.name).second) {
        return KeyError(ctx, node, "models",
                        "two models are named '" + c.name + "'; give each a unique name");
      }
    }
  }
  if (!has) return OkStatus();
  if (node["primary_metric"]) {
    ASSIGN_OR_RETURN(out->primary_metric,
                     ReadString(ctx, node["primary_metric"], "models.primary_metric"));
    const auto allowed = PrimaryMetrics(out->task);
    if (std::find(allowed.begin(), allowed.end(), out->primary_metric) == allowed.end()) {
      return KeyError(ctx, node["primary_metric"], "models.primary_metric",
                      "'" + out->primary_metric + "' is not a " + models::TaskName(out->task) +
                          " metric; expected one of " + yaml::JoinNames(allowed));
    }
  }
  if (node["threads"]) {
    ASSIGN_OR_RETURN(int64_t t, ReadInt(ctx, node["threads"], "models.threads"));
    if (t < 1 || t > 256)
      return KeyError(ctx, node["threads"], "models.threads", "expected 1..256");
    out->threads = static_cast<int>(t);
  }
  if (node["seed"]) {
    ASSIGN_OR_RETURN(int64_t s, ReadInt(ctx, node["seed"], "models.seed"));
    out->seed = static_cast<uint64_t>(s);
  }
  if (node["calibration"]) {
    ASSIGN_OR_RETURN(out->calibration, ReadString(ctx, node["calibration"], "models.calibration"));
    if (out->calibration != "auto" && out->calibration != "isotonic" &&
        out->calibration != "platt" && out->calibration != "none") {
      return KeyError(ctx, node["calibration"], "models.calibration",
                      "expected auto, isotonic, platt or none");
    }
  }
  if (node["class_weight"]) {
    ASSIGN_OR_RETURN(out->class_weight,
                     ReadString(ctx, node["class_weight"], "models.class_weight"));
    if (out->class_weight != "none" && out->class_weight != "balanced") {
      return KeyError(ctx, node["class_weight"], "models.class_weight",
                      "expected none or balanced");
    }
  }
  if (const YAML::Node t = node["threshold"]) {
    RETURN_IF_ERROR(CheckMap(ctx, t, "models.threshold", {"rule", "target"}));
    if (t["rule"]) {
      ASSIGN_OR_RETURN(out->threshold_rule, ReadString(ctx, t["rule"], "models.threshold.rule"));
    }
    if (out->threshold_rule != "max_f1" && out->threshold_rule != "sensitivity" &&
        out->threshold_rule != "net_benefit") {
      return KeyError(ctx, t["rule"], "models.threshold.rule",
                      "expected max_f1, sensitivity or net_benefit");
    }
    if (t["target"]) {
      ASSIGN_OR_RETURN(out->threshold_target,
                       ReadDouble(ctx, t["target"], "models.threshold.target"));
    }
    if (out->threshold_rule != "max_f1" &&
        !(out->threshold_target > 0 && out->threshold_target < 1)) {
      return KeyError(ctx, t, "models.threshold.target",
                      "rule '" + out->threshold_rule + "' needs a target in (0, 1)");
    }
  }
  if (const YAML::Node iv = node["intervals"]) {
    RETURN_IF_ERROR(
        CheckMap(ctx, iv, "models.intervals", {"coverage", "scale_model", "lower_bound"}));
    if (iv["coverage"]) {
      ASSIGN_OR_RETURN(out->interval_coverage,
                       ReadDouble(ctx, iv["coverage"], "models.intervals.coverage"));
    }
    if (!(out->interval_coverage > 0.5 && out->interval_coverage < 1)) {
      return KeyError(ctx, iv["coverage"], "models.intervals.coverage",
                      "expected a share in (0.5, 1), e.g. 0.9");
    }
    if (iv["scale_model"]) {
      ASSIGN_OR_RETURN(out->interval_scale_model,
                       ReadString(ctx, iv["scale_model"], "models.intervals.scale_model"));
    }
    if (iv["lower_bound"]) {
      ASSIGN_OR_RETURN(out->interval_lower_bound,
                       ReadDouble(ctx, iv["lower_bound"], "models.intervals.lower_bound"));
    }
  }
  if (const YAML::Node s = node["search"]) {
    ASSIGN_OR_RETURN(out->search, ParseSearchConfig(ctx.origin, s, out->candidates, out->task));
  }
  return OkStatus();
}

Status ParseEvaluation(const YamlContext& ctx, const YAML::Node& node,
                       const features::RunConfig& run, TrainConfig* out) {
  if (!node || node.IsNull()) return OkStatus();
  RETURN_IF_ERROR(CheckMap(ctx, node, "evaluation", {"subgroups", "bootstrap"}));
  if (node["subgroups"]) {
    ASSIGN_OR_RETURN(out->subgroups,
                     ReadStringList(ctx, node["subgroups"], "evaluation.subgroups"));
    for (const std::string& col : out->subgroups) {
      if (run.FindColumn(col) == nullptr) {
        return KeyError(ctx, node["subgroups"], "evaluation.subgroups",
                        "unknown column '" + col + "'");
      }
    }
  }
  if (node["bootstrap"]) {
    ASSIGN_OR_RETURN(int64_t b, ReadInt(ctx, node["bootstrap"], "evaluation.bootstrap"));
    if (b < 0 || b > 100000)
      return KeyError(ctx, node["bootstrap"], "evaluation.bootstrap", "expected 0..100000");
    out->bootstrap_replicates = static_cast<int>(b);
  }
  return OkStatus();
}

}  // namespace

std::vector<std::string> PrimaryMetrics(models::Task task) {
  if (task == models::Task::kRegression) return {"mae", "rmse", "median_ae", "r2"};
  return {"pr_auc", "roc_auc", "brier", "log_loss"};
}

StatusOr<bool> GreaterIsBetter(const std::string& metric) {
  if (metric == "r2" || metric == "pr_auc" || metric == "roc_auc") return true;
  if (metric == "mae" || metric == "rmse" || metric == "median_ae" || metric == "brier" ||
      metric == "log_loss") {
    return false;
  }
  return InvalidArgumentError("unknown metric '" + metric + "'");
}

StatusOr<TrainConfig> ParseTrainConfig(const features::RunConfig& run) {
  const YamlContext ctx{run.origin};
  TrainConfig out;
  if (run.target.column.empty()) {
    return InvalidArgumentError(run.origin + ": target: training needs a target column");
  }
  out.task = run.target.task == features::Task::kClassification ? models::Task::kClassification
                                                                : models::Task::kRegression;
  out.split.time_column = run.PredictionColumn();
  out.split.group_column = run.EntityColumn();
  ASSIGN_OR_RETURN(YAML::Node split, Section(run, "split"));
  RETURN_IF_ERROR(ParseSplit(ctx, split, &out));
  if (out.split.kind == eval::SplitKind::kGroup && out.split.group_column.empty()) {
    return InvalidArgumentError(run.origin +
                                ": split.kind: a group split needs a column with role: entity");
  }
  ASSIGN_OR_RETURN(YAML::Node models_node, Section(run, "models"));
  RETURN_IF_ERROR(ParseModels(ctx, models_node, &out));
  ASSIGN_OR_RETURN(out.greater_is_better, GreaterIsBetter(out.primary_metric));
  ASSIGN_OR_RETURN(YAML::Node evaluation, Section(run, "evaluation"));
  RETURN_IF_ERROR(ParseEvaluation(ctx, evaluation, run, &out));
  return out;
}

}  // namespace staycast::train
