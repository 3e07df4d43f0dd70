// Deterministic random numbers for the synthetic generator: xoshiro256** seeded through SplitMix64,
// with every distribution written here (not <random>'s, which differ between standard libraries).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace staycast::synth {

// SplitMix64's output function: a good 64-bit mix, used to derive independent stream seeds.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// The seed of stream `index` under `seed` (e.g. one stream per patient).
inline uint64_t StreamSeed(uint64_t seed, uint64_t index) {
  return Mix64(Mix64(seed) ^ Mix64(index));
}

// A small, fast generator with a 256-bit state. Not thread-safe; one per stream.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& s : state_) {
      s = Mix64(x);
      x += 0x9E3779B97F4A7C15ULL;
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1): safe for log().
  double UniformOpen() { return (static_cast<double>(Next() >> 11) + 0.5) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the tiny bias is irrelevant here).
  int Below(int n) {
    return static_cast<int>((static_cast<unsigned __int128>(Next()) * static_cast<uint64_t>(n)) >>
                            64);
  }
  bool Bernoulli(double p) { return Uniform() < p; }

  // Standard normal by Box-Muller; each pair of uniforms gives two normals, the second is kept
  // for the next call.
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(UniformOpen()));
    const double theta = 2.0 * std::numbers::pi * Uniform();
    spare_ = r * std::sin(theta);
    has_spare_ = true;
    return r * std::cos(theta);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Standard logistic by inverse CDF.
  double Logistic() {
    const double u = UniformOpen();
    return std::log(u / (1.0 - u));
  }
  double Exponential(double mean) { return -mean * std::log(UniformOpen()); }
  // Poisson by counting uniform products (Knuth); fine for the small means used here.
  int Poisson(double mean) {
    const double limit = std::exp(-mean);
    int k = 0;
    double product = Uniform();
    while (product > limit && k < 64) {
      ++k;
      product *= Uniform();
    }
    return k;
  }
  // Index drawn with probability weights[i] / total; total must be the sum of the n weights.
  // Never returns an index whose weight is zero.
  int Pick(const double* weights, int n, double total) {
    double x = Uniform() * total;
    int last_positive = 0;
    for (int i = 0; i < n; ++i) {
      if (weights[i] <= 0) continue;
      last_positive = i;
      x -= weights[i];
      if (x < 0) return i;
    }
    return last_positive;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

inline double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace staycast::synth
