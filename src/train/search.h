// Running the hyperparameter search of one candidate: each trial's parameters scored by K-fold
// cross-validation (grouped by patient) on the training rows with the primary metric, within the
// trial and time budgets; the caller refits the best parameters on all training rows.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/train/candidates.h"
#include "src/train/search_config.h"
#include "src/train/train_config.h"

namespace staycast::train {

struct SearchTrialResult {
  nlohmann::json params;
  std::vector<double> fold_scores;  // the primary metric on each held-out fold
  double cv_mean = 0;
  double cv_sd = 0;  // sample standard deviation across folds
  double seconds = 0;
};

struct SearchOutcome {
  std::vector<SearchTrialResult> trials;
  size_t best = 0;         // index into trials
  std::string stopped_by;  // "trials" (the list ran out) or "time_budget"
  int folds = 0;
  bool grouped = false;  // folds grouped by the entity column

  const SearchTrialResult& best_trial() const { return trials[best]; }
  // {method, folds, grouped, metric, trials_run, budgets, stopped_by, best: {trial, params,
  // cv_mean, cv_sd}, trials: [...]}.
  nlohmann::json ToJson(const SearchConfig& config, const std::string& metric) const;
};

// The fold (0..k-1) of each training row: grouped by `group_column` (all rows of a patient share a
// fold) when it is non-empty, else by row; balanced by row count, seeded.
StatusOr<std::vector<int>> CrossValidationFolds(const data::Table& train_table,
                                                const std::string& group_column, int k,
                                                uint64_t seed);

// Searches `spec`'s parameters over `space`. `folds` has one entry per training row. Boosted models
// stop early on `valid` when it has rows (the same validation set as the final fit). `weights`
// (per training row) may be null. `progress` gets one line per trial and may be empty.
StatusOr<SearchOutcome> SearchCandidate(const TrainConfig& config, const CandidateSpec& spec,
                                        const SearchSpace& space, const Part& train,
                                        const std::vector<int>& folds, const Part& valid,
                                        const std::vector<double>* weights,
                                        const std::function<void(const std::string&)>& progress);

// "max_depth=6, learning_rate=0.05" (the searched parameters of a trial, in space order).
std::string FormatTrialParams(const SearchSpace& space, const nlohmann::json& params);

}  // namespace staycast::train
