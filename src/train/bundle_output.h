// Writing the trained bundle: config, fitted pipeline, model, calibrator or intervals, input
// schema, reference profile, metrics, test predictions and the manifest metadata the registry
// reads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/data/table.h"
#include "src/features/config.h"
#include "src/features/feature_matrix.h"
#include "src/features/pipeline.h"
#include "src/models/model.h"
#include "src/train/trainer.h"

namespace staycast::train {

// Everything WriteTrainedBundle needs; pointers are non-owning.
struct BundleContents {
  std::string out_dir;
  bool overwrite = false;
  bool tar = false;
  std::string fingerprint;
  const features::RunConfig* run = nullptr;
  const features::FeaturePipeline* pipeline = nullptr;
  const models::Model* model = nullptr;
  nlohmann::json calibration;  // null for regression or no calibration
  nlohmann::json intervals;    // null for classification
  double threshold = 0.5;
  // The input schema and the reference profile of the training rows' features, when the caller
  // computed them early (to release the training table and the feature matrix); else they are
  // built from train_table and train_features.
  nlohmann::json input_schema;
  nlohmann::json reference_profile;
  const data::Table* train_table = nullptr;
  const features::FeatureMatrix* train_features = nullptr;  // all rows; train_rows selects
  const std::vector<size_t>* train_rows = nullptr;
  std::vector<double> train_predictions;
  const data::Table* table = nullptr;  // all rows; test_rows selects
  const std::vector<size_t>* test_rows = nullptr;
  std::vector<double> test_actual, test_predictions, test_lower, test_upper;
  const TrainResult* result = nullptr;
  nlohmann::json evaluation;  // eval::EvaluateFull on the test split; null to leave out
};

Status WriteTrainedBundle(const BundleContents& contents);

}  // namespace staycast::train
