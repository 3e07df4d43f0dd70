// Regression and classification sections of the full evaluation, and the baselines beside them.
#include "src/eval/evaluation_sections.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "src/eval/evaluation.h"
#include "src/eval/metrics_classification.h"
#include "src/eval/metrics_regression.h"
#include "src/eval/metrics_threshold.h"

namespace staycast::eval::internal {
namespace {

constexpr size_t kMaxCurvePoints = 300;
constexpr int kHistogramBins = 20;

// At most kMaxCurvePoints points of a curve, keeping the first and last.
nlohmann::json Thin(const std::vector<CurvePoint>& curve) {
  nlohmann::json out = nlohmann::json::array();
  const size_t n = curve.size();
  const size_t step = std::max<size_t>(1, n / kMaxCurvePoints);
  for (size_t i = 0; i < n; i += step) out.push_back({curve[i].x, curve[i].y});
  if (n > 0 && (n - 1) % step != 0) out.push_back({curve[n - 1].x, curve[n - 1].y});
  return out;
}

double MedianOf(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), v.begin() + mid)) / 2;
  return m;
}

}  // namespace

nlohmann::json Number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

std::vector<size_t> SampleRows(size_t rows, size_t n, uint64_t seed) {
  std::vector<size_t> idx(rows);
  std::iota(idx.begin(), idx.end(), size_t{0});
  if (rows <= n) return idx;
  std::mt19937_64 rng(seed);
  std::shuffle(idx.begin(), idx.end(), rng);
  idx.resize(n);
  std::sort(idx.begin(), idx.end());
  return idx;
}

StatusOr<nlohmann::json> RegressionSection(const EvaluationInput& in,
                                           const FullEvaluationOptions& options) {
  StatusOr<RegressionPredictions> data =
      RegressionPredictions::CreateWithInterval(in.actual, in.predicted, in.lower, in.upper);
  RETURN_IF_ERROR(data.status());
  const bool intervals = data->has_interval();
  nlohmann::json out;
  ASSIGN_OR_RETURN(std::vector<BandErrors> bands, ErrorsByBand(*data));
  out["bands"] = nlohmann::json::array();
  for (const BandErrors& b : bands) {
    out["bands"].push_back(
        {{"lower", Number(b.lower)},
         {"upper", Number(b.upper)},
         {"label", std::isfinite(b.upper) ? fmt::format("{:g}-{:g} d", b.lower, b.upper)
                                          : fmt::format("{:g}+ d", b.lower)},
         {"count", b.count},
         {"mae", Number(b.mae)},
         {"rmse", Number(b.rmse)},
         {"bias", Number(b.bias)}});
  }
  const std::vector<size_t> sample =
      SampleRows(in.actual.size(), options.plot_points, options.seed);
  nlohmann::json scatter = {{"actual", nlohmann::json::array()},
                            {"predicted", nlohmann::json::array()}};
  for (size_t r : sample) {
    scatter["actual"].push_back(in.actual[r]);
    scatter["predicted"].push_back(in.predicted[r]);
    if (intervals) {
      scatter["lower"].push_back(in.lower[r]);
      scatter["upper"].push_back(in.upper[r]);
    }
  }
  scatter["of_rows"] = in.actual.size();
  out["scatter"] = scatter;
  // Residual histogram (predicted - actual) over the central 99% of residuals.
  std::vector<double> resid(in.actual.size());
  for (size_t r = 0; r < resid.size(); ++r) resid[r] = in.predicted[r] - in.actual[r];
  std::vector<double> sorted = resid;
  std::sort(sorted.begin(), sorted.end());
  const double lo = sorted[static_cast<size_t>(0.005 * (sorted.size() - 1))];
  const double hi = sorted[static_cast<size_t>(0.995 * (sorted.size() - 1))];
  const double width = hi > lo ? (hi - lo) / kHistogramBins : 1.0;
  std::vector<uint64_t> counts(kHistogramBins, 0);
  for (double v : resid) {
    const int b = std::clamp(static_cast<int>((v - lo) / width), 0, kHistogramBins - 1);
    ++counts[b];
  }
  out["residual_histogram"] = {{"from", lo}, {"width", width}, {"counts", counts}};
  if (intervals) {
    ASSIGN_OR_RETURN(RegressionMetrics m, ComputeRegressionMetrics(*data));
    out["coverage"] = {{"nominal", Number(options.interval_coverage)},
                       {"achieved", m.coverage},
                       {"mean_width", m.mean_width}};
    nlohmann::json by_band = nlohmann::json::array();
    for (const nlohmann::json& b : out["bands"]) {
      const double blo = b["lower"].is_null() ? -INFINITY : b["lower"].get<double>();
      const double bhi = b["upper"].is_null() ? INFINITY : b["upper"].get<double>();
      uint64_t n = 0, covered = 0;
      double w = 0;
      for (size_t r = 0; r < in.actual.size(); ++r) {
        if (in.actual[r] < blo || in.actual[r] >= bhi) continue;
        ++n;
        covered += in.lower[r] <= in.actual[r] && in.actual[r] <= in.upper[r];
        w += in.upper[r] - in.lower[r];
      }
      by_band.push_back({{"label", b["label"]},
                         {"count", n},
                         {"coverage", Number(n ? static_cast<double>(covered) / n : NAN)},
                         {"mean_width", Number(n ? w / n : NAN)}});
    }
    out["coverage"]["by_band"] = by_band;
  }
  return out;
}

StatusOr<nlohmann::json> ClassificationSection(const EvaluationInput& in,
                                               const FullEvaluationOptions& options) {
  ASSIGN_OR_RETURN(BinaryPredictions data, BinaryPredictions::Create(in.actual, in.predicted));
  nlohmann::json out;
  out["threshold"] = in.threshold;
  out["prevalence"] = Prevalence(data);
  StatusOr<std::vector<CurvePoint>> roc = RocCurve(data);
  if (roc.ok()) out["roc"] = Thin(*roc);
  StatusOr<std::vector<CurvePoint>> pr = PrecisionRecallCurve(data);
  if (pr.ok()) out["pr"] = Thin(*pr);
  ASSIGN_OR_RETURN(CalibrationCurve cal, ComputeCalibrationCurve(data));
  nlohmann::json bins = nlohmann::json::array();
  for (const CalibrationBin& b : cal.bins) {
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"count", b.count},
                    {"mean_predicted", Number(b.mean_predicted)},
                    {"observed_rate", Number(b.observed_rate)}});
  }
  out["calibration"] = {{"bins", bins}, {"ece", cal.ece}, {"mce", cal.mce}};
  StatusOr<LogisticCalibration> fit = FitLogisticCalibration(data);
  if (fit.ok()) {
    out["calibration"]["intercept"] = fit->intercept;
    out["calibration"]["slope"] = fit->slope;
    out["calibration"]["in_the_large"] = fit->intercept_in_the_large;
  }
  // Histogram of predicted probabilities by outcome, on [0, 1] in 20 bins.
  std::vector<uint64_t> pos(kHistogramBins, 0), neg(kHistogramBins, 0);
  for (size_t r = 0; r < in.predicted.size(); ++r) {
    const int b =
        std::clamp(static_cast<int>(in.predicted[r] * kHistogramBins), 0, kHistogramBins - 1);
    ++(in.actual[r] > 0.5 ? pos : neg)[b];
  }
  out["histogram"] = {{"bins", kHistogramBins}, {"positive", pos}, {"negative", neg}};
  DecisionCurveOptions dc;
  dc.from = 0.01;
  dc.to = 0.6;
  ASSIGN_OR_RETURN(std::vector<DecisionCurvePoint> curve, DecisionCurve(data, dc));
  nlohmann::json dcj = nlohmann::json::array();
  for (const DecisionCurvePoint& p : curve) {
    dcj.push_back({{"threshold", p.threshold}, {"model", p.model}, {"treat_all", p.treat_all}});
  }
  out["decision_curve"] = dcj;
  const ThresholdMetrics t = EvaluateAtThreshold(data, in.threshold);
  const auto scores = [](const ClassScores& s) {
    return nlohmann::json{
        {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
  };
  out["at_threshold"] = {{"threshold", in.threshold},
                         {"accuracy", t.accuracy},
                         {"balanced_accuracy", t.balanced_accuracy},
                         {"sensitivity", t.sensitivity},
                         {"specificity", t.specificity},
                         {"confusion",
                          {{"tn", t.confusion.tn},
                           {"fp", t.confusion.fp},
                           {"fn", t.confusion.fn},
                           {"tp", t.confusion.tp}}},
                         {"classes",
                          {{"0", scores(t.negative)},
                           {"1", scores(t.positive)},
                           {"macro avg", scores(t.macro_avg)},
                           {"weighted avg", scores(t.weighted_avg)}}},
                         {"net_benefit", in.threshold > 0 && in.threshold < 1
                                             ? Number(NetBenefit(t.confusion, in.threshold))
                                             : nlohmann::json(nullptr)}};
  out["report_text"] = FormatClassificationReport(t);
  // The honest story: accuracy against the always-negative baseline, and what tells them apart.
  const double prevalence = out["prevalence"].get<double>();
  const double always_negative = 1.0 - prevalence;
  const double ap = internal::AveragePrecisionOrNaN(data, {});
  const double treat_none_nb = 0.0;
  double best_nb = -INFINITY, best_nb_at = 0, best_nb_all = 0;
  for (const DecisionCurvePoint& p : curve) {
    if (p.threshold > 0.3) break;
    if (p.model - std::max(p.treat_all, treat_none_nb) > best_nb) {
      best_nb = p.model - std::max(p.treat_all, treat_none_nb);
      best_nb_at = p.threshold;
      best_nb_all = p.treat_all;
    }
  }
  nlohmann::json story = {{"accuracy", t.accuracy},
                          {"always_negative_accuracy", always_negative},
                          {"accuracy_gap", t.accuracy - always_negative},
                          {"pr_auc", Number(ap)},
                          {"prevalence", prevalence},
                          {"pr_auc_over_prevalence", Number(ap / prevalence)},
                          {"ece", cal.ece},
                          {"best_net_benefit_gain", Number(best_nb)},
                          {"best_net_benefit_threshold", best_nb_at}};
  std::string sentence = fmt::format(
      "Accuracy at the chosen threshold ({:.3f}) is {:.3f}; a model that always predicts "
      "\"no readmission\" scores {:.3f} ({}{:.3f}), because only {:.1f}% of patients have the "
      "outcome. Accuracy cannot tell these two apart. PR-AUC is {:.3f} against {:.3f} for no skill "
      "({:.1f}x the prevalence), calibration error (ECE) is {:.3f}",
      in.threshold, t.accuracy, always_negative, t.accuracy >= always_negative ? "+" : "",
      t.accuracy - always_negative, 100 * prevalence, ap, prevalence, ap / prevalence, cal.ece);
  if (fit.ok()) {
    sentence +=
        fmt::format(" (calibration slope {:.2f}, intercept {:.2f})", fit->slope, fit->intercept);
  }
  if (std::isfinite(best_nb) && best_nb > 0) {
    sentence += fmt::format(
        ", and at a {:.0f}% risk threshold the model's net benefit exceeds treating everyone or "
        "no one by {:.4f} (treat-all: {:.4f}): {:.1f} more true positives per 1,000 patients at "
        "no extra unnecessary interventions.",
        100 * best_nb_at, best_nb, best_nb_all, 1000 * best_nb);
  } else {
    sentence +=
        "; the decision curve shows no threshold below 30% where the model beats "
        "treating everyone or no one.";
  }
  story["sentence"] = sentence;
  out["accuracy_story"] = story;
  return out;
}

StatusOr<nlohmann::json> Baselines(const EvaluationInput& in) {
  nlohmann::json out = nlohmann::json::array();
  const size_t n = in.actual.size();
  if (in.task == models::Task::kClassification) {
    double prevalence = 0;
    for (double y : in.actual) prevalence += y;
    prevalence /= static_cast<double>(n);
    ASSIGN_OR_RETURN(
        nlohmann::json neg,
        ClassificationMetricsJson(in.actual, std::vector<double>(n, 0.0), in.threshold, true));
    out.push_back({{"name", "always negative"},
                   {"description", "predicts probability 0 for everyone"},
                   {"metrics", neg}});
    ASSIGN_OR_RETURN(nlohmann::json prev,
                     ClassificationMetricsJson(in.actual, std::vector<double>(n, prevalence),
                                               in.threshold, true));
    out.push_back({{"name", "prevalence"},
                   {"description", "predicts the observed rate for everyone (no skill)"},
                   {"metrics", prev}});
    return out;
  }
  double mean = std::accumulate(in.actual.begin(), in.actual.end(), 0.0) / n;
  const double median = MedianOf(in.actual);
  const auto add = [&](const std::string& name, const std::string& desc,
                       const std::vector<double>& pred) -> Status {
    ASSIGN_OR_RETURN(nlohmann::json m, RegressionMetricsJson(in.actual, pred));
    out.push_back({{"name", name}, {"description", desc}, {"metrics", m}});
    return OkStatus();
  };
  RETURN_IF_ERROR(add("mean", "the mean of the evaluated rows (optimistic: it sees the outcomes)",
                      std::vector<double>(n, mean)));
  RETURN_IF_ERROR(add("median", "the median of the evaluated rows (optimistic)",
                      std::vector<double>(n, median)));
  const data::Column* dept = in.table != nullptr ? in.table->FindColumn("department") : nullptr;
  if (dept != nullptr && dept->type() == data::ColumnType::kCategorical) {
    std::map<int32_t, std::vector<double>> by;
    for (size_t r = 0; r < n; ++r) by[dept->codes()[r]].push_back(in.actual[r]);
    std::map<int32_t, double> med;
    for (auto& [code, v] : by) med[code] = MedianOf(v);
    std::vector<double> pred(n);
    for (size_t r = 0; r < n; ++r) pred[r] = med[dept->codes()[r]];
    RETURN_IF_ERROR(
        add("department median", "the median of the patient's department (optimistic)", pred));
  }
  // Previous stay: the mean of the patient's earlier stays when a history feature of the target
  // is in the model's features; the median otherwise.
  if (in.x != nullptr && in.run != nullptr) {
    int col = -1;
    for (const features::FeatureSpec& f : in.run->features) {
      if (f.kind == features::FeatureKind::kHistory && f.history.column == in.run->target.column &&
          (f.history.op == features::HistoryOp::kMean ||
           f.history.op == features::HistoryOp::kLast)) {
        for (size_t j = 0; j < in.x->feature_names.size(); ++j) {
          if (in.x->feature_names[j] == f.name) col = static_cast<int>(j);
        }
        if (col >= 0) break;
      }
    }
    if (col >= 0) {
      std::vector<double> pred(n);
      size_t known = 0;
      for (size_t r = 0; r < n; ++r) {
        const double v = in.x->at(r, static_cast<size_t>(col));
        const bool has = std::isfinite(v) && v > 0;
        known += has;
        pred[r] = has ? v : median;
      }
      RETURN_IF_ERROR(add("previous stay",
                          fmt::format("the patient's earlier stays ({} of {} rows; the median "
                                      "otherwise)",
                                      known, n),
                          pred));
    }
  }
  return out;
}

}  // namespace staycast::eval::internal
