// The audit's proof-by-test for history features: for sampled rows, recompute the features from
// only what existed before the row's prediction time (later stays removed, values not yet known
// blanked) through TransformRow, and compare with the batch values. With --naive-history, the
// seed's per-entity aggregate over all stays is put through the same test and into a ridge
// baseline to show its effect on a test metric.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "src/features/audit_internal.h"
#include "src/features/history.h"

namespace staycast::features::internal {
namespace {

bool NaiveEligible(const FeatureSpec& f) {
  // The seed's bug was a per-patient mean; other aggregates leak the same way.
  return f.kind == FeatureKind::kHistory && f.keep && f.history.op == HistoryOp::kMean;
}

// The seed's aggregate: over all of the entity's rows with a value, the current one included.
double NaiveAggregate(HistoryOp op, const std::vector<double>& values) {
  if (values.empty()) return std::nan("");
  double acc = op == HistoryOp::kMax ? -INFINITY : op == HistoryOp::kMin ? INFINITY : 0;
  for (double v : values) {
    if (op == HistoryOp::kMax)
      acc = std::max(acc, v);
    else if (op == HistoryOp::kMin)
      acc = std::min(acc, v);
    else
      acc += v;
  }
  return op == HistoryOp::kMean ? acc / static_cast<double>(values.size()) : acc;
}

// Sets to missing each value of `t` (rows taken from `source` rows) whose known time is at or
// after `cutoff` (`strict`) or after it (not strict).
void BlankUnknown(const RunConfig& config, const std::vector<std::vector<Timestamp>>& known,
                  const std::vector<size_t>& source, Timestamp cutoff, bool strict,
                  data::Table* t) {
  for (size_t c = 0; c < config.columns.size(); ++c) {
    data::Column* col = t->FindMutableColumn(config.columns[c].name);
    if (col == nullptr) continue;
    const bool never = config.columns[c].available.never();
    for (size_t i = 0; i < source.size(); ++i) {
      const Timestamp k = known[c][source[i]];
      const bool unknown = never || k == kMissingTime || (strict ? k >= cutoff : k > cutoff);
      if (!unknown) continue;
      switch (col->type()) {
        case data::ColumnType::kNumeric: col->numeric()[i] = std::nan(""); break;
        case data::ColumnType::kCategorical: col->codes()[i] = data::kMissingCode; break;
        case data::ColumnType::kTimestamp: col->timestamps()[i] = kMissingTime; break;
        case data::ColumnType::kStringList: col->lists()[i].clear(); break;
      }
    }
  }
}

double Metric(Task task, const std::vector<double>& pred, const std::vector<double>& y) {
  return task == Task::kClassification ? RocAuc(pred, y) : MeanAbsoluteError(pred, y);
}

}  // namespace

Status AuditHistory(const RunConfig& config, const data::Table& table,
                    const FeaturePipeline& pipeline, const FeatureMatrix& features,
                    const std::vector<double>& target, const AuditSplit& split,
                    const AuditOptions& options, AuditReport* report) {
  std::vector<size_t> history;  // feature indexes
  for (size_t f = 0; f < config.features.size(); ++f) {
    if (config.features[f].kind == FeatureKind::kHistory && config.features[f].keep) {
      history.push_back(f);
    }
  }
  if (history.empty()) return OkStatus();
  const size_t n = table.num_rows();
  const auto& entity = table.FindColumn(config.EntityColumn())->codes();
  const auto& first = table.FindColumn(config.events.front().column)->timestamps();
  const auto& pred = table.FindColumn(config.PredictionColumn())->timestamps();
  // When each column's value of each row became known.
  std::vector<std::vector<Timestamp>> known;
  for (const ColumnSpec& c : config.columns) {
    const int e = c.available.never() ? 0 : config.EventIndex(c.available.event);
    const data::Column* ev = table.FindColumn(config.events[static_cast<size_t>(e)].column);
    known.push_back(KnownTimes(first, ev->timestamps(), c.available.offset_seconds));
  }
  std::map<int32_t, std::vector<size_t>> by_entity;
  std::vector<size_t> candidates;
  for (size_t r = 0; r < n; ++r) {
    if (entity[r] < 0 || pred[r] == kMissingTime) continue;
    by_entity[entity[r]].push_back(r);
    candidates.push_back(r);
  }
  std::mt19937_64 rng(options.seed);
  std::shuffle(candidates.begin(), candidates.end(), rng);
  if (candidates.size() > options.proof_rows) candidates.resize(options.proof_rows);

  // Output column of each history feature, and the naive variants.
  std::map<size_t, size_t> column_of;
  for (size_t j = 0; j < features.fields.size(); ++j) {
    for (size_t f : history) {
      if (features.fields[j].feature == config.features[f].name) column_of[f] = j;
    }
  }
  std::map<size_t, std::vector<double>> naive_full;  // by feature index
  if (options.naive_history) {
    for (size_t f : history) {
      const FeatureSpec& spec = config.features[f];
      if (!NaiveEligible(spec)) continue;
      const auto& v = table.FindColumn(spec.inputs[0].column)->numeric();
      std::vector<double>& out = naive_full[f];
      out.assign(n, std::nan(""));
      for (const auto& [e, rows] : by_entity) {
        std::vector<double> values;
        for (size_t r : rows) {
          if (std::isfinite(v[r])) values.push_back(v[r]);
        }
        const double agg = NaiveAggregate(spec.history.op, values);
        for (size_t r : rows) out[r] = agg;
      }
    }
  }
  std::map<size_t, HistoryProof> proofs;
  std::map<size_t, HistoryProof> naive_proofs;
  for (size_t r : candidates) {
    const Timestamp cutoff = pred[r];
    std::vector<size_t> past;
    for (size_t o : by_entity[entity[r]]) {
      if (o != r && first[o] != kMissingTime && first[o] < cutoff) past.push_back(o);
    }
    data::Table past_table = table.Take(past);
    BlankUnknown(config, known, past, cutoff, /*strict=*/true, &past_table);
    data::Table record = table.Take({r});
    BlankUnknown(config, known, {r}, cutoff, /*strict=*/false, &record);
    ASSIGN_OR_RETURN(std::vector<double> row, pipeline.TransformRow(record, past_table));
    for (size_t f : history) {
      HistoryProof& p = proofs[f];
      p.feature = config.features[f].name;
      ++p.rows_checked;
      const size_t j = column_of[f];
      const double a = row[j], b = features.columns[j][r];
      if (!(a == b || (std::isnan(a) && std::isnan(b)))) ++p.rows_changed;
    }
    for (auto& [f, full] : naive_full) {
      const FeatureSpec& spec = config.features[f];
      const data::Column* v_past = past_table.FindColumn(spec.inputs[0].column);
      const data::Column* v_rec = record.FindColumn(spec.inputs[0].column);
      std::vector<double> values;
      for (size_t i = 0; i < past.size(); ++i) {
        if (std::isfinite(v_past->numeric()[i])) values.push_back(v_past->numeric()[i]);
      }
      if (std::isfinite(v_rec->numeric()[0])) values.push_back(v_rec->numeric()[0]);
      const double truncated = NaiveAggregate(spec.history.op, values);
      HistoryProof& p = naive_proofs[f];
      p.feature = "naive_" + spec.name;
      p.naive = true;
      ++p.rows_checked;
      const double a = truncated, b = full[r];
      if (!(a == b || (std::isnan(a) && std::isnan(b)))) ++p.rows_changed;
    }
  }
  for (auto& [f, p] : proofs) {
    report->problems += p.rows_changed > 0 ? 1 : 0;
    report->proofs.push_back(p);
  }
  for (auto& [f, p] : naive_proofs) report->proofs.push_back(p);

  // Ridge baseline: honest features vs the naive feature in their place.
  std::vector<size_t> train, test;
  for (size_t r : split.train) {
    if (std::isfinite(target[r])) train.push_back(r);
  }
  for (size_t r : split.test) {
    if (std::isfinite(target[r])) test.push_back(r);
  }
  std::vector<double> y_test;
  y_test.reserve(test.size());
  for (size_t r : test) y_test.push_back(target[r]);
  constexpr double kLambda = 1e-3;
  const Task task = config.target.task;
  for (auto& [f, full] : naive_full) {
    NaiveComparison c;
    c.feature = config.features[f].name;
    c.metric = task == Task::kClassification ? "ROC-AUC" : "MAE";
    c.higher_is_better = task == Task::kClassification;
    c.train_rows = train.size();
    c.test_rows = test.size();
    const size_t j = column_of[f];
    FeatureMatrix naive = features;
    naive.columns[j] = full;
    // The seed imputed nothing: a stay without a value gets the fill, as the pipeline does.
    for (double& v : naive.columns[j]) {
      if (!std::isfinite(v)) v = config.features[f].history.fill;
    }
    const Ridge honest = FitRidge(features, train, target, kLambda);
    const Ridge leaky = FitRidge(naive, train, target, kLambda);
    c.honest = Metric(task, PredictRidge(honest, features, test), y_test);
    c.naive_reported = Metric(task, PredictRidge(leaky, naive, test), y_test);
    c.naive_deployed = Metric(task, PredictRidge(leaky, features, test), y_test);
    c.naive_strength = Strength(task, naive.columns[j], target, test);
    c.honest_strength = Strength(task, features.columns[j], target, test);
    report->naive.push_back(c);
  }
  return OkStatus();
}

}  // namespace staycast::features::internal
