// Matrix helpers: shape validation and row selection.
#include "src/models/matrix.h"

#include <cmath>

namespace staycast::models {

Status ValidateMatrix(const Matrix& m, const std::string& what) {
  if (m.values.size() != m.rows * m.cols) {
    return InvalidArgumentError(what + ": has " + std::to_string(m.values.size()) +
                                " values but rows x cols = " + std::to_string(m.rows) + " x " +
                                std::to_string(m.cols) + " = " + std::to_string(m.rows * m.cols) +
                                "; make values hold exactly rows * cols entries, row-major");
  }
  if (!m.feature_names.empty() && m.feature_names.size() != m.cols) {
    return InvalidArgumentError(what + ": has " + std::to_string(m.feature_names.size()) +
                                " feature names for " + std::to_string(m.cols) +
                                " columns; give one name per column or none");
  }
  for (size_t i = 0; i < m.values.size(); ++i) {
    if (std::isinf(m.values[i])) {
      return InvalidArgumentError(what + ": infinite value at row " + std::to_string(i / m.cols) +
                                  ", " + ColumnLabel(m, i % m.cols) +
                                  "; use NaN for missing values and finite numbers otherwise");
    }
  }
  return OkStatus();
}

std::string ColumnLabel(const Matrix& m, size_t c) {
  if (c < m.feature_names.size()) return "feature '" + m.feature_names[c] + "'";
  return "column " + std::to_string(c);
}

Matrix SelectRows(const Matrix& m, const std::vector<size_t>& indices) {
  Matrix out;
  out.rows = indices.size();
  out.cols = m.cols;
  out.feature_names = m.feature_names;
  out.values.reserve(out.rows * out.cols);
  for (size_t r : indices) out.values.insert(out.values.end(), m.row(r), m.row(r) + m.cols);
  return out;
}

std::vector<double> SelectElements(const std::vector<double>& v,
                                   const std::vector<size_t>& indices) {
  std::vector<double> out;
  out.reserve(indices.size());
  for (size_t i : indices) out.push_back(v[i]);
  return out;
}

}  // namespace staycast::models
