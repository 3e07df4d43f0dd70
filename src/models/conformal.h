// Split-conformal prediction intervals for regression with adaptive width: residuals are
// normalised by a model of their size, sigma(x), and the interval is prediction +/- q * sigma(x).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/models/matrix.h"
#include "src/models/model.h"

namespace staycast::models {

struct ConformalOptions {
  double coverage = 0.9;  // target coverage in (0, 1)
  // Model of residual size fitted on features -> |y - prediction|: "gradient_boosting",
  // "ridge", or "none" (constant width). Any regression type of CreateModel works.
  std::string scale_model = "gradient_boosting";
  // Params for the scale model; null = small defaults (see docs/models.md).
  nlohmann::json scale_params;
  // Share of the calibration slice used to fit the scale model; the rest computes the quantile.
  double scale_fraction = 0.5;
  // Intervals are clipped below at this value (e.g. 0 for a length of stay).
  double lower_bound = -std::numeric_limits<double>::infinity();
  int threads = 1;
  uint64_t seed = 0;
};

struct Intervals {
  std::vector<double> lower;
  std::vector<double> upper;
};

// Fitted interval parameters. Move-only (owns the scale model). Predict is const.
class ConformalIntervals {
 public:
  // Fits on a calibration slice: features, observed targets and the point model's predictions.
  // Rows are split at random (seeded) into a part that fits the scale model and a part of
  // n rows whose normalised scores s_i = |y_i - pred_i| / sigma(x_i) give the quantile: the
  // ceil((n + 1) * coverage)-th smallest score. Fails if n < coverage / (1 - coverage).
  static StatusOr<ConformalIntervals> Fit(const Matrix& x, const std::vector<double>& y,
                                          const std::vector<double>& pred,
                                          const ConformalOptions& options);
  // The same with a caller-provided scale per row (> 0); all rows compute the quantile. Predict
  // then needs PredictWithScale.
  static StatusOr<ConformalIntervals> FitWithScale(const std::vector<double>& y,
                                                   const std::vector<double>& pred,
                                                   const std::vector<double>& scale,
                                                   const ConformalOptions& options);

  // Intervals around `pred` for the rows of x.
  StatusOr<Intervals> Predict(const Matrix& x, const std::vector<double>& pred) const;
  StatusOr<Intervals> PredictWithScale(const std::vector<double>& pred,
                                       const std::vector<double>& scale) const;
  // sigma(x) per row (1 for scale_model "none").
  StatusOr<std::vector<double>> Scale(const Matrix& x) const;

  double coverage() const { return coverage_; }
  double quantile() const { return quantile_; }
  size_t calibration_size() const { return calibration_size_; }
  size_t scale_fit_size() const { return scale_fit_size_; }
  // Share of the quantile rows inside their interval (>= coverage by construction).
  double achieved_coverage() const { return achieved_coverage_; }
  const std::string& scale_model_type() const { return scale_type_; }

  // Everything needed to rebuild the intervals, including the scale model's config and state.
  StatusOr<nlohmann::json> ToJson() const;
  static StatusOr<ConformalIntervals> FromJson(const nlohmann::json& j);

  // Share of y inside [lower, upper].
  static double Coverage(const Intervals& intervals, const std::vector<double>& y);

  // Threads the scale model predicts with (a loaded model starts at 1).
  void SetPredictThreads(int threads) const {
    if (scale_model_) scale_model_->SetPredictThreads(threads);
  }

 private:
  static StatusOr<ConformalIntervals> FromScores(const std::vector<double>& scores,
                                                 const ConformalOptions& options);
  Intervals Build(const std::vector<double>& pred, const std::vector<double>& scale) const;

  double coverage_ = 0.9;
  double quantile_ = 0;
  double scale_floor_ = 0;
  double lower_bound_ = -std::numeric_limits<double>::infinity();
  size_t calibration_size_ = 0;
  size_t scale_fit_size_ = 0;
  double achieved_coverage_ = 0;
  std::string scale_type_ = "none";  // "none", "provided", or a model type
  std::unique_ptr<Model> scale_model_;
};

}  // namespace staycast::models
