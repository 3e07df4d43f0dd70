// Candidate fitting, scoring and selection.
#include "src/train/candidates.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "src/eval/evaluation.h"

namespace staycast::train {

StatusOr<nlohmann::json> ScoreMetrics(models::Task task, const std::vector<double>& y,
                                      const std::vector<double>& pred, bool constant_ok) {
  if (task == models::Task::kRegression) return eval::RegressionMetricsJson(y, pred);
  return eval::ClassificationMetricsJson(y, pred, std::nullopt, constant_ok);
}

int Simplicity(const std::string& type) {
  if (type == "mean" || type == "median" || type == "prevalence" || type == "always_negative") {
    return 0;
  }
  if (type == "group_median") return 1;
  if (type == "ridge" || type == "logistic") return 2;
  if (type == "svr") return 3;
  if (type == "random_forest") return 4;
  return 5;
}

StatusOr<FittedModel> FitCandidate(const TrainConfig& config, const CandidateSpec& spec,
                                   bool baseline, const SplitData& data,
                                   const std::vector<double>* weights,
                                   const TrainOptions& options) {
  FittedModel out;
  out.result.name = spec.name;
  out.result.type = spec.type;
  out.result.baseline = baseline;
  nlohmann::json params = spec.params;
  ASSIGN_OR_RETURN(out.model, models::CreateModel(spec.type, params, config.task));
  out.result.params = out.model->params();
  models::FitOptions fit;
  fit.threads = config.threads;
  fit.seed = config.seed;
  fit.weights = weights;
  if (data.valid.x.rows > 0) {
    fit.x_valid = &data.valid.x;
    fit.y_valid = &data.valid.y;
  }
  const std::string name = spec.name;
  if (options.progress) {
    fit.on_round = [&options, name](const models::RoundInfo& r) {
      if (!options.every_round && (r.round + 1) % 25 != 0) return;
      options.progress(fmt::format("  {} round {}: train {} {:.4f}, valid {:.4f} (best round {})",
                                   name, r.round + 1, r.metric, r.train_metric, r.valid_metric,
                                   r.best_round + 1));
    };
    options.progress(fmt::format("training {} ({}) on {} rows x {} features", name, spec.type,
                                 data.train.x.rows, data.train.x.cols));
  }
  const auto start = std::chrono::steady_clock::now();
  Status fitted = out.model->Fit(data.train.x, data.train.y, fit);
  if (!fitted.ok()) return fitted.WithContext("model '" + name + "' (" + spec.type + ")");
  out.result.fit_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.result.describe = out.model->Describe();
  const auto predict = [&](const Part& part, std::vector<double>* pred) -> Status {
    if (part.x.rows == 0) return OkStatus();
    ASSIGN_OR_RETURN(*pred, out.model->Predict(part.x));
    return OkStatus();
  };
  RETURN_IF_ERROR(predict(data.valid, &out.valid_pred));
  RETURN_IF_ERROR(predict(data.calibration, &out.calibration_pred));
  RETURN_IF_ERROR(predict(data.test, &out.test_pred));
  if (!out.valid_pred.empty()) {
    ASSIGN_OR_RETURN(out.result.valid,
                     ScoreMetrics(config.task, data.valid.y, out.valid_pred, baseline));
  }
  ASSIGN_OR_RETURN(out.result.test,
                   ScoreMetrics(config.task, data.test.y, out.test_pred, baseline));
  if (options.progress) {
    const nlohmann::json& m = out.result.valid.is_null() ? out.result.test : out.result.valid;
    const nlohmann::json& v =
        m.contains(config.primary_metric) ? m[config.primary_metric] : nlohmann::json();
    options.progress(fmt::format("  {} done in {:.1f} s: {} {} {}", name, out.result.fit_seconds,
                                 out.result.valid.is_null() ? "test" : "valid",
                                 config.primary_metric,
                                 v.is_number() ? fmt::format("{:.4f}", v.get<double>()) : "n/a"));
  }
  return out;
}

StatusOr<size_t> ChooseBest(const TrainConfig& config, const std::vector<FittedModel>& fitted) {
  const auto value = [&](const FittedModel& f) {
    const nlohmann::json& m = f.result.valid.is_null() ? f.result.test : f.result.valid;
    const nlohmann::json& v =
        m.contains(config.primary_metric) ? m[config.primary_metric] : nlohmann::json();
    return v.is_number() ? v.get<double>() : std::nan("");
  };
  double best = std::nan("");
  for (const FittedModel& f : fitted) {
    if (f.result.baseline) continue;
    const double v = value(f);
    if (std::isnan(v)) continue;
    if (std::isnan(best) || (config.greater_is_better ? v > best : v < best)) best = v;
  }
  if (std::isnan(best)) {
    return FailedPreconditionError("no candidate model produced a usable " + config.primary_metric);
  }
  const double tolerance = 1e-3 * std::max(std::fabs(best), 1e-12);
  size_t chosen = fitted.size();
  for (size_t i = 0; i < fitted.size(); ++i) {
    if (fitted[i].result.baseline) continue;
    const double v = value(fitted[i]);
    if (std::isnan(v) || std::fabs(v - best) > tolerance) continue;
    if (chosen == fitted.size() ||
        Simplicity(fitted[i].result.type) < Simplicity(fitted[chosen].result.type)) {
      chosen = i;
    }
  }
  return chosen;
}

}  // namespace staycast::train
