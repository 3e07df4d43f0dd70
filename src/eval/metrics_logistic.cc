// Logistic recalibration by Newton's method (two parameters, and the one-parameter
// calibration-in-the-large), plus the calibration-bin rule shared with sklearn. The counted rows
// are first packed into contiguous arrays (CalibrationRows) so that each Newton pass is a tight
// loop.
#include "src/eval/metrics_logistic.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fmt/format.h"
#include "src/eval/metrics_internal.h"

namespace staycast::eval {
namespace {

using internal::CountOf;

constexpr int kMaxIterations = 100;
constexpr int kMaxHalvings = 40;
// Newton converges quadratically: once a step is below kSmallStep the next one would be about
// its square, far below the precision anyone reads, so the fit stops after applying it.
constexpr double kSmallStep = 1e-7;
// Steps larger than this are checked against the log-likelihood and halved if it drops.
constexpr double kCheckedStep = 0.25;
constexpr double kDivergedSlope = 1e6;

// Fills `p` with the counted rows (reusing its capacity across bootstrap replicates on the same
// thread).
void Pack(std::span<const double> logits, std::span<const uint8_t> outcomes, RowCounts counts,
          CalibrationRows& p) {
  p.Reserve(logits.size(), false);
  p.descending = false;
  size_t m = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    const double c = CountOf(counts, i);
    if (c == 0) continue;
    p.x[m] = logits[i];
    p.odds_inv[m] = std::exp(-logits[i]);
    p.y[m] = outcomes[i];
    p.w[m] = c;
    ++m;
  }
  p.size = m;
}

// Gradient and negated Hessian of the two-parameter log-likelihood (g0, g1, h00, h01, h11) and of
// the calibration-in-the-large one (g, h).
struct PassSums {
  double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
  double g = 0, h = 0;
};

// One pass over the rows for the two-parameter fit at (a, b) (kTwo) and the offset fit at
// scale = exp(-c) (kOffset), which share the pass while both iterate. kCached: the first pass from
// the start values, whose fitted probabilities the rows carry.
template <bool kTwo, bool kOffset, bool kCached>
PassSums Pass(const CalibrationRows& d, double a, double b, double scale) {
  PassSums s;
  for (size_t i = 0; i < d.size; ++i) {
    if constexpr (kTwo) {
      const double mu = kCached ? d.mu_start[i] : FittedProbability(a, b, d.x[i]);
      const double r = d.w[i] * (d.y[i] - mu);
      const double w = d.w[i] * mu * (1.0 - mu);
      s.g0 += r;
      s.g1 += r * d.x[i];
      s.h00 += w;
      s.h01 += w * d.x[i];
      s.h11 += w * d.x[i] * d.x[i];
    }
    if constexpr (kOffset) {
      const double mu = kCached ? d.mu_citl_start[i] : OffsetProbability(scale, d.odds_inv[i]);
      s.g += d.w[i] * (d.y[i] - mu);
      s.h += d.w[i] * mu * (1.0 - mu);
    }
  }
  return s;
}

PassSums PassFor(const CalibrationRows& d, bool two, bool offset, bool cached, double a, double b,
                 double scale) {
  if (two && offset) {
    return cached ? Pass<true, true, true>(d, a, b, scale)
                  : Pass<true, true, false>(d, a, b, scale);
  }
  return two ? Pass<true, false, false>(d, a, b, scale) : Pass<false, true, false>(d, a, b, scale);
}

// Log-likelihood sum w * (y * eta - log(1 + exp(eta))), computed without overflow.
double LogLikelihood(const CalibrationRows& d, double a, double b) {
  double ll = 0;
  for (size_t i = 0; i < d.size; ++i) {
    const double eta = a + b * d.x[i];
    const double softplus = eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
    ll += d.w[i] * (d.y[i] * eta - softplus);
  }
  return ll;
}

Status NotConverged(const char* what) {
  return FailedPreconditionError(fmt::format(
      "{} did not converge: the predicted probabilities may separate the outcomes perfectly "
      "(infinite slope)",
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
  thread_local CalibrationRows d;
  Pack(logits, outcomes, counts, d);
  return FitCalibrationPacked(d, start);
}

StatusOr<LogisticCalibration> FitCalibrationPacked(const CalibrationRows& d,
                                                   const LogisticCalibration& start) {
  if (d.size == 0) return FailedPreconditionError("logistic calibration: no rows counted");
  bool spread = d.x[d.size - 1] < d.x[0];
  if (!d.descending) {
    const auto [lo, hi] = std::minmax_element(d.x.begin(), d.x.begin() + d.size);
    spread = *lo < *hi;
  }
  if (!spread) {
    return FailedPreconditionError(
        "logistic calibration is undefined: all predicted probabilities are equal");
  }
  LogisticCalibration fit;
  // Two parameters: Newton; a large step is halved while it lowers the log-likelihood.
  // Calibration-in-the-large: intercept only, logit(p) as an offset (concave in one variable);
  // exp(-(c + x)) = exp(-c) * exp(-x), so its passes need no exponential per row. The two fits
  // are independent and share each pass over the rows while both iterate.
  double a = start.intercept, b = start.slope, c = start.intercept_in_the_large;
  bool two_done = false, offset_done = false;
  Status offset_error = NotConverged("calibration-in-the-large");
  for (int it = 1; it <= kMaxIterations && !(two_done && offset_done); ++it) {
    const PassSums s =
        PassFor(d, !two_done, !offset_done, it == 1 && d.has_start, a, b, std::exp(-c));
    if (!two_done) {
      fit.iterations = it;
      const double det = s.h00 * s.h11 - s.h01 * s.h01;
      if (!(det > 0) || !std::isfinite(det)) return NotConverged("logistic calibration");
      double d0 = (s.h11 * s.g0 - s.h01 * s.g1) / det;
      double d1 = (s.h00 * s.g1 - s.h01 * s.g0) / det;
      if (std::max(std::fabs(d0), std::fabs(d1)) > kCheckedStep) {
        const double ll = LogLikelihood(d, a, b);
        for (int h = 0; h < kMaxHalvings && LogLikelihood(d, a + d0, b + d1) < ll; ++h) {
          d0 *= 0.5;
          d1 *= 0.5;
        }
      }
      a += d0;
      b += d1;
      two_done = std::fabs(d0) + std::fabs(d1) < kSmallStep * (1.0 + std::fabs(a) + std::fabs(b));
      if (!two_done && (std::fabs(b) > kDivergedSlope || !std::isfinite(a))) {
        return NotConverged("logistic calibration");
      }
    }
    if (!offset_done) {
      if (!(s.h > 0)) {
        offset_done = true;  // failed: reported once the two-parameter fit has its answer
        continue;
      }
      const double step = std::clamp(s.g / s.h, -5.0, 5.0);
      c += step;
      offset_done = std::fabs(step) < kSmallStep * (1.0 + std::fabs(c));
      if (offset_done) offset_error = OkStatus();
    }
  }
  if (!two_done) return NotConverged("logistic calibration");
  RETURN_IF_ERROR(offset_error);
  fit.intercept = a;
  fit.slope = b;
  fit.intercept_in_the_large = c;
  return fit;
}

}  // namespace staycast::eval
