// The `models.search:` section of a run config: random or grid hyperparameter search per candidate,
// within a trial and/or time budget, scored by grouped K-fold cross-validation on the training
// rows.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "src/core/status.h"
#include "src/models/model.h"

namespace staycast::train {

struct CandidateSpec;

// Where one hyperparameter's trial values come from.
struct ParamDistribution {
  enum class Kind { kChoice, kUniform, kLogUniform, kIntUniform };
  Kind kind = Kind::kChoice;
  std::vector<nlohmann::json> choices;  // kChoice
  double low = 0, high = 0;             // the others, inclusive bounds
};

// The parameters searched for one candidate, in config order.
struct SearchSpace {
  std::string candidate;  // the candidate's name
  std::vector<std::pair<std::string, ParamDistribution>> params;
};

enum class SearchMethod { kRandom, kGrid };

struct SearchConfig {
  bool enabled = false;
  SearchMethod method = SearchMethod::kRandom;
  // Most trials per candidate; 0 = the default (random: 20; grid: every combination).
  int trials = 0;
  // Stop starting new trials of a candidate after this many seconds (0 = no time budget). At least
  // one trial always runs.
  double time_budget_s = 0;
  int folds = 5;
  std::vector<SearchSpace> spaces;
};

const char* SearchMethodName(SearchMethod method);

// Parses `node` (the value of models.search) against the already parsed candidates; every
// parameter's values are checked with the model factory. Errors name the key path and line.
StatusOr<SearchConfig> ParseSearchConfig(const std::string& origin, const YAML::Node& node,
                                         const std::vector<CandidateSpec>& candidates,
                                         models::Task task);

// The parameter sets to try for one candidate, in order: `base` (the candidate's own params)
// overlaid with sampled values. Random: the first trial is `base` itself, then distinct samples.
// Grid: every combination, in a seeded random order. At most `trials` (or the default). The same
// inputs give the same list.
std::vector<nlohmann::json> SearchTrials(const SearchConfig& config, const SearchSpace& space,
                                         const nlohmann::json& base, uint64_t seed);

}  // namespace staycast::train
