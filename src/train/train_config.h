// The training sections of a run config: `split:` and `models:` (candidates, baselines, primary
// metric, calibration, intervals, threshold rule). Parsed from the YAML that the feature
// config keeps aside for them; errors name the key path.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/eval/split.h"
#include "src/features/config.h"
#include "src/models/model.h"
#include "src/train/search_config.h"

namespace staycast::train {

struct CandidateSpec {
  std::string name;  // unique label in the comparison table (defaults to the type)
  std::string type;  // a models::CreateModel type
  nlohmann::json params = nlohmann::json::object();
};

struct TrainConfig {
  models::Task task = models::Task::kRegression;
  eval::SplitConfig split;
  std::vector<CandidateSpec> candidates;
  std::vector<CandidateSpec> baselines;
  std::string primary_metric;  // e.g. "mae" (regression), "pr_auc" (classification)
  bool greater_is_better = false;
  int threads = 1;
  uint64_t seed = 42;
  // Classification.
  std::string calibration = "auto";       // auto | isotonic | platt | none
  std::string threshold_rule = "max_f1";  // max_f1 | sensitivity | net_benefit
  double threshold_target = 0.0;          // target sensitivity, or the net-benefit threshold
  std::string class_weight = "none";      // none | balanced
  // Regression.
  double interval_coverage = 0.9;
  std::string interval_scale_model = "gradient_boosting";
  double interval_lower_bound = 0.0;
  // Subgroup columns for evaluation.
  std::vector<std::string> subgroups;
  int bootstrap_replicates = 200;
  // Hyperparameter search (models.search); disabled unless the section is present.
  SearchConfig search;
};

// A YAML node as JSON: scalars typed (integer, number, bool; a quoted scalar stays a string),
// sequences and maps recursively, so model parameters reach the model factory as typed values (the
// factory validates them and names the parameter on error).
nlohmann::json YamlToJson(const YAML::Node& node);

// Metric names usable as primary metric for a task, and whether larger is better.
std::vector<std::string> PrimaryMetrics(models::Task task);
StatusOr<bool> GreaterIsBetter(const std::string& metric);

// Builds the training config from a parsed run config (its target, entity, prediction time and the
// reserved `split`, `models` and `evaluation` sections). Defaults: a temporal split on the
// prediction time grouped by the entity, the seed's line-up and the task's baselines.
StatusOr<TrainConfig> ParseTrainConfig(const features::RunConfig& run);

}  // namespace staycast::train
