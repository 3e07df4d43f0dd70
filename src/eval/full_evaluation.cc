// The full evaluation: headline metrics with patient-bootstrap intervals, task sections, baselines,
// subgroups with the largest gap flagged, explanations and the data summary, as one JSON document.
#include "src/eval/full_evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "src/core/time.h"
#include "src/eval/evaluation_sections.h"
#include "src/eval/metrics_bootstrap.h"
#include "src/eval/metrics_sets.h"
#include "src/eval/metrics_subgroups.h"
#include "src/explain/coefficients.h"
#include "src/explain/importance.h"

namespace staycast::eval {
namespace {

using internal::Number;

constexpr size_t kShapSummaryGroups = 10;
constexpr int kNumericSubgroupBins = 4;

nlohmann::json EstimatesJson(const std::vector<std::string>& names,
                             const std::vector<Estimate>& est) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < names.size() && i < est.size(); ++i) {
    out.push_back({{"name", names[i]},
                   {"value", Number(est[i].value)},
                   {"lower", Number(est[i].lower)},
                   {"upper", Number(est[i].upper)}});
  }
  return out;
}

StatusOr<std::unique_ptr<MetricSet>> MakeMetricSet(const EvaluationInput& in) {
  if (in.task == models::Task::kClassification) {
    ASSIGN_OR_RETURN(BinaryPredictions data, BinaryPredictions::Create(in.actual, in.predicted));
    ClassificationSetOptions o;
    o.threshold = in.threshold;
    return MakeClassificationMetricSet(std::move(data), o);
  }
  ASSIGN_OR_RETURN(RegressionPredictions data, RegressionPredictions::CreateWithInterval(
                                                   in.actual, in.predicted, in.lower, in.upper));
  return MakeRegressionMetricSet(std::move(data));
}

// Patient codes for resampling: the entity column's codes, or every row its own patient.
StatusOr<GroupIndex> PatientIndex(const EvaluationInput& in) {
  const std::string entity = in.run != nullptr ? in.run->EntityColumn() : "";
  const data::Column* c =
      entity.empty() || in.table == nullptr ? nullptr : in.table->FindColumn(entity);
  if (c == nullptr || c->type() != data::ColumnType::kCategorical) {
    return GroupIndex::Ungrouped(in.actual.size());
  }
  return GroupIndex::Create(c->codes());
}

// Codes and labels of a subgroup column: categories as they are, numbers in quartile bins.
StatusOr<std::pair<std::vector<int32_t>, std::vector<std::string>>> SubgroupCodes(
    const data::Table& table, const std::string& name) {
  const data::Column* c = table.FindColumn(name);
  if (c == nullptr) {
    return NotFoundError("subgroup column '" + name + "' is not in the evaluated data");
  }
  if (c->type() == data::ColumnType::kCategorical) {
    return std::make_pair(c->codes(), c->dictionary());
  }
  if (c->type() != data::ColumnType::kNumeric) {
    return InvalidArgumentError("subgroup column '" + name + "' must be categorical or numeric");
  }
  std::vector<double> v;
  for (double x : c->numeric()) {
    if (std::isfinite(x)) v.push_back(x);
  }
  if (v.empty()) return InvalidArgumentError("subgroup column '" + name + "' has no values");
  std::sort(v.begin(), v.end());
  std::vector<double> edges;
  for (int q = 1; q < kNumericSubgroupBins; ++q) {
    const double e = v[static_cast<size_t>(q * (v.size() - 1) / kNumericSubgroupBins)];
    if (edges.empty() || e > edges.back()) edges.push_back(e);
  }
  std::vector<std::string> labels;
  for (size_t b = 0; b <= edges.size(); ++b) {
    if (b == 0) {
      labels.push_back(fmt::format("< {:g}", edges.empty() ? v.back() : edges[0]));
    } else if (b == edges.size()) {
      labels.push_back(fmt::format(">= {:g}", edges[b - 1]));
    } else {
      labels.push_back(fmt::format("{:g} to < {:g}", edges[b - 1], edges[b]));
    }
  }
  if (edges.empty()) labels = {fmt::format("{:g}", v[0])};
  std::vector<int32_t> codes;
  for (double x : c->numeric()) {
    if (!std::isfinite(x)) {
      codes.push_back(-1);
      continue;
    }
    codes.push_back(
        static_cast<int32_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()));
  }
  return std::make_pair(std::move(codes), std::move(labels));
}

nlohmann::json SubgroupJson(const SubgroupReport& r) {
  nlohmann::json groups = nlohmann::json::array();
  for (const SubgroupResult& s : r.subgroups) {
    nlohmann::json g = {
        {"value", s.value}, {"rows", s.rows}, {"patients", s.groups}, {"evaluated", s.evaluated}};
    if (s.evaluated) g["metrics"] = EstimatesJson(r.metric_names, s.metrics);
    groups.push_back(g);
  }
  nlohmann::json gaps = nlohmann::json::array();
  for (const SubgroupGap& g : r.gaps) {
    gaps.push_back({{"metric", g.metric},
                    {"lowest", g.lowest},
                    {"highest", g.highest},
                    {"gap", Number(g.gap)},
                    {"flagged", g.flagged}});
  }
  return {{"column", r.column},
          {"metric_names", r.metric_names},
          {"groups", groups},
          {"gaps", gaps},
          {"largest_flagged", r.largest_flagged}};
}

StatusOr<nlohmann::json> Explanations(const EvaluationInput& in,
                                      const FullEvaluationOptions& options) {
  nlohmann::json out;
  const explain::FeatureGroups& groups = *in.groups;
  out["groups"] = groups.names;
  out["log_odds"] = in.task == models::Task::kClassification;
  StatusOr<std::vector<double>> gain = in.model->GainImportance();
  if (gain.ok()) out["gain"] = explain::SumByGroup(*gain, groups);
  const std::vector<size_t> rows =
      internal::SampleRows(in.x->rows, options.explain_rows, options.seed + 1);
  const models::Matrix xs = models::SelectRows(*in.x, rows);
  StatusOr<models::Contributions> contrib = in.model->Contribute(xs);
  if (contrib.ok()) {
    out["mean_abs_shap"] = explain::MeanAbsContribution(*contrib, groups);
    // SHAP summary: the groups with the largest mean |SHAP|, each row's grouped contribution and
    // the rank of its feature value within the group's first feature (for colouring).
    const std::vector<double> grouped = explain::GroupContributions(*contrib, groups);
    std::vector<size_t> order(groups.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const std::vector<double> mean_abs = out["mean_abs_shap"].get<std::vector<double>>();
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return mean_abs[a] > mean_abs[b]; });
    order.resize(std::min(order.size(), kShapSummaryGroups));
    const std::vector<size_t> points = internal::SampleRows(xs.rows, 400, options.seed + 2);
    nlohmann::json summary = nlohmann::json::array();
    for (size_t g : order) {
      size_t first = 0;
      while (first < groups.group_of_feature.size() && groups.group_of_feature[first] != g) ++first;
      std::vector<double> fv;
      fv.reserve(points.size());
      for (size_t r : points) fv.push_back(xs.at(r, first));
      std::vector<double> sorted = fv;
      std::sort(sorted.begin(), sorted.end());
      nlohmann::json values = nlohmann::json::array();
      nlohmann::json level = nlohmann::json::array();
      for (size_t i = 0; i < points.size(); ++i) {
        values.push_back(grouped[points[i] * groups.size() + g]);
        const double rank =
            std::isfinite(fv[i]) && sorted.back() > sorted.front()
                ? static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), fv[i]) -
                                      sorted.begin()) /
                      static_cast<double>(sorted.size())
                : 0.5;
        level.push_back(std::round(rank * 100) / 100);
      }
      summary.push_back(
          {{"group", groups.names[g]},
           {"feature", first < xs.feature_names.size() ? xs.feature_names[first] : ""},
           {"values", values},
           {"level", level}});
    }
    out["shap_summary"] = summary;
  } else {
    out["shap_note"] = contrib.status().message();
  }
  explain::PermutationOptions po;
  po.seed = options.seed;
  po.repeats = options.permutation_repeats;
  po.max_rows = options.explain_rows;
  // Permutation importance of the uncalibrated model (calibration is monotone and leaves ranking
  // metrics alone); loss: MAE or log loss.
  StatusOr<explain::PermutationImportance> perm =
      explain::ComputePermutationImportance(*in.model, *in.x, in.actual, groups, po);
  if (perm.ok()) {
    out["permutation"] = {{"loss", in.task == models::Task::kRegression ? "mae" : "log_loss"},
                          {"baseline_loss", perm->baseline_loss},
                          {"mean", perm->mean},
                          {"sd", perm->sd},
                          {"rows", perm->rows},
                          {"repeats", po.repeats}};
  }
  return out;
}

nlohmann::json DataSummary(const EvaluationInput& in) {
  nlohmann::json out = {{"rows", in.actual.size()}};
  if (in.table == nullptr || in.run == nullptr) return out;
  const data::Column* entity = in.table->FindColumn(in.run->EntityColumn());
  if (entity != nullptr && entity->type() == data::ColumnType::kCategorical) {
    std::vector<bool> seen(entity->dictionary().size(), false);
    size_t patients = 0;
    for (int32_t c : entity->codes()) {
      if (c >= 0 && !seen[c]) {
        seen[c] = true;
        ++patients;
      }
    }
    out["patients"] = patients;
  }
  const data::Column* time = in.table->FindColumn(in.run->PredictionColumn());
  if (time != nullptr && time->type() == data::ColumnType::kTimestamp) {
    Timestamp lo = 0, hi = 0;
    bool any = false;
    for (size_t r = 0; r < time->size(); ++r) {
      if (time->IsMissing(r)) continue;
      const Timestamp t = time->timestamps()[r];
      lo = any ? std::min(lo, t) : t;
      hi = any ? std::max(hi, t) : t;
      any = true;
    }
    if (any) {
      out["from"] = FormatTimestamp(lo);
      out["to"] = FormatTimestamp(hi);
      out["time_column"] = in.run->PredictionColumn();
    }
  }
  double sum = 0;
  for (double y : in.actual) sum += y;
  out[in.task == models::Task::kClassification ? "prevalence" : "target_mean"] =
      sum / static_cast<double>(std::max<size_t>(1, in.actual.size()));
  // Missing shares of the feature columns the config reads.
  nlohmann::json missing = nlohmann::json::array();
  for (const features::ColumnSpec& c : in.run->columns) {
    if (c.role != features::ColumnRole::kFeature) continue;
    const data::Column* col = in.table->FindColumn(c.name);
    if (col == nullptr) continue;
    size_t n = 0;
    for (size_t r = 0; r < col->size(); ++r) n += col->IsMissing(r);
    if (n > 0) {
      missing.push_back({{"column", c.name},
                         {"missing", n},
                         {"share", static_cast<double>(n) / static_cast<double>(col->size())}});
    }
  }
  out["missing"] = missing;
  return out;
}

}  // namespace

StatusOr<nlohmann::json> EvaluateFull(const EvaluationInput& in,
                                      const FullEvaluationOptions& options) {
  if (in.actual.size() != in.predicted.size() || in.actual.empty()) {
    return InvalidArgumentError(
        fmt::format("evaluation needs one prediction per outcome; got {} "
                    "outcomes and {} predictions",
                    in.actual.size(), in.predicted.size()));
  }
  if (in.table != nullptr && in.table->num_rows() != in.actual.size()) {
    return InvalidArgumentError("evaluation table rows differ from the predictions");
  }
  const bool classification = in.task == models::Task::kClassification;
  nlohmann::json out = {{"format", kEvaluationFormat},
                        {"version", kEvaluationVersion},
                        {"task", models::TaskName(in.task)}};
  if (in.run != nullptr) out["target"] = in.run->target.column;
  if (in.model != nullptr) out["model_type"] = in.model->type();
  out["data"] = DataSummary(in);
  if (!in.data_notes.is_null()) out["data"]["notes"] = in.data_notes;

  // Headline metrics with patient-bootstrap intervals.
  ASSIGN_OR_RETURN(std::unique_ptr<MetricSet> metrics, MakeMetricSet(in));
  ASSIGN_OR_RETURN(GroupIndex patients, PatientIndex(in));
  BootstrapOptions bo;
  bo.replicates = std::max(1, options.bootstrap_replicates);
  bo.seed = options.seed;
  bo.threads = std::max(1, options.threads);
  ASSIGN_OR_RETURN(std::vector<Estimate> est, Bootstrap(*metrics, patients, bo));
  out["headline"] = EstimatesJson(metrics->names(), est);
  out["bootstrap"] = {
      {"replicates", bo.replicates},
      {"seed", bo.seed},
      {"confidence", bo.confidence},
      {"unit", patients.num_groups() < in.actual.size() ? "patient" : "row"},
      {"units", patients.num_groups()},
      {"subgroup_replicates", std::min(bo.replicates, std::max(1, options.subgroup_replicates))}};
  ASSIGN_OR_RETURN(out["baselines"], internal::Baselines(in));
  if (classification) {
    ASSIGN_OR_RETURN(out["classification"], internal::ClassificationSection(in, options));
  } else {
    ASSIGN_OR_RETURN(out["regression"], internal::RegressionSection(in, options));
  }

  // Subgroups.
  out["subgroups"] = nlohmann::json::array();
  if (in.table != nullptr) {
    SubgroupOptions so;
    so.bootstrap = bo;
    so.bootstrap.replicates = std::min(bo.replicates, std::max(1, options.subgroup_replicates));
    for (const std::string& column : options.subgroup_columns) {
      StatusOr<std::pair<std::vector<int32_t>, std::vector<std::string>>> codes =
          SubgroupCodes(*in.table, column);
      if (!codes.ok()) {
        out["subgroups"].push_back({{"column", column}, {"error", codes.status().message()}});
        continue;
      }
      ASSIGN_OR_RETURN(SubgroupReport r, EvaluateSubgroups(*metrics, patients, column, codes->first,
                                                           codes->second, so));
      out["subgroups"].push_back(SubgroupJson(r));
    }
  }

  if (in.model != nullptr && in.x != nullptr && in.groups != nullptr && options.explain_rows > 0) {
    ASSIGN_OR_RETURN(out["explanations"], Explanations(in, options));
    if (!in.coefficients.is_null()) out["explanations"]["coefficients"] = in.coefficients;
  }
  if (!in.comparison.is_null()) out["comparison"] = in.comparison;
  if (!in.card.is_null()) out["card"] = in.card;
  return out;
}

nlohmann::json CoefficientTableJson(const models::Model& model, const models::Matrix& x_train,
                                    const std::vector<double>& y_train,
                                    const std::vector<double>* weights) {
  StatusOr<explain::CoefficientTable> t =
      explain::ComputeCoefficientTable(model, x_train, y_train, weights);
  if (!t.ok()) return nullptr;
  nlohmann::json rows = nlohmann::json::array();
  for (const explain::CoefficientRow& r : t->rows_by_feature) {
    rows.push_back({{"name", r.name},
                    {"mean", r.mean},
                    {"scale", r.scale},
                    {"coefficient", Number(r.coefficient)},
                    {"lower", Number(r.lower)},
                    {"upper", Number(r.upper)},
                    {"standardized", Number(r.standardized)},
                    {"standardized_lower", Number(r.standardized_lower)},
                    {"standardized_upper", Number(r.standardized_upper)},
                    {"std_error", Number(r.std_error)},
                    {"constant", r.constant}});
  }
  return {{"log_odds", t->log_odds},
          {"residual_sd", Number(t->residual_sd)},
          {"training_rows", t->rows},
          {"rows", rows}};
}

}  // namespace staycast::eval
