// `models promote --on DATA`: the candidate, the current alias holder and a no-skill baseline,
// each measured on the same labelled rows through the bundle's Predictor.
#include "src/cli/promote_on_data.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

#include "src/bundle/predictor.h"
#include "src/data/io.h"
#include "src/eval/evaluation.h"
#include "src/features/audit_internal.h"

namespace staycast::cli {
namespace {

std::string VersionName(const std::string& name, int version) {
  return "model '" + name + "' version " + std::to_string(version);
}

// The registered metric of `predicted` against `actual` (labelled rows only).
StatusOr<double> MetricValue(models::Task task, const std::string& metric,
                             const std::vector<double>& actual,
                             const std::vector<double>& predicted, bool constant_ok) {
  nlohmann::json metrics;
  if (task == models::Task::kRegression) {
    ASSIGN_OR_RETURN(metrics, eval::RegressionMetricsJson(actual, predicted));
  } else {
    ASSIGN_OR_RETURN(metrics,
                     eval::ClassificationMetricsJson(actual, predicted, std::nullopt, constant_ok));
  }
  if (!metrics.contains(metric) || !metrics[metric].is_number()) {
    return FailedPreconditionError(
        "metric '" + metric + "' cannot be computed on these rows" +
        (task == models::Task::kClassification ? " (does DATA have both outcomes?)" : ""));
  }
  return metrics[metric].get<double>();
}

// The best constant prediction for `metric`: the median for absolute errors, the prevalence or
// mean otherwise.
double ConstantPrediction(const std::string& metric, std::vector<double> actual) {
  if (metric == "mae" || metric == "median_ae") {
    const size_t mid = actual.size() / 2;
    std::nth_element(actual.begin(), actual.begin() + static_cast<std::ptrdiff_t>(mid),
                     actual.end());
    double median = actual[mid];
    if (actual.size() % 2 == 0) {
      median = (median + *std::max_element(actual.begin(),
                                           actual.begin() + static_cast<std::ptrdiff_t>(mid))) /
               2;
    }
    return median;
  }
  return std::accumulate(actual.begin(), actual.end(), 0.0) / static_cast<double>(actual.size());
}

struct Scored {
  std::vector<double> actual;
  std::vector<double> predicted;
  size_t dropped = 0;
  models::Task task = models::Task::kRegression;
};

StatusOr<Scored> ScoreVersion(registry::Registry& registry, const std::string& name, int version,
                              const std::string& data, const std::string& history) {
  const std::string who = VersionName(name, version);
  ASSIGN_OR_RETURN(registry::ResolvedModel resolved,
                   registry.Resolve("models:/" + name + "/" + std::to_string(version)));
  StatusOr<std::unique_ptr<bundle::Predictor>> loaded =
      bundle::Predictor::Load(resolved.artifact_path);
  if (!loaded.ok()) return loaded.status().WithContext(who);
  const bundle::Predictor& predictor = **loaded;
  const std::string& label = predictor.config().target.column;
  data::ReadOptions read = predictor.read_options();
  read.ignore_absent_overrides = true;
  ASSIGN_OR_RETURN(data::Table table, data::ReadTable(data, read));
  if (table.FindColumn(label) == nullptr) {
    return InvalidArgumentError(data + ": no label column '" + label + "', which " + who +
                                " predicts; --on needs labelled rows");
  }
  data::Table past;
  if (!history.empty()) {
    ASSIGN_OR_RETURN(past, data::ReadTable(history, read));
  }
  StatusOr<bundle::Predictions> predictions =
      predictor.Predict(table, history.empty() ? nullptr : &past);
  if (!predictions.ok()) return predictions.status().WithContext(who + " on " + data);
  ASSIGN_OR_RETURN(std::vector<double> y,
                   features::internal::TargetValues(predictor.config(), table));
  Scored scored;
  scored.task = predictor.task();
  for (size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i])) {
      ++scored.dropped;
      continue;
    }
    scored.actual.push_back(y[i]);
    scored.predicted.push_back(predictions->value[i]);
  }
  if (scored.actual.empty()) {
    return InvalidArgumentError(data + ": no row has a label in '" + label + "'");
  }
  return scored;
}

}  // namespace

StatusOr<OnDataMeasurement> MeasureOnData(registry::Registry& registry, const std::string& name,
                                          int version, const std::string& alias,
                                          const std::string& data, const std::string& history) {
  ASSIGN_OR_RETURN(registry::ModelVersion candidate, registry.GetVersion(name, version));
  const nlohmann::json& primary = candidate.metadata.value("primary_metric", nlohmann::json());
  if (!primary.is_object() || !primary.contains("name") || !primary["name"].is_string()) {
    return FailedPreconditionError(VersionName(name, version) +
                                   " has no primary metric in its metadata; cannot measure it");
  }
  OnDataMeasurement out;
  out.metric = primary["name"].get<std::string>();
  ASSIGN_OR_RETURN(Scored ours, ScoreVersion(registry, name, version, data, history));
  ASSIGN_OR_RETURN(out.candidate,
                   MetricValue(ours.task, out.metric, ours.actual, ours.predicted, false));
  const std::vector<double> constant(ours.actual.size(),
                                     ConstantPrediction(out.metric, ours.actual));
  ASSIGN_OR_RETURN(out.baseline, MetricValue(ours.task, out.metric, ours.actual, constant, true));
  out.rows = ours.actual.size();
  out.dropped = ours.dropped;

  StatusOr<int> holder = registry.GetAlias(name, alias);
  if (holder.ok() && *holder != version) {
    ASSIGN_OR_RETURN(Scored theirs, ScoreVersion(registry, name, *holder, data, history));
    if (theirs.task != ours.task || theirs.actual != ours.actual) {
      return FailedPreconditionError(VersionName(name, *holder) + " and version " +
                                     std::to_string(version) + " read different labels from " +
                                     data + "; they cannot be compared on it");
    }
    ASSIGN_OR_RETURN(out.current,
                     MetricValue(theirs.task, out.metric, theirs.actual, theirs.predicted, false));
  } else if (!holder.ok() && holder.status().code() != StatusCode::kNotFound) {
    return holder.status();
  }
  out.source = data + " (" + std::to_string(out.rows) + " labelled rows)";
  return out;
}

}  // namespace staycast::cli
