// Matrix: the dense, row-major float feature matrix every model consumes (NaN marks a missing
// value). The feature pipeline produces it; models, calibration and conformal intervals read it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::models {

// A dense row-major matrix of features. `values[r * cols + c]` is row r, feature c. NaN means
// missing. `feature_names` is either empty or has `cols` entries. A plain value type; not
// synchronised.
struct Matrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> values;
  std::vector<std::string> feature_names;

  float at(size_t r, size_t c) const { return values[r * cols + c]; }
  const float* row(size_t r) const { return values.data() + r * cols; }
};

// Checks the shape invariants (values.size() == rows * cols, names empty or one per column) and
// that no value is infinite. `what` names the matrix in messages (e.g. "training matrix").
Status ValidateMatrix(const Matrix& m, const std::string& what);

// The name of column c for messages: the feature name, or "column <c>" when names are absent.
std::string ColumnLabel(const Matrix& m, size_t c);

// Rows `indices` of m, in that order, with the same feature names.
Matrix SelectRows(const Matrix& m, const std::vector<size_t>& indices);

// Elements `indices` of v, in that order.
std::vector<double> SelectElements(const std::vector<double>& v,
                                   const std::vector<size_t>& indices);

}  // namespace staycast::models
