// Seeded random data builders for the metrics tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace staycast::eval::testing {

// Outcomes with the given prevalence and probabilities that carry signal (higher for outcome 1).
struct BinarySample {
  std::vector<double> y, p;
};
inline BinarySample RandomBinary(size_t n, double prevalence, uint64_t seed, double signal = 1.0) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution outcome(prevalence);
  std::normal_distribution<double> noise(0.0, 1.0);
  BinarySample s;
  for (size_t i = 0; i < n; ++i) {
    const double y = outcome(rng) ? 1.0 : 0.0;
    s.y.push_back(y);
    s.p.push_back(1.0 / (1.0 + std::exp(-(noise(rng) + signal * y - 1.0))));
  }
  return s;
}

// Outcomes drawn from the probabilities themselves: a perfectly calibrated model.
inline BinarySample CalibratedBinary(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> risk(0.02, 0.9);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  BinarySample s;
  for (size_t i = 0; i < n; ++i) {
    s.p.push_back(risk(rng));
    s.y.push_back(u(rng) < s.p.back() ? 1.0 : 0.0);
  }
  return s;
}

}  // namespace staycast::eval::testing
