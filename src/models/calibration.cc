// Calibration: pool-adjacent-violators, a two-parameter logistic fit on logit(score), and the
// cross-fitted choice between them.
#include "src/models/calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "src/models/link.h"

namespace staycast::models {
namespace {

constexpr double kClip = 1e-6;
constexpr double kPlattRidge = 1e-6;  // keeps the fit finite when the classes are separable

double Logit(double p) {
  p = std::clamp(p, kClip, 1 - kClip);
  return std::log(p / (1 - p));
}

Status ValidateScores(const std::vector<double>& scores, const std::vector<double>& labels,
                      const std::string& what) {
  if (scores.size() != labels.size()) {
    return InvalidArgumentError(what + ": " + std::to_string(scores.size()) + " scores for " +
                                std::to_string(labels.size()) + " labels");
  }
  if (scores.empty()) {
    return InvalidArgumentError(what + ": the calibration slice is empty; give it some rows");
  }
  size_t positives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!(scores[i] >= 0 && scores[i] <= 1)) {
      return InvalidArgumentError(what + ": score " + std::to_string(scores[i]) + " at row " +
                                  std::to_string(i) + " is not a probability in [0, 1]");
    }
    if (labels[i] != 0.0 && labels[i] != 1.0) {
      return InvalidArgumentError(what + ": label at row " + std::to_string(i) + " is not 0 or 1");
    }
    positives += labels[i] == 1.0;
  }
  if (positives == 0 || positives == labels.size()) {
    return InvalidArgumentError(what + ": the calibration slice has only class " +
                                (positives == 0 ? "0" : "1") + " in its " +
                                std::to_string(labels.size()) +
                                " rows; make the slice larger or the period longer");
  }
  return OkStatus();
}

// Maximum-likelihood logistic regression of y on (1, x) by Newton's method.
CalibrationLine FitLogistic1D(const std::vector<double>& x, const std::vector<double>& y) {
  double a = 0;
  double b = 1;
  for (int iter = 0; iter < 100; ++iter) {
    double g0 = 0, g1 = 0, h00 = kPlattRidge, h01 = 0, h11 = kPlattRidge;
    for (size_t i = 0; i < x.size(); ++i) {
      const double p = Sigmoid(a + b * x[i]);
      const double w = std::max(p * (1 - p), 1e-12);
      g0 += p - y[i];
      g1 += (p - y[i]) * x[i];
      h00 += w;
      h01 += w * x[i];
      h11 += w * x[i] * x[i];
    }
    g0 += kPlattRidge * a;
    g1 += kPlattRidge * b;
    const double det = h00 * h11 - h01 * h01;
    if (!(std::abs(det) > 0)) break;
    const double da = (h11 * g0 - h01 * g1) / det;
    const double db = (h00 * g1 - h01 * g0) / det;
    a -= da;
    b -= db;
    if (std::max(std::abs(da), std::abs(db)) < 1e-10) break;
  }
  return {a, b};
}

}  // namespace

const char* CalibrationMethodName(CalibrationMethod method) {
  return method == CalibrationMethod::kIsotonic ? "isotonic" : "platt";
}

StatusOr<Calibrator> Calibrator::FitPlatt(const std::vector<double>& scores,
                                          const std::vector<double>& labels) {
  RETURN_IF_ERROR(ValidateScores(scores, labels, "Platt calibration"));
  std::vector<double> z(scores.size());
  std::transform(scores.begin(), scores.end(), z.begin(), Logit);
  const CalibrationLine line = FitLogistic1D(z, labels);
  if (!std::isfinite(line.intercept) || !std::isfinite(line.slope)) {
    return InternalError("Platt calibration did not converge");
  }
  Calibrator c;
  c.method_ = CalibrationMethod::kPlatt;
  c.a_ = line.slope;
  c.b_ = line.intercept;
  return c;
}

StatusOr<Calibrator> Calibrator::FitIsotonic(const std::vector<double>& scores,
                                             const std::vector<double>& labels) {
  RETURN_IF_ERROR(ValidateScores(scores, labels, "isotonic calibration"));
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Blocks of equal score first, then pool adjacent violators.
  struct Block {
    double x_lo, x_hi, sum, weight;
  };
  std::vector<Block> blocks;
  for (size_t i : order) {
    if (!blocks.empty() && blocks.back().x_hi == scores[i]) {
      blocks.back().sum += labels[i];
      blocks.back().weight += 1;
    } else {
      blocks.push_back({scores[i], scores[i], labels[i], 1});
    }
    while (blocks.size() > 1) {
      Block& last = blocks[blocks.size() - 1];
      Block& prev = blocks[blocks.size() - 2];
      if (prev.sum / prev.weight < last.sum / last.weight) break;
      prev.x_hi = last.x_hi;
      prev.sum += last.sum;
      prev.weight += last.weight;
      blocks.pop_back();
    }
  }
  Calibrator c;
  c.method_ = CalibrationMethod::kIsotonic;
  for (const Block& b : blocks) {
    const double value = b.sum / b.weight;
    c.x_.push_back(b.x_lo);
    c.y_.push_back(value);
    if (b.x_hi > b.x_lo) {
      c.x_.push_back(b.x_hi);
      c.y_.push_back(value);
    }
  }
  return c;
}

namespace {
constexpr double kIsotonicMargin = 0.01;
constexpr double kIsotonicFloor = 1e-3;
}  // namespace

double Calibrator::Apply(double score) const {
  if (std::isnan(score)) return score;
  if (method_ == CalibrationMethod::kPlatt) return Sigmoid(a_ * Logit(score) + b_);
  // A probability of exactly 0 or 1 is never warranted by a finite calibration slice.
  const auto clip = [](double p) { return std::clamp(p, kIsotonicFloor, 1.0 - kIsotonicFloor); };
  if (score <= x_.front()) return clip(y_.front());
  if (score >= x_.back()) return clip(y_.back());
  const size_t hi = std::upper_bound(x_.begin(), x_.end(), score) - x_.begin();
  const size_t lo = hi - 1;
  const double t = (score - x_[lo]) / (x_[hi] - x_[lo]);
  return clip(y_[lo] + t * (y_[hi] - y_[lo]));
}

std::vector<double> Calibrator::Apply(const std::vector<double>& scores) const {
  std::vector<double> out(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) out[i] = Apply(scores[i]);
  return out;
}

nlohmann::json Calibrator::ToJson() const {
  if (method_ == CalibrationMethod::kPlatt) return {{"method", "platt"}, {"a", a_}, {"b", b_}};
  return {{"method", "isotonic"}, {"x", x_}, {"y", y_}};
}

StatusOr<Calibrator> Calibrator::FromJson(const nlohmann::json& j) {
  Calibrator c;
  try {
    const std::string method = j.at("method").get<std::string>();
    if (method == "platt") {
      c.method_ = CalibrationMethod::kPlatt;
      c.a_ = j.at("a").get<double>();
      c.b_ = j.at("b").get<double>();
      return c;
    }
    if (method != "isotonic") {
      return InvalidArgumentError("calibrator method must be 'isotonic' or 'platt', got '" +
                                  method + "'");
    }
    c.method_ = CalibrationMethod::kIsotonic;
    c.x_ = j.at("x").get<std::vector<double>>();
    c.y_ = j.at("y").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(std::string("malformed calibrator: ") + e.what());
  }
  if (c.x_.empty() || c.x_.size() != c.y_.size()) {
    return DataLossError("malformed isotonic calibrator: x and y must be non-empty, equal size");
  }
  for (size_t i = 1; i < c.x_.size(); ++i) {
    if (!(c.x_[i] > c.x_[i - 1]) || c.y_[i] < c.y_[i - 1]) {
      return DataLossError("malformed isotonic calibrator: knots not increasing at " +
                           std::to_string(i));
    }
  }
  return c;
}

nlohmann::json CalibrationChoice::ToJson() const {
  return {{"calibrator", calibrator.ToJson()},
          {"method", CalibrationMethodName(calibrator.method())},
          {"rows", rows},
          {"positives", positives},
          {"brier_uncalibrated", brier_uncalibrated},
          {"brier_isotonic_crossfit", brier_isotonic},
          {"brier_platt_crossfit", brier_platt}};
}

StatusOr<CalibrationChoice> ChooseCalibrator(const std::vector<double>& scores,
                                             const std::vector<double>& labels,
                                             const ChooseCalibratorOptions& options) {
  RETURN_IF_ERROR(ValidateScores(scores, labels, "choosing a calibrator"));
  if (options.folds < 2) {
    return InvalidArgumentError("choosing a calibrator: folds must be >= 2, got " +
                                std::to_string(options.folds));
  }
  const auto folds = static_cast<size_t>(options.folds);
  std::vector<size_t> pos;
  std::vector<size_t> neg;
  for (size_t i = 0; i < labels.size(); ++i) (labels[i] == 1.0 ? pos : neg).push_back(i);
  if (pos.size() < folds || neg.size() < folds) {
    return InvalidArgumentError(
        "choosing a calibrator: the calibration slice has " + std::to_string(pos.size()) +
        " positives and " + std::to_string(neg.size()) + " negatives; each class needs at least " +
        std::to_string(folds) + " (the number of folds) — enlarge the calibration slice");
  }
  // Stratified folds: shuffle each class, deal round-robin.
  std::mt19937_64 rng(options.seed);
  std::shuffle(pos.begin(), pos.end(), rng);
  std::shuffle(neg.begin(), neg.end(), rng);
  std::vector<size_t> fold(labels.size());
  for (size_t i = 0; i < pos.size(); ++i) fold[pos[i]] = i % folds;
  for (size_t i = 0; i < neg.size(); ++i) fold[neg[i]] = i % folds;
  std::vector<double> oof_isotonic(labels.size());
  std::vector<double> oof_platt(labels.size());
  for (size_t k = 0; k < folds; ++k) {
    std::vector<double> fit_scores, fit_labels;
    for (size_t i = 0; i < labels.size(); ++i) {
      if (fold[i] != k) {
        fit_scores.push_back(scores[i]);
        fit_labels.push_back(labels[i]);
      }
    }
    ASSIGN_OR_RETURN(Calibrator iso, Calibrator::FitIsotonic(fit_scores, fit_labels));
    ASSIGN_OR_RETURN(Calibrator platt, Calibrator::FitPlatt(fit_scores, fit_labels));
    for (size_t i = 0; i < labels.size(); ++i) {
      if (fold[i] == k) {
        oof_isotonic[i] = iso.Apply(scores[i]);
        oof_platt[i] = platt.Apply(scores[i]);
      }
    }
  }
  CalibrationChoice choice;
  choice.rows = labels.size();
  choice.positives = pos.size();
  choice.brier_uncalibrated = BrierScore(labels, scores);
  choice.brier_isotonic = BrierScore(labels, oof_isotonic);
  choice.brier_platt = BrierScore(labels, oof_platt);
  // Isotonic is a step function that can reach exactly 0 or 1 and is noisier; it must beat the
  // smoother Platt map by a clear margin (1% of Brier) to be chosen.
  if (choice.brier_isotonic < choice.brier_platt * (1.0 - kIsotonicMargin)) {
    ASSIGN_OR_RETURN(choice.calibrator, Calibrator::FitIsotonic(scores, labels));
  } else {
    ASSIGN_OR_RETURN(choice.calibrator, Calibrator::FitPlatt(scores, labels));
  }
  return choice;
}

double BrierScore(const std::vector<double>& labels, const std::vector<double>& probs) {
  double s = 0;
  for (size_t i = 0; i < labels.size(); ++i) s += (labels[i] - probs[i]) * (labels[i] - probs[i]);
  return labels.empty() ? 0 : s / labels.size();
}

StatusOr<CalibrationLine> FitCalibrationLine(const std::vector<double>& labels,
                                             const std::vector<double>& probs) {
  RETURN_IF_ERROR(ValidateScores(probs, labels, "calibration slope"));
  std::vector<double> z(probs.size());
  std::transform(probs.begin(), probs.end(), z.begin(), Logit);
  return FitLogistic1D(z, labels);
}

}  // namespace staycast::models
