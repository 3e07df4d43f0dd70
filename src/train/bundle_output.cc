// The trained bundle's files and manifest metadata.
#include "src/train/bundle_output.h"

#include "src/bundle/bundle_files.h"
#include "src/bundle/layout.h"
#include "src/bundle/profile.h"
#include "src/data/io.h"

namespace staycast::train {
namespace {

features::FeatureMatrix SelectFeatureRows(const features::FeatureMatrix& f,
                                          const std::vector<size_t>& rows) {
  features::FeatureMatrix out;
  out.fields = f.fields;
  out.num_rows = rows.size();
  out.columns.resize(f.columns.size());
  for (size_t j = 0; j < f.columns.size(); ++j) {
    out.columns[j].reserve(rows.size());
    for (size_t r : rows) out.columns[j].push_back(f.columns[j][r]);
  }
  return out;
}

// The test rows' ids with their predictions, as the Predictor would write them.
StatusOr<data::Table> TestPredictions(const BundleContents& c) {
  data::Table out;
  const std::string id = c.run->IdColumn();
  if (!id.empty()) {
    const data::Column* ids = c.table->FindColumn(id);
    if (ids != nullptr) {
      data::Column col(id, ids->type());
      col.AppendRowsFrom(*ids, *c.test_rows);
      RETURN_IF_ERROR(out.AddColumn(std::move(col)));
    }
  }
  const auto add = [&](const std::string& name, const std::vector<double>& v) -> Status {
    if (v.empty()) return OkStatus();
    data::Column col(name, data::ColumnType::kNumeric);
    for (double x : v) col.AppendNumeric(x);
    return out.AddColumn(std::move(col));
  };
  RETURN_IF_ERROR(add("actual", c.test_actual));
  if (c.model->task() == models::Task::kClassification) {
    RETURN_IF_ERROR(add("probability", c.test_predictions));
    std::vector<double> decision;
    for (double p : c.test_predictions) decision.push_back(p >= c.threshold ? 1 : 0);
    RETURN_IF_ERROR(add("decision", decision));
  } else {
    RETURN_IF_ERROR(add("prediction", c.test_predictions));
    RETURN_IF_ERROR(add("lower", c.test_lower));
    RETURN_IF_ERROR(add("upper", c.test_upper));
  }
  return out;
}

nlohmann::json ModelsJson(const TrainResult& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const ModelResult& m : r.models) {
    out.push_back({{"name", m.name},
                   {"type", m.type},
                   {"baseline", m.baseline},
                   {"valid", m.valid},
                   {"test", m.test},
                   {"fit_seconds", m.fit_seconds},
                   {"params", m.params},
                   {"describe", m.describe}});
    if (!m.search.is_null()) out.back()["search"] = m.search;
  }
  return out;
}

}  // namespace

Status WriteTrainedBundle(const BundleContents& c) {
  const TrainResult& r = *c.result;
  ASSIGN_OR_RETURN(std::unique_ptr<bundle::BundleWriter> w,
                   bundle::BundleWriter::Create(c.out_dir, c.overwrite));
  RETURN_IF_ERROR(w->AddFile(bundle::kConfigFile, c.run->source_text));
  RETURN_IF_ERROR(w->AddFile(bundle::kPipelineFile, c.pipeline->ToJson()));
  RETURN_IF_ERROR(w->AddJson(bundle::kModelConfigFile, c.model->SaveConfig()));
  ASSIGN_OR_RETURN(std::string state, c.model->SaveState());
  RETURN_IF_ERROR(w->AddFile(bundle::kModelStateFile, state));
  if (!c.calibration.is_null())
    RETURN_IF_ERROR(w->AddJson(bundle::kCalibrationFile, c.calibration));
  if (!c.intervals.is_null()) RETURN_IF_ERROR(w->AddJson(bundle::kIntervalsFile, c.intervals));
  RETURN_IF_ERROR(
      w->AddJson(bundle::kSchemaFile, c.input_schema.is_null()
                                          ? bundle::BuildInputSchema(*c.run, *c.train_table)
                                          : c.input_schema));
  nlohmann::json profile;
  if (c.reference_profile.is_null()) {
    profile = bundle::BuildReferenceProfile(SelectFeatureRows(*c.train_features, *c.train_rows),
                                            c.train_predictions);
  } else {
    profile = c.reference_profile;
    profile["predictions"] = bundle::ProfileValues(c.train_predictions);
  }
  RETURN_IF_ERROR(w->AddJson(bundle::kProfileFile, profile));
  // The best baseline on test (by the primary metric) for the registry's promotion gate.
  nlohmann::json best_baseline;
  for (const ModelResult& m : r.models) {
    if (!m.baseline || !m.test.contains(r.config.primary_metric) ||
        !m.test[r.config.primary_metric].is_number()) {
      continue;
    }
    const double v = m.test[r.config.primary_metric].get<double>();
    if (best_baseline.is_null() ||
        (r.config.greater_is_better ? v > best_baseline[r.config.primary_metric].get<double>()
                                    : v < best_baseline[r.config.primary_metric].get<double>())) {
      best_baseline = m.test;
      best_baseline["name"] = m.name;
    }
  }
  const nlohmann::json metrics = {{"models", ModelsJson(r)},
                                  {"chosen", r.chosen},
                                  {"test", r.final_test},
                                  {"split", r.split_summary}};
  RETURN_IF_ERROR(w->AddJson(bundle::kMetricsFile, metrics));
  if (!c.evaluation.is_null()) {
    nlohmann::json evaluation = c.evaluation;
    evaluation["comparison"] = {{"models", metrics["models"]}, {"chosen", r.chosen}};
    RETURN_IF_ERROR(w->AddJson(bundle::kEvaluationFile, evaluation));
  }
  ASSIGN_OR_RETURN(data::Table preds, TestPredictions(c));
  RETURN_IF_ERROR(w->AddFileFrom(bundle::kTestPredictionsFile, [&](const std::string& path) {
    return data::WriteTable(preds, path);
  }));
  std::string log;
  for (const std::string& line : r.log) log += line + "\n";
  for (const std::string& note : r.notes) log += "note: " + note + "\n";
  RETURN_IF_ERROR(w->AddFile(bundle::kRunLogFile, log));

  const nlohmann::json metadata = {
      {"task", models::TaskName(c.model->task())},
      {"target", c.run->target.column},
      {"model_type", c.model->type()},
      {"chosen", r.chosen},
      {"primary_metric",
       {{"name", r.config.primary_metric}, {"greater_is_better", r.config.greater_is_better}}},
      {"metrics", {{"test", r.final_test}}},
      {"baseline_metrics", {{"test", best_baseline}}},
      {"threshold", c.threshold},
      {"data_fingerprint", c.fingerprint},
      {"data_source", c.run->data.source},
      {"seed", r.config.seed},
      {"split", r.split_summary},
      {"rows", c.table->num_rows()},
      {"config_file", c.run->origin},
      {"notes", r.notes}};
  RETURN_IF_ERROR(w->Finish(metadata));
  if (c.tar) RETURN_IF_ERROR(bundle::PackBundle(c.out_dir, c.out_dir + ".tar"));
  return OkStatus();
}

}  // namespace staycast::train
