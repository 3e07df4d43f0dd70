// Serving metrics in the Prometheus text format: requests by endpoint and status, errors by code,
// a request-latency histogram, predictions per model/version/arm, imputed inputs per model and
// field, and the prediction log's counters. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace staycast::serve {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      50e-6, 100e-6, 150e-6, 200e-6, 300e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3, 50e-3, 0.1, 0.5, 2};

  void CountRequest(const std::string& endpoint, int status, double seconds);
  void CountError(const std::string& code);
  void CountPredictions(const std::string& model, int version, const std::string& arm, bool shadow,
                        int64_t n);
  void CountImputed(const std::string& model, const std::string& field, int64_t n);
  void CountReload(const std::string& model);
  void SetLogCounters(int64_t written, int64_t dropped, int64_t queued);

  // The text exposition format, version 0.0.4.
  std::string Render() const;

  // Approximate server-side latency quantile (seconds) from the histogram of `endpoint` (linear
  // within a bucket); NaN without data. For benchmarks and logs.
  double LatencyQuantile(const std::string& endpoint, double q) const;

 private:
  struct Histogram {
    std::array<int64_t, kLatencyBuckets.size() + 1> counts{};
    double sum = 0;
    int64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, int64_t> errors_;
  std::map<std::tuple<std::string, int, std::string, bool>, int64_t> predictions_;
  std::map<std::pair<std::string, std::string>, int64_t> imputed_;
  std::map<std::string, int64_t> reloads_;
  std::atomic<int64_t> log_written_{0}, log_dropped_{0}, log_queued_{0};
};

}  // namespace staycast::serve
