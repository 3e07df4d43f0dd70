// Standardizer: per-feature centring and scaling fitted on training rows, with missing values
// imputed by the training mean (so they become 0 after standardising). Used by ridge, logistic
// and SVR.
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <vector>

#include "src/core/status.h"
#include "src/models/matrix.h"

namespace staycast::models {

class Standardizer {
 public:
  // Means and standard deviations over the non-missing values of each column (unweighted).
  // A column that is constant or entirely missing gets scale 1, so it standardises to 0.
  void Fit(const Matrix& x);

  // (x - mean) / scale, with NaN -> 0; one row of `out` per row of x.
  Eigen::MatrixXd Transform(const Matrix& x) const;
  // The same for one row into `out` (size cols).
  void TransformRow(const float* row, double* out) const;

  const std::vector<double>& means() const { return means_; }
  const std::vector<double>& scales() const { return scales_; }

  nlohmann::json ToJson() const;
  // Throws nlohmann::json::exception on a malformed object (callers catch at their boundary).
  Status FromJson(const nlohmann::json& j);
  size_t size() const { return means_.size(); }

 private:
  std::vector<double> means_;
  std::vector<double> scales_;
};

}  // namespace staycast::models
