// Standardizer implementation.
#include "src/models/standardizer.h"

#include <cmath>

namespace staycast::models {

void Standardizer::Fit(const Matrix& x) {
  means_.assign(x.cols, 0.0);
  scales_.assign(x.cols, 1.0);
  std::vector<double> sum(x.cols, 0.0);
  std::vector<size_t> count(x.cols, 0);
  for (size_t r = 0; r < x.rows; ++r) {
    const float* row = x.row(r);
    for (size_t c = 0; c < x.cols; ++c) {
      if (!std::isnan(row[c])) {
        sum[c] += row[c];
        ++count[c];
      }
    }
  }
  for (size_t c = 0; c < x.cols; ++c) means_[c] = count[c] > 0 ? sum[c] / count[c] : 0.0;
  std::vector<double> sq(x.cols, 0.0);
  for (size_t r = 0; r < x.rows; ++r) {
    const float* row = x.row(r);
    for (size_t c = 0; c < x.cols; ++c) {
      if (!std::isnan(row[c])) sq[c] += (row[c] - means_[c]) * (row[c] - means_[c]);
    }
  }
  for (size_t c = 0; c < x.cols; ++c) {
    const double sd = count[c] > 1 ? std::sqrt(sq[c] / count[c]) : 0.0;
    scales_[c] = sd > 1e-12 ? sd : 1.0;
  }
}

void Standardizer::TransformRow(const float* row, double* out) const {
  for (size_t c = 0; c < means_.size(); ++c) {
    out[c] = std::isnan(row[c]) ? 0.0 : (row[c] - means_[c]) / scales_[c];
  }
}

Eigen::MatrixXd Standardizer::Transform(const Matrix& x) const {
  // Row-major so each row is contiguous for TransformRow; Eigen copies to column-major.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out(x.rows, x.cols);
  for (size_t r = 0; r < x.rows; ++r) TransformRow(x.row(r), out.row(r).data());
  return out;
}

nlohmann::json Standardizer::ToJson() const { return {{"means", means_}, {"scales", scales_}}; }

Status Standardizer::FromJson(const nlohmann::json& j) {
  means_ = j.at("means").get<std::vector<double>>();
  scales_ = j.at("scales").get<std::vector<double>>();
  if (means_.size() != scales_.size()) {
    return DataLossError("standardizer has " + std::to_string(means_.size()) + " means but " +
                         std::to_string(scales_.size()) + " scales");
  }
  for (double s : scales_) {
    if (!(s > 0)) return DataLossError("standardizer has a non-positive scale");
  }
  return OkStatus();
}

}  // namespace staycast::models
