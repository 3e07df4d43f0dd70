// Prometheus text rendering of the serving metrics (see metrics.h).
#include "src/serve/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace staycast::serve {
namespace {

// Label values escape backslash, double quote and newline.
std::string Label(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::CountRequest(const std::string& endpoint, int status, double seconds) {
  const size_t bucket = static_cast<size_t>(
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
      kLatencyBuckets.begin());
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{endpoint, status}];
  Histogram& h = latency_[endpoint];
  ++h.counts[bucket];
  h.sum += seconds;
  ++h.count;
}

void Metrics::CountError(const std::string& code) {
  std::lock_guard<std::mutex> lock(mu_);
  ++errors_[code];
}

void Metrics::CountPredictions(const std::string& model, int version, const std::string& arm,
                               bool shadow, int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  predictions_[{model, version, arm, shadow}] += n;
}

void Metrics::CountImputed(const std::string& model, const std::string& field, int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  imputed_[{model, field}] += n;
}

void Metrics::CountReload(const std::string& model) {
  std::lock_guard<std::mutex> lock(mu_);
  ++reloads_[model];
}

void Metrics::SetLogCounters(int64_t written, int64_t dropped, int64_t queued) {
  log_written_ = written;
  log_dropped_ = dropped;
  log_queued_ = queued;
}

double Metrics::LatencyQuantile(const std::string& endpoint, double q) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = latency_.find(endpoint);
  if (it == latency_.end() || it->second.count == 0) return NAN;
  const Histogram& h = it->second;
  const double target = q * static_cast<double>(h.count);
  double seen = 0;
  for (size_t b = 0; b < h.counts.size(); ++b) {
    const double next = seen + static_cast<double>(h.counts[b]);
    if (next >= target && h.counts[b] > 0) {
      const double lo = b == 0 ? 0.0 : kLatencyBuckets[b - 1];
      const double hi = b < kLatencyBuckets.size() ? kLatencyBuckets[b] : lo * 2;
      return lo + (hi - lo) * (target - seen) / static_cast<double>(h.counts[b]);
    }
    seen = next;
  }
  return kLatencyBuckets.back();
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  out += "# HELP staycast_requests_total HTTP requests by endpoint and status.\n";
  out += "# TYPE staycast_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += fmt::format("staycast_requests_total{{endpoint=\"{}\",status=\"{}\"}} {}\n",
                       Label(key.first), key.second, n);
  }
  out += "# HELP staycast_errors_total Failed requests by error code.\n";
  out += "# TYPE staycast_errors_total counter\n";
  for (const auto& [code, n] : errors_) {
    out += fmt::format("staycast_errors_total{{code=\"{}\"}} {}\n", Label(code), n);
  }
  out += "# HELP staycast_request_duration_seconds Server-side request latency.\n";
  out += "# TYPE staycast_request_duration_seconds histogram\n";
  for (const auto& [endpoint, h] : latency_) {
    int64_t cumulative = 0;
    for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      cumulative += h.counts[b];
      out +=
          fmt::format("staycast_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n",
                      Label(endpoint), kLatencyBuckets[b], cumulative);
    }
    out +=
        fmt::format("staycast_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n",
                    Label(endpoint), h.count);
    out += fmt::format("staycast_request_duration_seconds_sum{{endpoint=\"{}\"}} {}\n",
                       Label(endpoint), h.sum);
    out += fmt::format("staycast_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n",
                       Label(endpoint), h.count);
  }
  out += "# HELP staycast_predictions_total Instances scored, by model, version and arm.\n";
  out += "# TYPE staycast_predictions_total counter\n";
  for (const auto& [key, n] : predictions_) {
    const auto& [model, version, arm, shadow] = key;
    out += fmt::format(
        "staycast_predictions_total{{model=\"{}\",version=\"{}\",arm=\"{}\",shadow=\"{}\"}} {}\n",
        Label(model), version, Label(arm), shadow ? "true" : "false", n);
  }
  out += "# HELP staycast_imputed_inputs_total Missing inputs imputed, by model and field.\n";
  out += "# TYPE staycast_imputed_inputs_total counter\n";
  for (const auto& [key, n] : imputed_) {
    out += fmt::format("staycast_imputed_inputs_total{{model=\"{}\",field=\"{}\"}} {}\n",
                       Label(key.first), Label(key.second), n);
  }
  out += "# HELP staycast_model_reloads_total Live model swaps after an alias move.\n";
  out += "# TYPE staycast_model_reloads_total counter\n";
  for (const auto& [model, n] : reloads_) {
    out += fmt::format("staycast_model_reloads_total{{model=\"{}\"}} {}\n", Label(model), n);
  }
  out += "# HELP staycast_prediction_log_rows Prediction log rows by state.\n";
  out += "# TYPE staycast_prediction_log_rows gauge\n";
  out += fmt::format("staycast_prediction_log_rows{{state=\"written\"}} {}\n", log_written_.load());
  out += fmt::format("staycast_prediction_log_rows{{state=\"dropped\"}} {}\n", log_dropped_.load());
  out += fmt::format("staycast_prediction_log_rows{{state=\"queued\"}} {}\n", log_queued_.load());
  return out;
}

}  // namespace staycast::serve
