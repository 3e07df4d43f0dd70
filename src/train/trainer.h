// The training run behind `staycast train`: load the data, split it honestly, fit the feature
// pipeline on the training rows only, train and compare every candidate beside the baselines,
// calibrate (classification) or add conformal intervals (regression), evaluate on the test split
// and write one bundle with everything needed to score a new patient.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/train/train_config.h"

namespace staycast::train {

struct TrainOptions {
  std::string config_path;
  std::string data_override;  // a location replacing data.source, if set
  std::string out_dir;        // the bundle directory (default: runs/<config name>)
  bool overwrite = false;
  bool tar = false;  // also write <out_dir>.tar
  // Progress lines for people (model started/finished, boosting rounds).
  std::function<void(const std::string&)> progress;
  // Also report every boosting round (else every 25th).
  bool every_round = false;
};

struct ModelResult {
  std::string name;
  std::string type;
  bool baseline = false;
  nlohmann::json valid;  // metrics on the validation split
  nlohmann::json test;   // metrics on the test split
  double fit_seconds = 0;
  nlohmann::json describe;
  nlohmann::json params;
  nlohmann::json search;  // the hyperparameter search's record (null when not searched)
};

struct TrainResult {
  TrainConfig config;
  std::vector<ModelResult> models;
  std::string chosen;  // name of the chosen candidate
  // Test metrics of the chosen model after calibration / with intervals.
  nlohmann::json final_test;
  nlohmann::json split_summary;  // row counts per part, dropped rows, dates
  std::string bundle_dir;
  std::vector<std::string> notes;  // e.g. rows dropped for a missing target
  std::vector<std::string> log;    // every progress line, for the bundle's run.log
};

StatusOr<TrainResult> Train(const TrainOptions& options);

// The comparison table (validation and test metrics, baselines beside, fit time) for people.
std::string FormatComparison(const TrainResult& result);

}  // namespace staycast::train
