// The Predictor: load and verify a bundle, then transform, predict, calibrate or add intervals,
// and say per row what had to be assumed.
#include "src/bundle/predictor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "src/bundle/bundle_files.h"
#include "src/bundle/layout.h"
#include "src/core/parallel.h"

namespace staycast::bundle {
namespace {

// `src` with exactly the columns of `schema` (by name; absent columns all missing), so tables from
// different sources can be stacked.
StatusOr<data::Table> AlignTo(const data::Table& src, const data::Schema& schema) {
  data::Table out;
  for (const data::Field& f : schema.fields) {
    data::Column col(f.name, f.type);
    const data::Column* from = src.FindColumn(f.name);
    if (from != nullptr && from->type() != f.type) {
      return InvalidArgumentError("history column '" + f.name + "' is " +
                                  data::ColumnTypeName(from->type()) + ", input has " +
                                  data::ColumnTypeName(f.type));
    }
    if (from != nullptr) {
      col.AppendAllFrom(*from);
    } else {
      col.Reserve(src.num_rows());
      for (size_t r = 0; r < src.num_rows(); ++r) col.AppendMissing();
    }
    RETURN_IF_ERROR(out.AddColumn(std::move(col)));
  }
  return out;
}

std::string FormatNumber(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

models::Matrix ToModelMatrix(const features::FeatureMatrix& f, const std::vector<size_t>* rows,
                             int threads) {
  models::Matrix m;
  m.rows = rows != nullptr ? rows->size() : f.num_rows;
  m.cols = f.columns.size();
  m.values.resize(m.rows * m.cols);
  // Transposed a block of rows at a time, so the rows being written stay in cache (column by
  // column over all rows touched a new cache line per value: 14% of a 1M-row predict). Selected
  // rows are visited in table order (a temporal split lists them by time, which is not the
  // table's order: reading them so missed the cache on every value of every column).
  std::vector<size_t> order;
  if (rows != nullptr) {
    order.resize(m.rows);
    std::iota(order.begin(), order.end(), 0);
    if (!std::is_sorted(rows->begin(), rows->end())) {
      std::sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return (*rows)[a] < (*rows)[b]; });
    }
  }
  constexpr size_t kBlockRows = 128;
  const auto transpose = [&](size_t begin, size_t end) {  // output rows [begin, end)
    for (size_t i0 = begin; i0 < end; i0 += kBlockRows) {
      const size_t i1 = std::min(end, i0 + kBlockRows);
      for (size_t j = 0; j < m.cols; ++j) {
        const double* col = f.columns[j].data();
        float* out = m.values.data() + j;
        if (rows != nullptr) {
          for (size_t k = i0; k < i1; ++k) {
            const size_t i = order[k];  // output row; its table row is (*rows)[i]
            out[i * m.cols] = static_cast<float>(col[(*rows)[i]]);
          }
        } else {
          for (size_t i = i0; i < i1; ++i) out[i * m.cols] = static_cast<float>(col[i]);
        }
      }
    }
  };
  // Large matrices in contiguous ranges of whole blocks, one per thread.
  ParallelRanges(m.rows, m.rows >= kMinParallelRows ? threads : 1, kBlockRows, transpose);
  if (f.fields.size() == m.cols) {
    m.feature_names.reserve(m.cols);
    for (const features::OutputField& field : f.fields) m.feature_names.push_back(field.name);
  }
  return m;
}

StatusOr<std::unique_ptr<Predictor>> Predictor::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<BundleReader> reader, BundleReader::Open(path));
  std::unique_ptr<Predictor> p(new Predictor());  // NOLINT: private constructor
  p->metadata_ = reader->metadata();
  const auto context = [&](const Status& s) { return s.WithContext(path); };
  StatusOr<std::string> pipeline_text = reader->ReadFile(kPipelineFile);
  if (!pipeline_text.ok()) return context(pipeline_text.status());
  StatusOr<features::FeaturePipeline> pipeline =
      features::FeaturePipeline::FromJson(*pipeline_text, path + "/" + kPipelineFile);
  if (!pipeline.ok()) return context(pipeline.status());
  p->pipeline_.emplace(std::move(*pipeline));
  ASSIGN_OR_RETURN(nlohmann::json model_config, reader->ReadJson(kModelConfigFile));
  ASSIGN_OR_RETURN(std::string model_state, reader->ReadFile(kModelStateFile));
  StatusOr<std::unique_ptr<models::Model>> model = models::LoadModel(model_config, model_state);
  if (!model.ok()) return context(model.status());
  p->model_ = std::move(*model);
  p->task_ = p->model_->task();
  // Scoring passes the model unnamed feature rows (FeatureValues), so the names are compared here,
  // once: the pipeline's outputs must be the model's features, in order.
  const std::vector<features::OutputField>& outputs = p->pipeline_->schema();
  const std::vector<std::string>& expected = p->model_->feature_names();
  if (outputs.size() != p->model_->num_features()) {
    return DataLossError(fmt::format("{}: the pipeline makes {} features, the model reads {}", path,
                                     outputs.size(), p->model_->num_features()));
  }
  for (size_t j = 0; j < expected.size() && j < outputs.size(); ++j) {
    if (outputs[j].name != expected[j]) {
      return DataLossError(
          fmt::format("{}: feature {} is '{}' in the pipeline but '{}' in the model", path, j,
                      outputs[j].name, expected[j]));
    }
  }
  if (reader->HasFile(kCalibrationFile)) {
    ASSIGN_OR_RETURN(nlohmann::json cal, reader->ReadJson(kCalibrationFile));
    StatusOr<models::Calibrator> calibrator = models::Calibrator::FromJson(cal.at("calibrator"));
    if (!calibrator.ok()) return context(calibrator.status());
    p->calibrator_ = std::move(*calibrator);
  }
  if (reader->HasFile(kIntervalsFile)) {
    ASSIGN_OR_RETURN(nlohmann::json iv, reader->ReadJson(kIntervalsFile));
    StatusOr<models::ConformalIntervals> intervals = models::ConformalIntervals::FromJson(iv);
    if (!intervals.ok()) return context(intervals.status());
    p->intervals_ = std::move(*intervals);
  }
  if (reader->HasFile(kSchemaFile)) {
    ASSIGN_OR_RETURN(p->schema_, reader->ReadJson(kSchemaFile));
    if (p->schema_.contains("columns")) {
      try {
        for (const nlohmann::json& c : p->schema_["columns"]) {
          if (!c.value("required", false) || c.value("role", "") != "feature") continue;
          ColumnCheck check;
          check.name = c.at("name").get<std::string>();
          if (c.contains("range")) {
            check.range.emplace(c["range"][0].get<double>(), c["range"][1].get<double>());
          }
          if (c.contains("categories")) {
            check.categories.emplace();
            for (const auto& [category, share] : c["categories"].items()) {
              check.categories->insert(category);
            }
          }
          p->checks_.push_back(std::move(check));
        }
      } catch (const nlohmann::json::exception& e) {
        return DataLossError(path + "/" + kSchemaFile + ": unexpected content: " + e.what());
      }
    }
  }
  p->threshold_ = p->metadata_.value("threshold", 0.5);
  p->groups_ = explain::GroupFeatures(p->pipeline_->config(), p->pipeline_->schema());
  if (p->groups_.group_of_feature.size() != p->model_->num_features()) {
    p->groups_ = explain::Ungrouped(p->model_->feature_names());
  }
  return p;
}

double Predictor::coverage() const { return intervals_ ? intervals_->coverage() : 0.0; }

StatusOr<models::Matrix> Predictor::Features(const data::Table& input, const data::Table* history,
                                             features::TransformReport* report) const {
  return FeatureValues(input, history, report, /*with_names=*/true);
}

StatusOr<models::Matrix> Predictor::FeatureValues(const data::Table& input,
                                                  const data::Table* history,
                                                  features::TransformReport* report,
                                                  bool with_names) const {
  const auto transform = [&](const data::Table& t) {
    return with_names ? pipeline_->Transform(t, report) : pipeline_->TransformValues(t, report);
  };
  if (history == nullptr || history->num_rows() == 0) {
    ASSIGN_OR_RETURN(features::FeatureMatrix f, transform(input));
    return ToModelMatrix(f, nullptr, threads_);
  }
  data::Table combined = input;
  ASSIGN_OR_RETURN(data::Table aligned, AlignTo(*history, input.schema()));
  RETURN_IF_ERROR(combined.Append(aligned));
  ASSIGN_OR_RETURN(features::FeatureMatrix f, transform(combined));
  models::Matrix all = ToModelMatrix(f, nullptr, threads_);
  all.rows = input.num_rows();
  all.values.resize(all.rows * all.cols);
  return all;
}

void Predictor::SetThreads(int threads) {
  threads_ = std::max(threads, 1);
  pipeline_->SetThreads(threads_);
  model_->SetPredictThreads(threads);
  if (intervals_) intervals_->SetPredictThreads(threads);
}

// Per row, the inputs that were missing (imputed), unknown categories and values outside the
// training range. The schema's checks are parsed once at Load; categories are looked up once per
// distinct value of the input column, not once per row.
std::vector<std::vector<std::string>> Predictor::RowWarnings(const data::Table& input) const {
  std::vector<std::vector<std::string>> out(input.num_rows());
  for (const ColumnCheck& check : checks_) {
    const std::string& name = check.name;
    const data::Column* col = input.FindColumn(name);
    // An empty code list is a value (no procedures), not a missing input.
    if (col != nullptr && col->type() == data::ColumnType::kStringList) continue;
    if (col == nullptr) {
      for (auto& w : out) w.push_back(name + " missing: imputed");
      continue;
    }
    std::vector<char> known;  // by category code
    if (col->type() == data::ColumnType::kCategorical && check.categories) {
      known.reserve(col->dictionary().size());
      for (const std::string& v : col->dictionary()) known.push_back(check.categories->count(v));
    }
    const bool numeric = col->type() == data::ColumnType::kNumeric;
    for (size_t r = 0; r < input.num_rows(); ++r) {
      if (col->IsMissing(r) || (numeric && !std::isfinite(col->numeric()[r]))) {
        out[r].push_back(name + " missing: imputed");
        continue;
      }
      if (!known.empty()) {
        const int32_t code = col->codes()[r];
        if (known[static_cast<size_t>(code)] == 0) {
          out[r].push_back("unknown " + name + " '" + col->CategoryAt(r) + "'");
        }
      } else if (numeric && check.range) {
        const double v = col->numeric()[r];
        const auto [lo, hi] = *check.range;
        if (v < lo || v > hi) {
          out[r].push_back(name + " " + FormatNumber(v) + " outside training range [" +
                           FormatNumber(lo) + ", " + FormatNumber(hi) + "]");
        }
      }
    }
  }
  return out;
}

StatusOr<Predictions> Predictor::Predict(const data::Table& input,
                                         const data::Table* history) const {
  Predictions out;
  if (input.num_rows() == 0) return out;
  ASSIGN_OR_RETURN(models::Matrix x,
                   FeatureValues(input, history, &out.report, /*with_names=*/false));
  ASSIGN_OR_RETURN(out.value, model_->Predict(x));
  if (task_ == models::Task::kClassification) {
    if (calibrator_) out.value = calibrator_->Apply(out.value);
    out.decision.reserve(out.value.size());
    for (double p : out.value) out.decision.push_back(p >= threshold_ ? 1 : 0);
  } else if (intervals_) {
    ASSIGN_OR_RETURN(models::Intervals iv, intervals_->Predict(x, out.value));
    out.lower = std::move(iv.lower);
    out.upper = std::move(iv.upper);
  }
  out.warnings = RowWarnings(input);
  out.features = std::move(x);
  return out;
}

}  // namespace staycast::bundle

namespace staycast::bundle {

StatusOr<Explanations> Predictor::Explain(const data::Table& input, const data::Table* history,
                                          size_t top_k) const {
  Explanations out;
  out.log_odds = task_ == models::Task::kClassification;
  out.groups = groups_.names;
  if (input.num_rows() == 0) return out;
  features::TransformReport report;
  ASSIGN_OR_RETURN(models::Matrix x, FeatureValues(input, history, &report, /*with_names=*/false));
  ASSIGN_OR_RETURN(models::Contributions c, model_->Contribute(x));
  out.rows = explain::TopContributions(c, groups_, top_k);
  out.warnings = RowWarnings(input);
  return out;
}

}  // namespace staycast::bundle
