// FeaturePipeline: resolving input columns, running the transforms in dependency order, and the
// single-record path (record + history through the same code as a batch).
#include "src/features/pipeline.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "src/core/parallel.h"

namespace staycast::features {

std::vector<std::string> UsedColumns(const RunConfig& config) {
  std::set<std::string> used;
  bool history = false;
  for (const FeatureSpec& f : config.features) {
    for (const InputRef& ref : f.inputs) {
      if (!ref.is_feature()) used.insert(ref.column);
    }
    history = history || f.kind == FeatureKind::kHistory;
  }
  if (history) {
    used.insert(config.EntityColumn());
    for (const EventSpec& e : config.events) used.insert(e.column);
  }
  used.insert(config.PredictionColumn());
  return {used.begin(), used.end()};
}

namespace {

// The features in evaluation order, grouped in waves: a feature that reads another feature's
// output comes in a later wave than it; the features of one wave are independent.
std::vector<std::vector<size_t>> Waves(const RunConfig& config) {
  std::map<std::string, size_t> wave_of;  // by feature name
  std::vector<std::vector<size_t>> waves;
  for (size_t idx : config.evaluation_order) {
    size_t wave = 0;
    for (const InputRef& ref : config.features[idx].inputs) {
      const auto it = ref.is_feature() ? wave_of.find(ref.feature) : wave_of.end();
      if (it != wave_of.end()) wave = std::max(wave, it->second + 1);
    }
    wave_of[config.features[idx].name] = wave;
    if (waves.size() <= wave) waves.resize(wave + 1);
    waves[wave].push_back(idx);
  }
  return waves;
}

// Runs every transform over `table`, wave by wave (Waves()). With fit, each transform first learns
// its state from these rows (the transforms are mutable only on that path, through
// FeaturePipeline::Fit). Without fit and with threads > 1, the transforms of a wave run at the
// same time (Apply is const); each writes its own report, merged in wave order.
Status RunTransforms(const RunConfig& config,
                     const std::vector<std::unique_ptr<FeatureTransform>>& transforms,
                     const std::vector<std::vector<size_t>>& waves,
                     const std::vector<std::string>& used, const data::Table& table, bool fit,
                     const std::vector<std::vector<OutputField>>* fitted_outputs, bool with_fields,
                     FeatureMatrix* out, TransformReport* report, int threads = 1) {
  const size_t n = table.num_rows();
  auto is_used = [&](const std::string& name) {
    return std::binary_search(used.begin(), used.end(), name);
  };
  TransformInput in;
  in.config = &config;
  in.num_rows = n;
  std::vector<std::unique_ptr<data::Column>> placeholders;
  for (const ColumnSpec& spec : config.columns) {
    const data::Column* col = table.FindColumn(spec.name);
    if (col != nullptr && col->type() != spec.type) {
      return InvalidArgumentError("column '" + spec.name + "' is " +
                                  data::ColumnTypeName(col->type()) + " in the data but declared " +
                                  data::ColumnTypeName(spec.type) + " in the config");
    }
    if (col == nullptr) {
      if (fit && is_used(spec.name)) {
        return FailedPreconditionError("column '" + spec.name +
                                       "' is read by the features but absent from the training "
                                       "data");
      }
      if (is_used(spec.name)) report->missing_columns.push_back(spec.name);
      auto p = std::make_unique<data::Column>(spec.name, spec.type);
      p->Reserve(n);
      for (size_t r = 0; r < n; ++r) p->AppendMissing();
      col = p.get();
      placeholders.push_back(std::move(p));
    }
    if (col->type() == data::ColumnType::kNumeric && is_used(spec.name)) {
      int64_t infinite = 0;
      for (double v : col->numeric()) infinite += std::isinf(v) ? 1 : 0;
      if (infinite > 0) report->nonfinite_values[spec.name] += infinite;
    }
    in.columns.push_back(col);
  }
  HistoryContext history;
  bool any_history = false;
  for (const FeatureSpec& f : config.features) any_history |= f.kind == FeatureKind::kHistory;
  if (any_history) {
    history.entity = in.Column(config.EntityColumn()).codes();
    for (const EventSpec& e : config.events) {
      history.events.push_back(in.Column(e.column).timestamps());
    }
    history.prediction =
        history.events[static_cast<size_t>(config.EventIndex(config.prediction_event))];
    in.history = &history;
  }
  in.features.assign(config.features.size(), nullptr);
  std::vector<std::vector<std::vector<double>>> outputs(config.features.size());
  // Fitting builds each transform's fields; transforming reads the fitted ones (no copy).
  std::vector<std::vector<OutputField>> fitted(fitted_outputs == nullptr ? config.features.size()
                                                                         : 0);
  const std::vector<std::vector<OutputField>>& fields =
      fitted_outputs != nullptr ? *fitted_outputs : fitted;
  for (const std::vector<size_t>& wave : waves) {
    std::vector<TransformReport> reports(wave.size());
    std::vector<Status> fit_status(wave.size());
    ParallelFor(wave.size(), fit ? 1 : threads, [&](size_t i) {
      const size_t idx = wave[i];
      FeatureTransform& t = *transforms[idx];
      if (fit) {
        fit_status[i] = t.Fit(in);
        if (!fit_status[i].ok()) return;
      }
      if (fitted_outputs == nullptr) fitted[idx] = t.Outputs();
      outputs[idx].assign(fields[idx].size(), std::vector<double>(n, 0.0));
      t.Apply(in, &outputs[idx], &reports[i]);
    });
    for (size_t i = 0; i < wave.size(); ++i) {
      if (!fit_status[i].ok()) return fit_status[i].WithContext(config.features[wave[i]].key_path);
      report->Merge(reports[i]);
      if (!outputs[wave[i]].empty()) in.features[wave[i]] = &outputs[wave[i]][0];
    }
  }
  out->fields.clear();
  out->columns.clear();
  out->num_rows = n;
  for (size_t idx = 0; idx < config.features.size(); ++idx) {
    if (!config.features[idx].keep) continue;
    for (size_t k = 0; k < fields[idx].size(); ++k) {
      if (fitted_outputs == nullptr) {
        out->fields.push_back(std::move(fitted[idx][k]));
      } else if (with_fields) {
        out->fields.push_back(fields[idx][k]);
      }
      out->columns.push_back(std::move(outputs[idx][k]));
    }
  }
  return OkStatus();
}

}  // namespace

void FeaturePipeline::CacheOutputs() {
  outputs_.clear();
  for (const std::unique_ptr<FeatureTransform>& t : transforms_) outputs_.push_back(t->Outputs());
}

StatusOr<FeaturePipeline> FeaturePipeline::Create(RunConfig config) {
  FeaturePipeline p;
  p.config_ = std::make_unique<RunConfig>(std::move(config));
  p.used_ = UsedColumns(*p.config_);
  p.waves_ = Waves(*p.config_);
  for (const FeatureSpec& spec : p.config_->features) {
    ASSIGN_OR_RETURN(std::unique_ptr<FeatureTransform> t, MakeTransform(spec, *p.config_));
    p.transforms_.push_back(std::move(t));
  }
  return p;
}

Status FeaturePipeline::Fit(const data::Table& train) {
  FeatureMatrix matrix;
  TransformReport report;
  fitted_ = false;
  RETURN_IF_ERROR(RunTransforms(*config_, transforms_, waves_, used_, train, /*fit=*/true, nullptr,
                                /*with_fields=*/true, &matrix, &report));
  schema_ = std::move(matrix.fields);
  fitted_ = true;
  CacheOutputs();
  return OkStatus();
}

StatusOr<FeatureMatrix> FeaturePipeline::FitTransform(const data::Table& train,
                                                      TransformReport* report) {
  FeatureMatrix matrix;
  TransformReport local;
  fitted_ = false;
  RETURN_IF_ERROR(RunTransforms(*config_, transforms_, waves_, used_, train, /*fit=*/true, nullptr,
                                /*with_fields=*/true, &matrix,
                                report != nullptr ? report : &local));
  schema_ = matrix.fields;
  fitted_ = true;
  CacheOutputs();
  return matrix;
}

StatusOr<FeatureMatrix> FeaturePipeline::Transform(const data::Table& table,
                                                   TransformReport* report) const {
  return TransformImpl(table, /*with_fields=*/true, report);
}

StatusOr<FeatureMatrix> FeaturePipeline::TransformValues(const data::Table& table,
                                                         TransformReport* report) const {
  return TransformImpl(table, /*with_fields=*/false, report);
}

StatusOr<FeatureMatrix> FeaturePipeline::TransformImpl(const data::Table& table, bool with_fields,
                                                       TransformReport* report) const {
  if (!fitted_) return FailedPreconditionError("the feature pipeline is not fitted");
  TransformReport local;
  FeatureMatrix matrix;
  const int threads = table.num_rows() >= kParallelRows ? threads_ : 1;
  RETURN_IF_ERROR(RunTransforms(*config_, transforms_, waves_, used_, table, /*fit=*/false,
                                &outputs_, with_fields, &matrix,
                                report != nullptr ? report : &local, threads));
  return matrix;
}

StatusOr<std::vector<double>> FeaturePipeline::TransformRow(const data::Table& record,
                                                            const data::Table& history,
                                                            TransformReport* report) const {
  if (!fitted_) return FailedPreconditionError("the feature pipeline is not fitted");
  if (record.num_rows() != 1) {
    return InvalidArgumentError("TransformRow needs exactly one record, got " +
                                std::to_string(record.num_rows()) + " rows");
  }
  TransformReport local;
  TransformReport* rep = report != nullptr ? report : &local;
  // The record and its history as one table of the declared columns, record last.
  data::Table combined;
  for (const ColumnSpec& spec : config_->columns) {
    data::Column col(spec.name, spec.type);
    col.Reserve(history.num_rows() + 1);
    for (const data::Table* part : {&history, &record}) {
      const data::Column* src = part->FindColumn(spec.name);
      if (src != nullptr && src->type() != spec.type) {
        return InvalidArgumentError("column '" + spec.name + "' is " +
                                    data::ColumnTypeName(src->type()) + " but declared " +
                                    data::ColumnTypeName(spec.type));
      }
      if (src != nullptr) {
        col.AppendAllFrom(*src);
      } else {
        for (size_t r = 0; r < part->num_rows(); ++r) col.AppendMissing();
      }
    }
    if (record.FindColumn(spec.name) == nullptr &&
        std::binary_search(used_.begin(), used_.end(), spec.name)) {
      rep->missing_columns.push_back(spec.name);
    }
    RETURN_IF_ERROR(combined.AddColumn(std::move(col)));
  }
  FeatureMatrix matrix;
  TransformReport inner;
  RETURN_IF_ERROR(RunTransforms(*config_, transforms_, waves_, used_, combined, /*fit=*/false,
                                &outputs_,
                                /*with_fields=*/false, &matrix, &inner));
  inner.missing_columns.clear();  // placeholders cannot occur: every declared column was built
  rep->Merge(inner);
  std::vector<double> row(matrix.columns.size());
  const size_t last = combined.num_rows() - 1;
  for (size_t j = 0; j < row.size(); ++j) row[j] = matrix.columns[j][last];
  return row;
}

}  // namespace staycast::features
