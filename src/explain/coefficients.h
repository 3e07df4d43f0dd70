// The coefficient table of a fitted ridge or logistic model, in original units ("per additional
// chronic condition: +0.6 days") and standardised (per standard deviation), with 95% Wald
// intervals from the fit (method: docs/evaluation.md).
#pragma once

#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/models/matrix.h"
#include "src/models/model.h"

namespace staycast::explain {

struct CoefficientRow {
  std::string name;  // model feature name ("(intercept)" for the intercept row)
  double mean = 0;   // training mean (missing values are imputed with it)
  double scale = 1;  // training standard deviation
  // Per one unit of the feature: days (ridge) or log-odds (logistic); odds_ratio = exp(coef).
  double coefficient = 0, lower = 0, upper = 0;
  // Per standard deviation of the feature.
  double standardized = 0, standardized_lower = 0, standardized_upper = 0;
  double std_error = 0;  // of the standardised coefficient
  // The feature never varied in the training rows (e.g. a category level not seen): its
  // coefficient is the penalty's 0 and is not estimable, so its interval and error are NaN.
  bool constant = false;
};

struct CoefficientTable {
  bool log_odds = false;
  double residual_sd = 0;                       // ridge only: sqrt(RSS / (n - p - 1))
  size_t rows = 0;                              // training rows the intervals were computed from
  std::vector<CoefficientRow> rows_by_feature;  // first the intercept, then model feature order
};

// Intervals need the training data the model was fitted on (weights as in the fit, or null).
// Ridge: sigma^2 A^-1 Z'Z A^-1 with A = Z'Z + alpha I on centred standardised features, sigma^2
// from the residuals. Logistic: the inverse of the penalised Hessian at the fit. FailedPrecondition
// for models other than ridge and logistic.
StatusOr<CoefficientTable> ComputeCoefficientTable(const models::Model& model,
                                                   const models::Matrix& x,
                                                   const std::vector<double>& y,
                                                   const std::vector<double>* weights = nullptr);

}  // namespace staycast::explain
