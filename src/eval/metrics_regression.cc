// Regression metrics with optional row counts; the median walks the rows pre-sorted by |error|.
#include "src/eval/metrics_regression.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fmt/format.h"
#include "src/eval/metrics_internal.h"

namespace staycast::eval {
namespace {

using internal::CountOf;
using internal::kNaN;

// Median of |error| over the multiset where row i appears counts[i] times.
double MedianAbsError(const RegressionPredictions& data, RowCounts counts, double total) {
  const auto order = data.by_abs_error();
  const auto sorted = data.sorted_abs_error();
  const auto n = static_cast<uint64_t>(total);
  // 0-based positions of the middle element(s) in the expanded, sorted multiset.
  const uint64_t lo = (n - 1) / 2, hi = n / 2;
  double lo_value = kNaN;
  uint64_t seen = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    // A row counted 0 matches neither test below (no `continue`: it would be mispredicted).
    const auto c = static_cast<uint64_t>(CountOf(counts, order[k]));
    const double e = sorted[k];
    if (seen <= lo && lo < seen + c) lo_value = e;
    if (seen <= hi && hi < seen + c) return 0.5 * (lo_value + e);
    seen += c;
  }
  return kNaN;
}

}  // namespace

StatusOr<RegressionMetrics> ComputeRegressionMetrics(const RegressionPredictions& data,
                                                     RowCounts counts) {
  RETURN_IF_ERROR(CheckRowCounts(counts, data.size()));
  const auto a = data.actual();
  const auto p = data.predicted();
  double n = 0, sum_a = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double c = CountOf(counts, i);
    n += c;
    sum_a += c * a[i];
  }
  if (n == 0) return FailedPreconditionError("regression metrics: no rows counted");
  const double mean_a = sum_a / n;
  double sse = 0, sae = 0, sbias = 0, sst = 0, covered = 0, width = 0;
  // No skipping of rows counted 0 (a bootstrap draw leaves out about a third, at random, so the
  // branch was mispredicted that often): their terms are exactly 0, as every value is finite.
  for (size_t i = 0; i < a.size(); ++i) {
    const double c = CountOf(counts, i);
    const double e = p[i] - a[i];
    sse += c * e * e;
    sae += c * std::fabs(e);
    sbias += c * e;
    sst += c * (a[i] - mean_a) * (a[i] - mean_a);
    if (data.has_interval()) {
      covered += (data.lower()[i] <= a[i] && a[i] <= data.upper()[i]) ? c : 0.0;
      width += c * (data.upper()[i] - data.lower()[i]);
    }
  }
  RegressionMetrics m;
  m.n = static_cast<uint64_t>(n);
  m.mse = sse / n;
  m.rmse = std::sqrt(m.mse);
  m.mae = sae / n;
  m.median_ae = MedianAbsError(data, counts, n);
  m.bias = sbias / n;
  if (sst > 0) {
    m.r2 = 1.0 - sse / sst;
  } else {
    m.r2 = sse == 0 ? 1.0 : 0.0;
  }
  m.has_interval = data.has_interval();
  if (m.has_interval) {
    m.coverage = covered / n;
    m.mean_width = width / n;
  }
  return m;
}

StatusOr<std::vector<BandErrors>> ErrorsByBand(const RegressionPredictions& data,
                                               const std::vector<double>& edges, RowCounts counts) {
  RETURN_IF_ERROR(CheckRowCounts(counts, data.size()));
  if (edges.empty()) return InvalidArgumentError("error bands: no band edges");
  for (size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
      return InvalidArgumentError(fmt::format(
          "error bands: edge {} ({}) is not finite and above the previous edge", i, edges[i]));
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  // Band 0 collects rows below the first edge; band k >= 1 is [edges[k-1], edges[k]).
  const size_t bands = edges.size() + 1;
  std::vector<double> n(bands, 0), sae(bands, 0), sse(bands, 0), sbias(bands, 0);
  const auto a = data.actual();
  const auto p = data.predicted();
  for (size_t i = 0; i < a.size(); ++i) {
    const double c = CountOf(counts, i);
    if (c == 0) continue;
    const size_t b = std::upper_bound(edges.begin(), edges.end(), a[i]) - edges.begin();
    const double e = p[i] - a[i];
    n[b] += c;
    sae[b] += c * std::fabs(e);
    sse[b] += c * e * e;
    sbias[b] += c * e;
  }
  std::vector<BandErrors> out;
  for (size_t b = 0; b < bands; ++b) {
    if (b == 0 && n[0] == 0) continue;
    BandErrors band;
    band.lower = b == 0 ? -inf : edges[b - 1];
    band.upper = b < edges.size() ? edges[b] : inf;
    band.count = static_cast<uint64_t>(n[b]);
    band.mae = n[b] > 0 ? sae[b] / n[b] : kNaN;
    band.rmse = n[b] > 0 ? std::sqrt(sse[b] / n[b]) : kNaN;
    band.bias = n[b] > 0 ? sbias[b] / n[b] : kNaN;
    out.push_back(band);
  }
  return out;
}

}  // namespace staycast::eval
