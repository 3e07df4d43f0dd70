// Fitting and scoring the candidate models and baselines on the split feature matrices, with a
// progress line per model and per boosting round, and choosing the best (ties to the simpler).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "src/models/matrix.h"
#include "src/models/model.h"
#include "src/train/train_config.h"
#include "src/train/trainer.h"

namespace staycast::train {

// The features and targets of one part of the split.
struct Part {
  models::Matrix x;
  std::vector<double> y;
};

struct SplitData {
  Part train, valid, calibration, test;
};

struct FittedModel {
  ModelResult result;
  std::unique_ptr<models::Model> model;
  std::vector<double> valid_pred, calibration_pred, test_pred;
};

// Metrics of predictions against targets for the task (probabilities for classification).
StatusOr<nlohmann::json> ScoreMetrics(models::Task task, const std::vector<double>& y,
                                      const std::vector<double>& pred, bool constant_ok);

// Fits one candidate (with early stopping on the validation part when it has one) and scores it on
// validation, calibration and test rows.
StatusOr<FittedModel> FitCandidate(const TrainConfig& config, const CandidateSpec& spec,
                                   bool baseline, const SplitData& data,
                                   const std::vector<double>* weights, const TrainOptions& options);

// Lower rank = simpler; used to break ties.
int Simplicity(const std::string& type);

// Index into `fitted` of the best non-baseline model on the validation primary metric. Models
// within 0.1% (relative) of the best are tied, and ties go to the simpler model.
StatusOr<size_t> ChooseBest(const TrainConfig& config, const std::vector<FittedModel>& fitted);

}  // namespace staycast::train
