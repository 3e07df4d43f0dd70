// The Model interface every learner implements (fit, predict, config vs learned state, describe),
// and the factory that builds a model from its type name and JSON hyperparameters.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/status.h"
#include "src/models/matrix.h"

namespace staycast::models {

enum class Task { kRegression, kClassification };

// "regression" / "classification".
const char* TaskName(Task task);
StatusOr<Task> ParseTask(const std::string& name);

// One boosting round, reported to FitOptions::on_round. `valid_metric` is NaN without a
// validation set.
struct RoundInfo {
  int round = 0;  // 0-based
  std::string metric;
  double train_metric = 0;
  double valid_metric = 0;
  int best_round = 0;  // best validation round so far (the current round without validation)
};

// An additive explanation of the raw score of each row: bias[r] + sum_c values[r * cols + c]
// equals the model's raw score for row r. The raw score is the prediction for regression and the
// log-odds (margin, before the sigmoid and before any calibration) for classification. Trees use
// XGBoost's exact TreeSHAP; linear models use coefficient x centred value.
struct Contributions {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;  // rows x cols, row-major, in the model's feature order
  std::vector<double> bias;    // per row (the expected raw score)
  bool log_odds = false;       // true for classification
  double at(size_t r, size_t c) const { return values[r * cols + c]; }
};

// Everything a fit needs besides the data and the hyperparameters. Pointers are non-owning and
// may be null; they must outlive the Fit call.
struct FitOptions {
  int threads = 1;    // passed explicitly to XGBoost (never "all cores": see measured-facts.md)
  uint64_t seed = 0;  // every random choice in a fit derives from it
  const Matrix* x_valid = nullptr;                 // validation set for early stopping
  const std::vector<double>* y_valid = nullptr;    // set together with x_valid
  const std::vector<double>* weights = nullptr;    // per training row, >= 0; null = all 1
  std::function<void(const RoundInfo&)> on_round;  // called after each boosting round
};

// A learner over a dense feature matrix. Regression predicts the target; classification (y in
// {0,1}) predicts the probability of class 1. Hyperparameters (config) are fixed at creation;
// Fit or LoadState produce the learned state. Predict is const and safe to call from several
// threads at once on a fitted model; Fit/LoadState are not.
class Model {
 public:
  virtual ~Model() = default;

  // The registered type name, e.g. "gradient_boosting".
  virtual std::string type() const = 0;
  Task task() const { return task_; }
  bool fitted() const { return fitted_; }
  // Training column count and names (names empty if the training matrix had none).
  size_t num_features() const { return num_features_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }

  // Validates the data (shapes, finite target, >= 2 distinct values, classes 0/1 with both
  // present, weights) and fits. Rows with a NaN target must be dropped by the caller.
  Status Fit(const Matrix& x, const std::vector<double>& y, const FitOptions& options);

  // Predicts one value per row. Fails if unfitted or if the columns do not match training.
  StatusOr<std::vector<double>> Predict(const Matrix& x) const;

  // Per-row, per-feature contributions to the raw score (see Contributions). FailedPrecondition
  // for types without an additive explanation (svr, baselines) or an unfitted model.
  StatusOr<Contributions> Contribute(const Matrix& x) const;

  // XGBoost's "total_gain" importance per feature (0 for unused features), in feature order.
  // FailedPrecondition for types other than the XGBoost ones.
  virtual StatusOr<std::vector<double>> GainImportance() const {
    return FailedPreconditionError(type() + " has no gain importance (tree models only)");
  }

  // Hyperparameters with defaults filled in: {"type": ..., "task": ..., "params": {...}}.
  // CreateModelFromConfig(SaveConfig()) builds an equivalent unfitted model.
  nlohmann::json SaveConfig() const;

  // The learned state as text: XGBoost's own JSON model for the XGBoost types, JSON otherwise.
  StatusOr<std::string> SaveState() const;
  // Restores state written by SaveState of a model with the same config.
  Status LoadState(std::string_view state);

  // Type, task, params and facts about the fit (e.g. trees, best round, notes such as SVR's
  // subsample), for logs and the comparison table.
  nlohmann::json Describe() const;

  // The hyperparameters, as given to or defaulted by the factory.
  virtual nlohmann::json params() const = 0;

  // Threads used by Predict (XGBoost types; others predict on the calling thread). Fit sets it to
  // FitOptions::threads; a loaded model starts at 1.
  virtual void SetPredictThreads(int threads) {}

 protected:
  explicit Model(Task task) : task_(task) {}

  // Called with validated data; weights is empty when FitOptions::weights was null.
  virtual Status FitImpl(const Matrix& x, const std::vector<double>& y,
                         const std::vector<double>& weights, const FitOptions& options) = 0;
  // Called with a validated matrix whose column count matches training.
  virtual StatusOr<std::vector<double>> PredictImpl(const Matrix& x) const = 0;
  // Called with a validated matrix; the default says the type has no additive explanation.
  virtual StatusOr<Contributions> ContributeImpl(const Matrix& x) const {
    return FailedPreconditionError(type() +
                                   " has no per-feature contributions (trees and linear models "
                                   "only); use permutation importance");
  }
  // Learned state specific to the type; the base records features and task around it.
  virtual StatusOr<nlohmann::json> SaveStateJson() const = 0;
  virtual Status LoadStateJson(const nlohmann::json& state) = 0;
  // Extra facts for Describe().
  virtual nlohmann::json DescribeFit() const { return nlohmann::json::object(); }
  // Whether Fit needs at least one feature column (baselines other than group_median do not).
  virtual bool needs_features() const { return true; }

  // For types (XGBoost) whose state is not wrapped in our JSON envelope.
  virtual bool raw_state() const { return false; }
  virtual StatusOr<std::string> SaveRawState() const { return InternalError("no raw state"); }
  virtual Status LoadRawState(std::string_view state) { return InternalError("no raw state"); }
  void set_fitted_features(size_t num_features, std::vector<std::string> names) {
    num_features_ = num_features;
    feature_names_ = std::move(names);
    fitted_ = true;
  }

 private:
  Status CheckPredictMatrix(const Matrix& x) const;

  Task task_;
  bool fitted_ = false;
  size_t num_features_ = 0;
  std::vector<std::string> feature_names_;
};

// Model types the factory knows, for the given task.
std::vector<std::string> ModelTypes(Task task);

// How simple a type is, for breaking ties when comparing candidates (lower is simpler):
// baselines 0, ridge/logistic 1, svr 2, random_forest 3, gradient_boosting 4; unknown types 5.
int ModelSimplicityRank(const std::string& type);

// Builds an unfitted model. `params` is a JSON object (null = all defaults); an unknown
// parameter, a wrong type or an out-of-range value fails with a message naming the parameter.
// A type that does not fit the task (e.g. "ridge" for classification) fails too.
StatusOr<std::unique_ptr<Model>> CreateModel(const std::string& type, const nlohmann::json& params,
                                             Task task);

// Builds an unfitted model from Model::SaveConfig() output.
StatusOr<std::unique_ptr<Model>> CreateModelFromConfig(const nlohmann::json& config);

// CreateModelFromConfig(config) followed by LoadState(state).
StatusOr<std::unique_ptr<Model>> LoadModel(const nlohmann::json& config, std::string_view state);

}  // namespace staycast::models
