// Split-conformal intervals: scale-model fitting on one part of the calibration slice, the
// finite-sample conformal quantile on the other, and JSON persistence.
#include "src/models/conformal.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace staycast::models {
namespace {

constexpr double kFloorShare = 0.05;  // sigma(x) >= 5% of the mean |residual|
constexpr double kTiny = 1e-12;

nlohmann::json DefaultScaleParams(const std::string& type) {
  if (type == "gradient_boosting") {
    return {{"n_rounds", 100},
            {"max_depth", 3},
            {"learning_rate", 0.05},
            {"min_child_weight", 20},
            {"early_stopping_rounds", 0}};
  }
  return nlohmann::json::object();
}

Status CheckCoverage(double coverage) {
  if (!(coverage > 0 && coverage < 1)) {
    return InvalidArgumentError("interval coverage must be in (0, 1), e.g. 0.9; got " +
                                std::to_string(coverage));
  }
  return OkStatus();
}

Status CheckSameSize(size_t a, size_t b, const std::string& what_a, const std::string& what_b) {
  if (a != b) {
    return InvalidArgumentError("conformal intervals: " + std::to_string(a) + " " + what_a +
                                " for " + std::to_string(b) + " " + what_b);
  }
  return OkStatus();
}

}  // namespace

StatusOr<ConformalIntervals> ConformalIntervals::FromScores(const std::vector<double>& scores,
                                                            const ConformalOptions& options) {
  const size_t n = scores.size();
  const double level = std::ceil((static_cast<double>(n) + 1) * options.coverage - 1e-9);
  if (n == 0 || level > static_cast<double>(n)) {
    const auto needed = static_cast<size_t>(std::ceil(options.coverage / (1 - options.coverage)));
    return InvalidArgumentError("conformal intervals: " + std::to_string(n) +
                                " calibration rows are too few for coverage " +
                                std::to_string(options.coverage) + "; need at least " +
                                std::to_string(needed) +
                                " rows for the quantile — enlarge the calibration slice");
  }
  const auto k = static_cast<size_t>(level);  // 1-based rank
  std::vector<double> sorted = scores;
  std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end());
  ConformalIntervals out;
  out.coverage_ = options.coverage;
  out.quantile_ = sorted[k - 1];
  out.lower_bound_ = options.lower_bound;
  out.calibration_size_ = n;
  size_t inside = 0;
  for (double s : scores) inside += s <= out.quantile_;
  out.achieved_coverage_ = static_cast<double>(inside) / n;
  return out;
}

StatusOr<ConformalIntervals> ConformalIntervals::Fit(const Matrix& x, const std::vector<double>& y,
                                                     const std::vector<double>& pred,
                                                     const ConformalOptions& options) {
  RETURN_IF_ERROR(CheckCoverage(options.coverage));
  RETURN_IF_ERROR(ValidateMatrix(x, "calibration matrix").WithContext("conformal intervals"));
  RETURN_IF_ERROR(CheckSameSize(y.size(), x.rows, "targets", "calibration rows"));
  RETURN_IF_ERROR(CheckSameSize(pred.size(), x.rows, "predictions", "calibration rows"));
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i]) || !std::isfinite(pred[i])) {
      return InvalidArgumentError("conformal intervals: calibration row " + std::to_string(i) +
                                  " has a missing target or prediction; drop such rows first");
    }
  }
  std::vector<double> residual(y.size());
  for (size_t i = 0; i < y.size(); ++i) residual[i] = std::abs(y[i] - pred[i]);
  if (options.scale_model == "none") {
    ASSIGN_OR_RETURN(ConformalIntervals out, FromScores(residual, options));
    out.scale_type_ = "none";
    return out;
  }
  if (!(options.scale_fraction > 0 && options.scale_fraction < 1)) {
    return InvalidArgumentError("conformal intervals: scale_fraction must be in (0, 1), got " +
                                std::to_string(options.scale_fraction));
  }
  std::vector<size_t> order(y.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(options.seed);
  std::shuffle(order.begin(), order.end(), rng);
  const auto n_scale = static_cast<size_t>(std::floor(options.scale_fraction * y.size()));
  std::vector<size_t> scale_rows(order.begin(), order.begin() + n_scale);
  std::vector<size_t> quantile_rows(order.begin() + n_scale, order.end());
  std::sort(scale_rows.begin(), scale_rows.end());
  std::sort(quantile_rows.begin(), quantile_rows.end());

  const nlohmann::json params = options.scale_params.is_null()
                                    ? DefaultScaleParams(options.scale_model)
                                    : options.scale_params;
  ASSIGN_OR_RETURN(std::unique_ptr<Model> scale_model,
                   CreateModel(options.scale_model, params, Task::kRegression));
  FitOptions fit;
  fit.threads = options.threads;
  fit.seed = options.seed;
  const std::vector<double> scale_target = SelectElements(residual, scale_rows);
  RETURN_IF_ERROR(scale_model->Fit(SelectRows(x, scale_rows), scale_target, fit)
                      .WithContext("conformal intervals: fitting the residual-scale model on " +
                                   std::to_string(n_scale) + " calibration rows"));
  const double mean_abs =
      std::accumulate(scale_target.begin(), scale_target.end(), 0.0) / scale_target.size();
  const double floor = std::max(kFloorShare * mean_abs, kTiny);

  ASSIGN_OR_RETURN(std::vector<double> sigma, scale_model->Predict(SelectRows(x, quantile_rows)));
  std::vector<double> scores(quantile_rows.size());
  for (size_t i = 0; i < quantile_rows.size(); ++i) {
    scores[i] = residual[quantile_rows[i]] / std::max(sigma[i], floor);
  }
  ASSIGN_OR_RETURN(ConformalIntervals out, FromScores(scores, options));
  out.scale_floor_ = floor;
  out.scale_fit_size_ = n_scale;
  out.scale_type_ = options.scale_model;
  out.scale_model_ = std::move(scale_model);
  out.scale_model_->SetPredictThreads(options.threads);
  return out;
}

StatusOr<ConformalIntervals> ConformalIntervals::FitWithScale(const std::vector<double>& y,
                                                              const std::vector<double>& pred,
                                                              const std::vector<double>& scale,
                                                              const ConformalOptions& options) {
  RETURN_IF_ERROR(CheckCoverage(options.coverage));
  RETURN_IF_ERROR(CheckSameSize(pred.size(), y.size(), "predictions", "targets"));
  RETURN_IF_ERROR(CheckSameSize(scale.size(), y.size(), "scales", "targets"));
  std::vector<double> scores(y.size());
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i]) || !std::isfinite(pred[i]) || !(scale[i] > 0)) {
      return InvalidArgumentError("conformal intervals: row " + std::to_string(i) +
                                  " needs a finite target and prediction and a scale > 0");
    }
    scores[i] = std::abs(y[i] - pred[i]) / scale[i];
  }
  ASSIGN_OR_RETURN(ConformalIntervals out, FromScores(scores, options));
  out.scale_type_ = "provided";
  return out;
}

Intervals ConformalIntervals::Build(const std::vector<double>& pred,
                                    const std::vector<double>& scale) const {
  Intervals out;
  out.lower.resize(pred.size());
  out.upper.resize(pred.size());
  for (size_t i = 0; i < pred.size(); ++i) {
    const double half = quantile_ * scale[i];
    out.lower[i] = std::max(pred[i] - half, lower_bound_);
    out.upper[i] = std::max(pred[i] + half, lower_bound_);
  }
  return out;
}

StatusOr<std::vector<double>> ConformalIntervals::Scale(const Matrix& x) const {
  if (scale_type_ == "provided") {
    return FailedPreconditionError(
        "conformal intervals were fitted with provided scales; use PredictWithScale");
  }
  if (!scale_model_) return std::vector<double>(x.rows, 1.0);
  ASSIGN_OR_RETURN(std::vector<double> sigma, scale_model_->Predict(x));
  for (double& s : sigma) s = std::max(s, scale_floor_);
  return sigma;
}

StatusOr<Intervals> ConformalIntervals::Predict(const Matrix& x,
                                                const std::vector<double>& pred) const {
  RETURN_IF_ERROR(CheckSameSize(pred.size(), x.rows, "predictions", "rows"));
  ASSIGN_OR_RETURN(std::vector<double> sigma, Scale(x));
  return Build(pred, sigma);
}

StatusOr<Intervals> ConformalIntervals::PredictWithScale(const std::vector<double>& pred,
                                                         const std::vector<double>& scale) const {
  RETURN_IF_ERROR(CheckSameSize(scale.size(), pred.size(), "scales", "predictions"));
  return Build(pred, scale);
}

double ConformalIntervals::Coverage(const Intervals& intervals, const std::vector<double>& y) {
  size_t inside = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    inside += y[i] >= intervals.lower[i] && y[i] <= intervals.upper[i];
  }
  return y.empty() ? 0 : static_cast<double>(inside) / y.size();
}

StatusOr<nlohmann::json> ConformalIntervals::ToJson() const {
  nlohmann::json j = {{"format", "staycast-conformal"},
                      {"version", 1},
                      {"coverage", coverage_},
                      {"quantile", quantile_},
                      {"scale_floor", scale_floor_},
                      {"calibration_size", calibration_size_},
                      {"scale_fit_size", scale_fit_size_},
                      {"achieved_coverage", achieved_coverage_},
                      {"scale_type", scale_type_}};
  // JSON has no -inf: absent means unbounded.
  if (std::isfinite(lower_bound_)) j["lower_bound"] = lower_bound_;
  if (scale_model_) {
    ASSIGN_OR_RETURN(std::string state, scale_model_->SaveState());
    j["scale_model"] = {{"config", scale_model_->SaveConfig()}, {"state", state}};
  }
  return j;
}

StatusOr<ConformalIntervals> ConformalIntervals::FromJson(const nlohmann::json& j) {
  ConformalIntervals out;
  try {
    if (j.value("format", "") != "staycast-conformal" || j.at("version").get<int>() != 1) {
      return DataLossError("not Staycast conformal interval parameters (format/version)");
    }
    out.coverage_ = j.at("coverage").get<double>();
    out.quantile_ = j.at("quantile").get<double>();
    out.scale_floor_ = j.at("scale_floor").get<double>();
    out.calibration_size_ = j.at("calibration_size").get<size_t>();
    out.scale_fit_size_ = j.at("scale_fit_size").get<size_t>();
    out.achieved_coverage_ = j.at("achieved_coverage").get<double>();
    out.scale_type_ = j.at("scale_type").get<std::string>();
    if (j.contains("lower_bound")) out.lower_bound_ = j.at("lower_bound").get<double>();
    if (j.contains("scale_model")) {
      const nlohmann::json& m = j.at("scale_model");
      ASSIGN_OR_RETURN(out.scale_model_,
                       LoadModel(m.at("config"), m.at("state").get<std::string>()));
    } else if (out.scale_type_ != "none" && out.scale_type_ != "provided") {
      return DataLossError("conformal parameters name scale model '" + out.scale_type_ +
                           "' but do not contain it");
    }
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(std::string("malformed conformal parameters: ") + e.what());
  }
  RETURN_IF_ERROR(CheckCoverage(out.coverage_));
  return out;
}

}  // namespace staycast::models
