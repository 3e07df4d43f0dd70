// Logistic recalibration by Newton's method (two parameters, and the one-parameter
// calibration-in-the-large), plus the calibration-bin rule shared with sklearn.
#include "src/eval/metrics_logistic.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fmt/format.h"
#include "src/eval/metrics_internal.h"

namespace staycast::eval {
namespace {

constexpr int kMaxIterations = 100;
constexpr int kMaxHalvings = 40;
constexpr double kConvergence = 1e-10;
constexpr double kDivergedSlope = 1e6;

using internal::CountOf;

// log(1 + exp(eta)) without overflow.
inline double Softplus(double eta) {
  return eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
}

struct Pass {
  double loglik = 0;
  double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
};

// Log-likelihood, gradient and (negated) Hessian at (a, b); with offset_only the slope is fixed.
Pass Evaluate(std::span<const double> x, std::span<const uint8_t> y, RowCounts counts, double a,
              double b) {
  Pass s;
  for (size_t i = 0; i < x.size(); ++i) {
    const double c = CountOf(counts, i);
    if (c == 0) continue;
    const double eta = a + b * x[i];
    const double mu = 1.0 / (1.0 + std::exp(-eta));
    const double r = c * (y[i] - mu);
    const double w = c * mu * (1.0 - mu);
    s.loglik += c * (y[i] * eta - Softplus(eta));
    s.g0 += r;
    s.g1 += r * x[i];
    s.h00 += w;
    s.h01 += w * x[i];
    s.h11 += w * x[i] * x[i];
  }
  return s;
}

Status NotConverged(const char* what) {
  return FailedPreconditionError(fmt::format(
      "{} did not converge: the predicted probabilities may be all equal (no slope to fit) or "
      "separate the outcomes perfectly (infinite slope)",
      what));
}

}  // namespace

std::vector<double> ClippedLogits(std::span<const double> probabilities) {
  std::vector<double> out(probabilities.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const double p = std::clamp(probabilities[i], kLogitEpsilon, 1.0 - kLogitEpsilon);
    out[i] = std::log(p / (1.0 - p));
  }
  return out;
}

int CalibrationBinOf(double p, int bins, double step) {
  int b = std::clamp(static_cast<int>(p / step), 0, bins - 1);
  while (b < bins - 1 && (b + 1) * step < p) ++b;
  while (b > 0 && b * step >= p) --b;
  return b;
}

StatusOr<LogisticCalibration> FitCalibrationFromLogits(std::span<const double> logits,
                                                       std::span<const uint8_t> outcomes,
                                                       RowCounts counts,
                                                       const LogisticCalibration& start) {
  LogisticCalibration fit;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (CountOf(counts, i) == 0) continue;
    lo = std::min(lo, logits[i]);
    hi = std::max(hi, logits[i]);
  }
  if (!(lo < hi)) {
    return FailedPreconditionError(
        "logistic calibration is undefined: all predicted probabilities are equal");
  }
  // Two parameters: Newton with step halving whenever the log-likelihood drops.
  double a = start.intercept, b = start.slope;
  Pass cur = Evaluate(logits, outcomes, counts, a, b);
  bool converged = false;
  for (int it = 1; it <= kMaxIterations && !converged; ++it) {
    fit.iterations = it;
    const double det = cur.h00 * cur.h11 - cur.h01 * cur.h01;
    if (!(det > 0) || !std::isfinite(det)) return NotConverged("logistic calibration");
    double d0 = (cur.h11 * cur.g0 - cur.h01 * cur.g1) / det;
    double d1 = (cur.h00 * cur.g1 - cur.h01 * cur.g0) / det;
    Pass next = Evaluate(logits, outcomes, counts, a + d0, b + d1);
    for (int h = 0;
         h < kMaxHalvings && !(next.loglik >= cur.loglik - 1e-12 * std::fabs(cur.loglik)); ++h) {
      d0 *= 0.5;
      d1 *= 0.5;
      next = Evaluate(logits, outcomes, counts, a + d0, b + d1);
    }
    a += d0;
    b += d1;
    cur = next;
    converged = std::fabs(d0) + std::fabs(d1) < kConvergence * (1.0 + std::fabs(a) + std::fabs(b));
    if (std::fabs(b) > kDivergedSlope || !std::isfinite(a)) break;
  }
  if (!converged) return NotConverged("logistic calibration");
  fit.intercept = a;
  fit.slope = b;

  // Calibration-in-the-large: intercept only, logit(p) as an offset (concave in one variable).
  double c = start.intercept_in_the_large;
  converged = false;
  for (int it = 0; it < kMaxIterations && !converged; ++it) {
    double g = 0, h = 0;
    for (size_t i = 0; i < logits.size(); ++i) {
      const double w = CountOf(counts, i);
      if (w == 0) continue;
      const double mu = 1.0 / (1.0 + std::exp(-(c + logits[i])));
      g += w * (outcomes[i] - mu);
      h += w * mu * (1.0 - mu);
    }
    if (!(h > 0)) return NotConverged("calibration-in-the-large");
    const double step = std::clamp(g / h, -5.0, 5.0);
    c += step;
    converged = std::fabs(step) < kConvergence * (1.0 + std::fabs(c));
  }
  if (!converged) return NotConverged("calibration-in-the-large");
  fit.intercept_in_the_large = c;
  return fit;
}

}  // namespace staycast::eval
