// Link functions shared by the models and the calibrators.
#pragma once

#include <cmath>

namespace staycast::models {

// The logistic function 1 / (1 + e^-z): log-odds to probability.
inline double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace staycast::models
