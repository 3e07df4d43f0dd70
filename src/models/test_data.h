// Seeded synthetic data and small metrics for the models tests.
#pragma once

#include <cstdint>
#include <vector>

#include "src/models/matrix.h"

namespace staycast::models::testing {

struct Dataset {
  Matrix x;
  std::vector<double> y;
};

// Regression: 6 features (x0..x3 numeric, some NaN in x3; "dept=A", "dept=B" one-hot) and a
// positive, skewed target driven by x0, x1, the department and noise.
Dataset MakeRegression(size_t rows, uint64_t seed);

// Binary classification with ~25% positives driven by x0, x1 and a department effect.
Dataset MakeClassification(size_t rows, uint64_t seed);

// y = 1 + 2 * x0 - 3 * x1 exactly, with x0 on a scale of hundreds and x1 of hundredths.
Dataset MakeLinear(size_t rows, uint64_t seed);

// The first n rows of x (n <= x.rows), without feature names.
Matrix FirstRows(const Matrix& x, size_t n);

double MeanSquaredError(const std::vector<double>& y, const std::vector<double>& pred);
double MeanAbsoluteError(const std::vector<double>& y, const std::vector<double>& pred);
double Brier(const std::vector<double>& y, const std::vector<double>& p);

}  // namespace staycast::models::testing
