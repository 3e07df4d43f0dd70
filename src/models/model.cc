// Model base class: input validation shared by every learner, the state envelope and Describe().
#include "src/models/model.h"

#include <cmath>

namespace staycast::models {
namespace {

constexpr int kStateVersion = 1;
constexpr const char* kStateFormat = "staycast-model-state";

Status ValidateTarget(const std::vector<double>& y, size_t rows, Task task,
                      const std::string& what) {
  if (y.size() != rows) {
    return InvalidArgumentError(what + " has " + std::to_string(y.size()) +
                                " values for a matrix of " + std::to_string(rows) +
                                " rows; give one target value per row");
  }
  size_t nan_count = 0;
  size_t first_nan = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      if (nan_count++ == 0) first_nan = i;
    }
  }
  if (nan_count > 0) {
    return InvalidArgumentError(
        what + " has " + std::to_string(nan_count) + " missing or infinite values (first at row " +
        std::to_string(first_nan) + "); drop rows with a missing target before fitting");
  }
  if (task == Task::kClassification) {
    size_t positives = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      if (y[i] != 0.0 && y[i] != 1.0) {
        return InvalidArgumentError(what + " value " + std::to_string(y[i]) + " at row " +
                                    std::to_string(i) +
                                    " is not 0 or 1; classification needs a 0/1 target");
      }
      positives += y[i] == 1.0;
    }
    if (positives == 0 || positives == y.size()) {
      return InvalidArgumentError(what + " has only class " + (positives == 0 ? "0" : "1") +
                                  " in its " + std::to_string(y.size()) +
                                  " rows; classification needs both classes — widen the " +
                                  "period or check the outcome definition");
    }
  }
  return OkStatus();
}

}  // namespace

const char* TaskName(Task task) {
  return task == Task::kRegression ? "regression" : "classification";
}

StatusOr<Task> ParseTask(const std::string& name) {
  if (name == "regression") return Task::kRegression;
  if (name == "classification") return Task::kClassification;
  return InvalidArgumentError("task must be 'regression' or 'classification', got '" + name + "'");
}

Status Model::Fit(const Matrix& x, const std::vector<double>& y, const FitOptions& options) {
  const std::string context = type() + " fit";
  RETURN_IF_ERROR(ValidateMatrix(x, "training matrix").WithContext(context));
  if (x.rows == 0) {
    return InvalidArgumentError(context +
                                ": training matrix has no rows; check the split and filters");
  }
  if (needs_features() && x.cols == 0) {
    return InvalidArgumentError(context + ": training matrix has no feature columns; " +
                                "configure at least one usable feature");
  }
  RETURN_IF_ERROR(ValidateTarget(y, x.rows, task(), "training target").WithContext(context));
  if (task() == Task::kRegression) {
    bool constant = true;
    for (double v : y) constant = constant && v == y[0];
    if (constant) {
      return InvalidArgumentError(context + ": training target is constant (every row is " +
                                  std::to_string(y[0]) +
                                  "); there is nothing to learn — check the target column");
    }
  }
  if (options.threads < 1) {
    return InvalidArgumentError(context + ": threads must be >= 1, got " +
                                std::to_string(options.threads));
  }
  std::vector<double> weights;
  if (options.weights != nullptr) {
    weights = *options.weights;
    if (weights.size() != x.rows) {
      return InvalidArgumentError(context + ": " + std::to_string(weights.size()) +
                                  " sample weights for " + std::to_string(x.rows) +
                                  " rows; give one weight per row");
    }
    double total = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (!std::isfinite(weights[i]) || weights[i] < 0) {
        return InvalidArgumentError(context + ": sample weight at row " + std::to_string(i) +
                                    " is " + std::to_string(weights[i]) +
                                    "; weights must be finite and >= 0");
      }
      total += weights[i];
    }
    if (!(total > 0)) {
      return InvalidArgumentError(context + ": sample weights sum to 0; give some row weight");
    }
  }
  if ((options.x_valid == nullptr) != (options.y_valid == nullptr)) {
    return InvalidArgumentError(context + ": set both x_valid and y_valid, or neither");
  }
  if (options.x_valid != nullptr) {
    const Matrix& xv = *options.x_valid;
    RETURN_IF_ERROR(ValidateMatrix(xv, "validation matrix").WithContext(context));
    if (xv.rows == 0) {
      return InvalidArgumentError(context + ": validation matrix has no rows; " +
                                  "check the split or drop the validation set");
    }
    if (xv.cols != x.cols) {
      return InvalidArgumentError(context + ": validation matrix has " + std::to_string(xv.cols) +
                                  " columns, training has " + std::to_string(x.cols) +
                                  "; transform both with the same pipeline");
    }
    if (!xv.feature_names.empty() && !x.feature_names.empty() &&
        xv.feature_names != x.feature_names) {
      return InvalidArgumentError(context + ": validation feature names differ from training; " +
                                  "transform both with the same pipeline");
    }
    RETURN_IF_ERROR(
        ValidateTarget(*options.y_valid, xv.rows, Task::kRegression, "validation target")
            .WithContext(context));
    if (task() == Task::kClassification) {
      for (double v : *options.y_valid) {
        if (v != 0.0 && v != 1.0) {
          return InvalidArgumentError(context + ": validation target value " + std::to_string(v) +
                                      " is not 0 or 1");
        }
      }
    }
  }
  fitted_ = false;
  RETURN_IF_ERROR(FitImpl(x, y, weights, options).WithContext(context));
  set_fitted_features(x.cols, x.feature_names);
  return OkStatus();
}

Status Model::CheckPredictMatrix(const Matrix& x) const {
  const std::string context = type() + " predict";
  if (!fitted_) {
    return FailedPreconditionError(context + ": the model is not fitted; fit it or load its state");
  }
  RETURN_IF_ERROR(ValidateMatrix(x, "input matrix").WithContext(context));
  if (x.cols != num_features_) {
    return InvalidArgumentError(context + ": input has " + std::to_string(x.cols) +
                                " feature columns, the model was trained on " +
                                std::to_string(num_features_) +
                                "; transform the input with the training pipeline");
  }
  if (!x.feature_names.empty() && !feature_names_.empty() && x.feature_names != feature_names_) {
    for (size_t c = 0; c < x.cols; ++c) {
      if (x.feature_names[c] != feature_names_[c]) {
        return InvalidArgumentError(context + ": input column " + std::to_string(c) + " is '" +
                                    x.feature_names[c] + "' but the model expects '" +
                                    feature_names_[c] +
                                    "'; transform the input with the training pipeline");
      }
    }
  }
  return OkStatus();
}

StatusOr<std::vector<double>> Model::Predict(const Matrix& x) const {
  RETURN_IF_ERROR(CheckPredictMatrix(x));
  if (x.rows == 0) return std::vector<double>{};
  return PredictImpl(x);
}

StatusOr<Contributions> Model::Contribute(const Matrix& x) const {
  RETURN_IF_ERROR(CheckPredictMatrix(x));
  if (x.rows == 0) {
    Contributions empty;
    empty.cols = x.cols;
    empty.log_odds = task_ == Task::kClassification;
    return empty;
  }
  return ContributeImpl(x);
}

nlohmann::json Model::SaveConfig() const {
  return {{"type", type()}, {"task", TaskName(task())}, {"params", params()}};
}

StatusOr<std::string> Model::SaveState() const {
  if (!fitted_) {
    return FailedPreconditionError(type() + ": cannot save the state of an unfitted model");
  }
  if (raw_state()) return SaveRawState();
  ASSIGN_OR_RETURN(nlohmann::json state, SaveStateJson());
  nlohmann::json envelope = {{"format", kStateFormat},
                             {"version", kStateVersion},
                             {"type", type()},
                             {"task", TaskName(task())},
                             {"num_features", num_features_},
                             {"feature_names", feature_names_},
                             {"state", std::move(state)}};
  return envelope.dump();
}

Status Model::LoadState(std::string_view state) {
  const std::string context = type() + " load state";
  fitted_ = false;
  if (raw_state()) return LoadRawState(state).WithContext(context);
  nlohmann::json envelope = nlohmann::json::parse(state, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded() || !envelope.is_object()) {
    return DataLossError(context + ": the state is not valid JSON (truncated or corrupted?)");
  }
  try {
    if (envelope.value("format", "") != kStateFormat) {
      return DataLossError(context + ": not a Staycast model state (format field missing)");
    }
    if (envelope.at("version").get<int>() != kStateVersion) {
      return FailedPreconditionError(context + ": state version " + envelope.at("version").dump() +
                                     ", this build reads " + std::to_string(kStateVersion));
    }
    if (envelope.at("type").get<std::string>() != type() ||
        envelope.at("task").get<std::string>() != TaskName(task())) {
      return InvalidArgumentError(context + ": the state is for a " +
                                  envelope.at("task").get<std::string>() + " " +
                                  envelope.at("type").get<std::string>() + " model, this is a " +
                                  TaskName(task()) + " " + type() + " model");
    }
    const auto num_features = envelope.at("num_features").get<size_t>();
    auto names = envelope.at("feature_names").get<std::vector<std::string>>();
    RETURN_IF_ERROR(LoadStateJson(envelope.at("state")).WithContext(context));
    set_fitted_features(num_features, std::move(names));
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(context + ": malformed state: " + e.what());
  }
  return OkStatus();
}

nlohmann::json Model::Describe() const {
  nlohmann::json out = SaveConfig();
  out["fitted"] = fitted_;
  if (fitted_) {
    out["num_features"] = num_features_;
    out["fit"] = DescribeFit();
  }
  return out;
}

StatusOr<std::unique_ptr<Model>> CreateModelFromConfig(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("type") || !config["type"].is_string() ||
      !config.contains("task") || !config["task"].is_string()) {
    return InvalidArgumentError(
        "model config must be an object with string fields 'type' and 'task' and an object "
        "'params'");
  }
  ASSIGN_OR_RETURN(Task task, ParseTask(config["task"].get<std::string>()));
  return CreateModel(config["type"].get<std::string>(), config.value("params", nlohmann::json()),
                     task);
}

StatusOr<std::unique_ptr<Model>> LoadModel(const nlohmann::json& config, std::string_view state) {
  ASSIGN_OR_RETURN(std::unique_ptr<Model> model, CreateModelFromConfig(config));
  RETURN_IF_ERROR(model->LoadState(state));
  return model;
}

}  // namespace staycast::models
