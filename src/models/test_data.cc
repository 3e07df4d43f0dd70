// Seeded synthetic data builders and metrics for the models tests.
#include "src/models/test_data.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>

namespace staycast::models::testing {
namespace {

Matrix Features(size_t rows, std::mt19937_64& rng, std::vector<int>* dept) {
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> unif(0, 1);
  Matrix x;
  x.rows = rows;
  x.cols = 6;
  x.feature_names = {"x0", "x1", "x2", "x3", "dept=A", "dept=B"};
  x.values.resize(rows * x.cols);
  dept->resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    float* row = x.values.data() + r * x.cols;
    for (int c = 0; c < 4; ++c) row[c] = static_cast<float>(normal(rng));
    if (unif(rng) < 0.1) row[3] = std::numeric_limits<float>::quiet_NaN();
    const double u = unif(rng);
    (*dept)[r] = u < 0.4 ? 0 : (u < 0.8 ? 1 : 2);
    row[4] = (*dept)[r] == 0 ? 1.0F : 0.0F;
    row[5] = (*dept)[r] == 1 ? 1.0F : 0.0F;
  }
  return x;
}

}  // namespace

Dataset MakeRegression(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int> dept;
  Dataset d;
  d.x = Features(rows, rng, &dept);
  std::normal_distribution<double> normal(0, 1);
  const double dept_effect[] = {0.0, 0.6, -0.4};
  for (size_t r = 0; r < rows; ++r) {
    const float* row = d.x.row(r);
    const double eta =
        1.2 + 0.5 * row[0] - 0.3 * row[1] + 0.2 * std::sin(2 * row[2]) + dept_effect[dept[r]];
    d.y.push_back(std::exp(eta + 0.3 * normal(rng)));
  }
  return d;
}

Dataset MakeClassification(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int> dept;
  Dataset d;
  d.x = Features(rows, rng, &dept);
  std::uniform_real_distribution<double> unif(0, 1);
  const double dept_effect[] = {0.0, 0.8, -0.5};
  for (size_t r = 0; r < rows; ++r) {
    const float* row = d.x.row(r);
    const double logit = -1.4 + 1.2 * row[0] - 0.8 * row[1] + dept_effect[dept[r]];
    d.y.push_back(unif(rng) < 1 / (1 + std::exp(-logit)) ? 1.0 : 0.0);
  }
  return d;
}

Dataset MakeLinear(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  Dataset d;
  d.x.rows = rows;
  d.x.cols = 2;
  d.x.feature_names = {"big", "small"};
  for (size_t r = 0; r < rows; ++r) {
    const auto big = static_cast<float>(500 + 100 * normal(rng));
    const auto small = static_cast<float>(0.01 * normal(rng));
    d.x.values.push_back(big);
    d.x.values.push_back(small);
    d.y.push_back(1 + 2.0 * big - 3.0 * small);
  }
  return d;
}

Matrix FirstRows(const Matrix& x, size_t n) {
  Matrix m;
  m.rows = n;
  m.cols = x.cols;
  m.values.assign(x.values.begin(), x.values.begin() + static_cast<std::ptrdiff_t>(n * x.cols));
  return m;
}

double MeanSquaredError(const std::vector<double>& y, const std::vector<double>& pred) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += (y[i] - pred[i]) * (y[i] - pred[i]);
  return s / y.size();
}

double MeanAbsoluteError(const std::vector<double>& y, const std::vector<double>& pred) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += std::abs(y[i] - pred[i]);
  return s / y.size();
}

double Brier(const std::vector<double>& y, const std::vector<double>& p) {
  return MeanSquaredError(y, p);
}

}  // namespace staycast::models::testing
