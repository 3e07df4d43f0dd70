// `ridge` (L2-penalised least squares) and `logistic` (L2-penalised logistic regression) over
// Eigen, fitted on standardised features with missing values imputed by the training mean.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/models/model.h"

namespace staycast::models {

// A fitted linear model's coefficients. The model is
//   score = standardized_intercept + sum_j standardized_coefficients[j] * (x_j - means[j]) /
//   scales[j]
//         = intercept + sum_j coefficients[j] * x_j            (original units)
// with a missing x_j replaced by means[j]. For logistic the score is the log-odds.
struct LinearCoefficients {
  std::vector<std::string> feature_names;  // empty if the training matrix had none
  double intercept = 0;
  std::vector<double> coefficients;
  double standardized_intercept = 0;
  std::vector<double> standardized_coefficients;
  std::vector<double> means;
  std::vector<double> scales;
};

// Builds "ridge" (regression) or "logistic" (classification) from validated params.
StatusOr<std::unique_ptr<Model>> CreateLinearModel(const std::string& type,
                                                   const nlohmann::json& params, Task task);

// The coefficients of a fitted ridge or logistic model; fails for other types or unfitted models.
StatusOr<LinearCoefficients> GetLinearCoefficients(const Model& model);

}  // namespace staycast::models
