// The Predictor: load and verify a bundle, then transform, predict, calibrate or add intervals,
// and say per row what had to be assumed.
#include "src/bundle/predictor.h"

#include <fmt/format.h>

#include <cmath>

#include "src/bundle/bundle_files.h"
#include "src/bundle/layout.h"

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
    col.Reserve(src.num_rows());
    for (size_t r = 0; r < src.num_rows(); ++r) {
      if (from != nullptr) {
        col.AppendFrom(*from, r);
      } else {
        col.AppendMissing();
      }
    }
    RETURN_IF_ERROR(out.AddColumn(std::move(col)));
  }
  return out;
}

std::string FormatNumber(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

models::Matrix ToModelMatrix(const features::FeatureMatrix& f) {
  models::Matrix m;
  m.rows = f.num_rows;
  m.cols = f.fields.size();
  m.values.resize(m.rows * m.cols);
  for (size_t j = 0; j < m.cols; ++j) {
    const std::vector<double>& col = f.columns[j];
    for (size_t r = 0; r < m.rows; ++r) m.values[r * m.cols + j] = static_cast<float>(col[r]);
    m.feature_names.push_back(f.fields[j].name);
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
  if (history == nullptr || history->num_rows() == 0) {
    ASSIGN_OR_RETURN(features::FeatureMatrix f, pipeline_->Transform(input, report));
    return ToModelMatrix(f);
  }
  data::Table combined = input;
  ASSIGN_OR_RETURN(data::Table aligned, AlignTo(*history, input.schema()));
  RETURN_IF_ERROR(combined.Append(aligned));
  ASSIGN_OR_RETURN(features::FeatureMatrix f, pipeline_->Transform(combined, report));
  models::Matrix all = ToModelMatrix(f);
  all.rows = input.num_rows();
  all.values.resize(all.rows * all.cols);
  return all;
}

std::vector<std::vector<std::string>> Predictor::RowWarnings(const data::Table& input) const {
  std::vector<std::vector<std::string>> out(input.num_rows());
  if (!schema_.contains("columns")) return out;
  for (const nlohmann::json& c : schema_["columns"]) {
    if (!c.value("required", false) || c.value("role", "") != "feature") continue;
    const std::string name = c.at("name").get<std::string>();
    const data::Column* col = input.FindColumn(name);
    for (size_t r = 0; r < input.num_rows(); ++r) {
      // An empty code list is a value (no procedures), not a missing input.
      if (col != nullptr && col->type() == data::ColumnType::kStringList) continue;
      if (col == nullptr || col->IsMissing(r) ||
          (col->type() == data::ColumnType::kNumeric && !std::isfinite(col->numeric()[r]))) {
        out[r].push_back(name + " missing: imputed");
        continue;
      }
      if (col->type() == data::ColumnType::kCategorical && c.contains("categories") &&
          !c["categories"].contains(col->CategoryAt(r))) {
        out[r].push_back("unknown " + name + " '" + col->CategoryAt(r) + "'");
      } else if (col->type() == data::ColumnType::kNumeric && c.contains("range")) {
        const double v = col->numeric()[r];
        const double lo = c["range"][0].get<double>();
        const double hi = c["range"][1].get<double>();
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
  ASSIGN_OR_RETURN(models::Matrix x, Features(input, history, &out.report));
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
  ASSIGN_OR_RETURN(models::Matrix x, Features(input, history, &report));
  ASSIGN_OR_RETURN(models::Contributions c, model_->Contribute(x));
  out.rows = explain::TopContributions(c, groups_, top_k);
  out.warnings = RowWarnings(input);
  return out;
}

}  // namespace staycast::bundle
