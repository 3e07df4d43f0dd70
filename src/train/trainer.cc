// The training run: data → split → pipeline → candidates → calibration/intervals → bundle.
#include "src/train/trainer.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <future>
#include <optional>

#include "src/bundle/predictor.h"
#include "src/bundle/profile.h"
#include "src/core/env.h"
#include "src/core/hash.h"
#include "src/data/io.h"
#include "src/eval/evaluation.h"
#include "src/eval/full_evaluation.h"
#include "src/eval/metrics_inputs.h"
#include "src/eval/metrics_threshold.h"
#include "src/features/pipeline.h"
#include "src/models/calibration.h"
#include "src/models/conformal.h"
#include "src/train/bundle_output.h"
#include "src/train/candidates.h"
#include "src/train/search.h"

namespace staycast::train {
namespace {

// The CSV file behind `location`, if it is one.
std::optional<std::string> CsvPath(const std::string& location) {
  StatusOr<data::Location> loc = data::ParseLocation(location);
  if (loc.ok() && loc->kind == data::LocationKind::kCsv) return loc->target;
  return std::nullopt;
}

// SQL sources: a hash of the values as read.
std::string TableFingerprint(const data::Table& table) {
  Sha256 h;
  for (const data::Column& c : table.columns()) {
    h.Update(c.name());
    for (size_t r = 0; r < c.size(); ++r) {
      h.Update(c.ValueAsString(r));
      h.Update("\x1f");
    }
  }
  return "sha256:" + h.Hex();
}

// The reference profile of the training rows' features (the bundle adds the predictions'), one
// column at a time.
nlohmann::json TrainFeatureProfile(const features::FeatureMatrix& f,
                                   const std::vector<size_t>& rows) {
  nlohmann::json feats = nlohmann::json::array();
  std::vector<double> values(rows.size());
  for (size_t j = 0; j < f.fields.size(); ++j) {
    for (size_t i = 0; i < rows.size(); ++i) values[i] = f.columns[j][rows[i]];
    nlohmann::json p = bundle::ProfileValues(values);
    p["name"] = f.fields[j].name;
    p["origin"] = f.fields[j].origin;
    feats.push_back(std::move(p));
  }
  return {{"rows", rows.size()}, {"features", std::move(feats)}};
}

std::vector<double> Select(const std::vector<double>& v, const std::vector<size_t>& rows) {
  return models::SelectElements(v, rows);
}

// Threshold on validation probabilities by the configured rule.
StatusOr<double> ChooseThreshold(const TrainConfig& config, const std::vector<double>& y,
                                 const std::vector<double>& p) {
  ASSIGN_OR_RETURN(eval::BinaryPredictions data, eval::BinaryPredictions::Create(y, p));
  StatusOr<eval::ThresholdChoice> choice =
      config.threshold_rule == "sensitivity"
          ? eval::ChooseThresholdForSensitivity(data, config.threshold_target)
      : config.threshold_rule == "net_benefit"
          ? eval::ChooseThresholdMaxNetBenefit(data, config.threshold_target)
          : eval::ChooseThresholdMaxF1(data);
  RETURN_IF_ERROR(choice.status());
  if (!std::isfinite(choice->threshold)) return 1.0;  // treating nobody is best
  return choice->threshold;
}

std::string DefaultOutDir(const std::string& config_path) {
  return "runs/" + std::filesystem::path(config_path).stem().string();
}

}  // namespace

StatusOr<TrainResult> Train(const TrainOptions& options) {
  Env* env = Env::Default();
  TrainResult result;
  // Progress lines go to the caller and into the bundle's run.log.
  TrainOptions opts = options;
  opts.progress = [&result, forward = options.progress](const std::string& line) {
    result.log.push_back(line);
    if (forward) forward(line);
  };
  const auto progress = [&](const std::string& line) { opts.progress(line); };
  ASSIGN_OR_RETURN(features::RunConfig run, features::LoadConfig(env, options.config_path));
  if (!options.data_override.empty()) run.data.source = options.data_override;
  ASSIGN_OR_RETURN(result.config, ParseTrainConfig(run));
  TrainConfig& config = result.config;
  const std::string out_dir =
      options.out_dir.empty() ? DefaultOutDir(options.config_path) : options.out_dir;
  if (env->FileExists(out_dir) && !options.overwrite) {
    return AlreadyExistsError(out_dir +
                              ": already exists; choose another --out or pass --overwrite");
  }

  // Data.
  data::ReadOptions read = run.MakeReadOptions();
  read.query = run.data.query;
  progress("reading " + run.data.source);
  // A CSV file is hashed on another thread while it is parsed (the read is CPU-bound; hashing
  // streams the file in 1 MiB blocks, so it costs no memory).
  const std::optional<std::string> csv_path = CsvPath(run.data.source);
  std::future<StatusOr<std::string>> csv_hash;
  if (csv_path) {
    csv_hash = std::async(std::launch::async, [path = *csv_path] { return Sha256File(path); });
  }
  StatusOr<data::Table> loaded = data::ReadTable(run.data.source, read);
  StatusOr<std::string> file_sha = csv_path ? csv_hash.get() : StatusOr<std::string>("");
  if (!loaded.ok()) return loaded.status();
  RETURN_IF_ERROR(file_sha.status());
  // Every row, with or without a target: history features are computed from all of them.
  const data::Table table = std::move(*loaded);
  const data::Table& full_table = table;
  const std::string fingerprint = csv_path ? "sha256:" + *file_sha : TableFingerprint(table);
  ASSIGN_OR_RETURN(std::vector<double> y_all, features::TargetValues(run, table));
  // Rows without a target are not trained or tested on, but stay in the table that history
  // features are computed from (they are real admissions), exactly as at prediction time.
  std::vector<size_t> keep;
  for (size_t r = 0; r < y_all.size(); ++r) {
    if (std::isfinite(y_all[r])) keep.push_back(r);
  }
  // The split reads only the time and entity columns of the rows with a target: without
  // missing targets that is the table itself, else a copy of just those columns.
  data::Table split_columns;
  const data::Table* split_source = &table;
  if (keep.size() < y_all.size()) {
    result.notes.push_back(fmt::format("dropped {} of {} rows whose target '{}' is missing",
                                       y_all.size() - keep.size(), y_all.size(),
                                       run.target.column));
    for (const std::string& name : {config.split.time_column, config.split.group_column}) {
      const data::Column* c = name.empty() ? nullptr : table.FindColumn(name);
      if (c != nullptr && split_columns.FindColumn(name) == nullptr) {
        RETURN_IF_ERROR(split_columns.AddColumn(*c));
      }
    }
    split_columns = split_columns.Take(keep);
    split_source = &split_columns;
    y_all = Select(y_all, keep);
  }
  if (keep.empty()) {
    return FailedPreconditionError(fmt::format(
        "target '{}' is missing in every row of {}; point `target` at a column with values",
        run.target.column, run.data.source));
  }
  {
    double lo = INFINITY, hi = -INFINITY;
    for (double v : y_all) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (lo == hi) {
      return FailedPreconditionError("target '" + run.target.column + "' is constant (" +
                                     fmt::format("{}", lo) + "); there is nothing to learn");
    }
  }

  // Split.
  ASSIGN_OR_RETURN(eval::SplitIndices split, eval::MakeSplit(*split_source, config.split));
  split_columns = data::Table();
  result.split_summary = {{"kind", eval::SplitKindName(config.split.kind)},
                          {"train", split.train.size()},
                          {"valid", split.valid.size()},
                          {"calibration", split.calibration.size()},
                          {"test", split.test.size()},
                          {"dropped_shared_patients", split.dropped_shared}};
  if (split.test_start != kMissingTime) {
    result.split_summary["test_from"] = FormatTimestamp(split.test_start);
  }
  if (split.dropped_shared > 0) {
    result.notes.push_back(fmt::format(
        "dropped {} earlier rows of patients who are in the test period, so that no patient is "
        "on both sides (split.allow_shared_patients: true keeps them)",
        split.dropped_shared));
  }
  if (config.task == models::Task::kClassification) {
    for (const auto& [part, rows] :
         {std::pair{"train", &split.train}, std::pair{"test", &split.test}}) {
      double positives = 0;
      for (size_t r : *rows) positives += y_all[r];
      if (positives == 0) {
        return FailedPreconditionError(std::string("the ") + part +
                                       " split has no positive cases; use more data or a "
                                       "longer period");
      }
    }
  }

  // Features: fitted on training rows only; history features for every row come from the whole
  // table, point in time (only facts known before the row's prediction time).
  ASSIGN_OR_RETURN(features::FeaturePipeline pipeline, features::FeaturePipeline::Create(run));
  // Split indices refer to the rows with a target; `keep` maps them back to the full table.
  const auto full_rows = [&](const std::vector<size_t>& rows) {
    std::vector<size_t> out;
    out.reserve(rows.size());
    for (size_t r : rows) out.push_back(keep[r]);
    return out;
  };
  const std::vector<size_t> train_full_rows = full_rows(split.train);
  const std::vector<size_t> test_full_rows = full_rows(split.test);
  // The training rows' table lives only as long as it is needed: fit, input schema, CV folds.
  std::vector<int> cv_folds;
  BundleContents contents;
  {
    const data::Table train_table = table.Take(train_full_rows);
    RETURN_IF_ERROR(pipeline.Fit(train_table));
    contents.input_schema = bundle::BuildInputSchema(run, train_table);
    if (config.search.enabled) {
      ASSIGN_OR_RETURN(cv_folds, CrossValidationFolds(train_table, config.split.group_column,
                                                      config.search.folds, config.seed));
    }
  }
  features::TransformReport report;
  SplitData data;
  size_t num_features = 0;
  {
    ASSIGN_OR_RETURN(features::FeatureMatrix all_features, pipeline.Transform(full_table, &report));
    if (all_features.fields.empty()) {
      return FailedPreconditionError("the config produces no feature columns; add features");
    }
    num_features = all_features.fields.size();
    // Each part's matrix straight from the feature columns; the feature columns themselves are
    // released at the end of this block (only the training rows' profile is kept).
    const auto part = [&](const std::vector<size_t>& rows) {
      const std::vector<size_t> selected = full_rows(rows);
      return Part{bundle::ToModelMatrix(all_features, &selected), Select(y_all, rows)};
    };
    data.train = part(split.train);
    data.valid = part(split.valid);
    data.calibration = part(split.calibration);
    data.test = part(split.test);
    contents.reference_profile = TrainFeatureProfile(all_features, train_full_rows);
  }
  progress(fmt::format("split ({}): {} train, {} valid, {} calibration, {} test rows; {} features",
                       eval::SplitKindName(config.split.kind), split.train.size(),
                       split.valid.size(), split.calibration.size(), split.test.size(),
                       num_features));

  std::vector<double> weights;
  if (config.class_weight == "balanced") {
    double pos = 0;
    for (double v : data.train.y) pos += v;
    const double n = static_cast<double>(data.train.y.size());
    for (double v : data.train.y) weights.push_back(v > 0.5 ? n / (2 * pos) : n / (2 * (n - pos)));
  }

  // Candidates and baselines.
  std::vector<FittedModel> fitted;
  for (const CandidateSpec& spec : config.baselines) {
    ASSIGN_OR_RETURN(FittedModel f, FitCandidate(config, spec, true, data, nullptr, opts));
    fitted.push_back(std::move(f));
  }
  for (const CandidateSpec& candidate : config.candidates) {
    CandidateSpec spec = candidate;
    nlohmann::json search_record;
    const SearchSpace* space = nullptr;
    for (const SearchSpace& s : config.search.spaces) {
      if (s.candidate == spec.name) space = &s;
    }
    if (space != nullptr) {
      // The best parameters by cross-validation on the training rows, refitted on all of them.
      ASSIGN_OR_RETURN(SearchOutcome outcome,
                       SearchCandidate(config, spec, *space, data.train, cv_folds, data.valid,
                                       weights.empty() ? nullptr : &weights, opts.progress));
      spec.params = outcome.best_trial().params;
      search_record = outcome.ToJson(config.search, config.primary_metric);
    }
    ASSIGN_OR_RETURN(FittedModel f, FitCandidate(config, spec, false, data,
                                                 weights.empty() ? nullptr : &weights, opts));
    f.result.search = std::move(search_record);
    fitted.push_back(std::move(f));
  }
  ASSIGN_OR_RETURN(size_t best, ChooseBest(config, fitted));
  FittedModel& chosen = fitted[best];
  result.chosen = chosen.result.name;
  progress("chosen: " + result.chosen);

  contents.threshold = 0.5;
  std::vector<double> final_test = chosen.test_pred;
  std::vector<double> lower, upper;
  if (config.task == models::Task::kClassification) {
    if (config.calibration != "none" && data.calibration.x.rows > 0) {
      std::optional<models::Calibrator> calibrator;
      if (config.calibration == "auto") {
        models::ChooseCalibratorOptions cal_options;
        cal_options.seed = config.seed;
        StatusOr<models::CalibrationChoice> choice =
            models::ChooseCalibrator(chosen.calibration_pred, data.calibration.y, cal_options);
        if (!choice.ok()) return choice.status().WithContext("calibration");
        contents.calibration = choice->ToJson();
        calibrator = choice->calibrator;
        progress(
            fmt::format("calibration: {} chosen by cross-fitted Brier on {} rows (raw {:.4f}, "
                        "isotonic {:.4f}, Platt {:.4f})",
                        models::CalibrationMethodName(calibrator->method()), choice->rows,
                        choice->brier_uncalibrated, choice->brier_isotonic, choice->brier_platt));
      } else {
        StatusOr<models::Calibrator> forced =
            config.calibration == "isotonic"
                ? models::Calibrator::FitIsotonic(chosen.calibration_pred, data.calibration.y)
                : models::Calibrator::FitPlatt(chosen.calibration_pred, data.calibration.y);
        if (!forced.ok()) return forced.status().WithContext("calibration");
        calibrator = *forced;
        progress("calibration: " + config.calibration);
      }
      contents.calibration["calibrator"] = calibrator->ToJson();
      final_test = calibrator->Apply(chosen.test_pred);
      chosen.valid_pred = calibrator->Apply(chosen.valid_pred);
    }
    const std::vector<double>& yv = data.valid.x.rows > 0 ? data.valid.y : data.test.y;
    const std::vector<double>& pv = data.valid.x.rows > 0 ? chosen.valid_pred : final_test;
    ASSIGN_OR_RETURN(contents.threshold, ChooseThreshold(config, yv, pv));
    ASSIGN_OR_RETURN(result.final_test,
                     eval::ClassificationMetricsJson(data.test.y, final_test, contents.threshold));
  } else {
    if (data.calibration.x.rows > 0) {
      models::ConformalOptions iv;
      iv.coverage = config.interval_coverage;
      iv.scale_model = config.interval_scale_model;
      iv.lower_bound = config.interval_lower_bound;
      iv.threads = config.threads;
      iv.seed = config.seed;
      StatusOr<models::ConformalIntervals> intervals = models::ConformalIntervals::Fit(
          data.calibration.x, data.calibration.y, chosen.calibration_pred, iv);
      if (!intervals.ok()) return intervals.status().WithContext("prediction intervals");
      ASSIGN_OR_RETURN(models::Intervals test_iv,
                       intervals->Predict(data.test.x, chosen.test_pred));
      lower = test_iv.lower;
      upper = test_iv.upper;
      ASSIGN_OR_RETURN(contents.intervals, intervals->ToJson());
      progress(fmt::format("intervals: {:.0f}% split-conformal on {} calibration rows",
                           100 * config.interval_coverage, intervals->calibration_size()));
    }
    ASSIGN_OR_RETURN(
        result.final_test,
        eval::RegressionMetricsJson(data.test.y, final_test, lower.empty() ? nullptr : &lower,
                                    upper.empty() ? nullptr : &upper));
  }
  for (FittedModel& f : fitted) result.models.push_back(f.result);

  // The bundle.
  contents.out_dir = out_dir;
  contents.overwrite = options.overwrite;
  contents.tar = options.tar;
  contents.fingerprint = fingerprint;
  contents.run = &run;
  contents.pipeline = &pipeline;
  contents.model = chosen.model.get();
  contents.train_rows = &train_full_rows;
  ASSIGN_OR_RETURN(contents.train_predictions, chosen.model->Predict(data.train.x));
  contents.table = &full_table;
  contents.test_rows = &test_full_rows;
  contents.test_actual = data.test.y;
  contents.test_predictions = final_test;
  contents.test_lower = lower;
  contents.test_upper = upper;
  contents.result = &result;
  // The full evaluation of the test split, stored in the bundle (the same code as `evaluate`).
  const data::Table test_table = full_table.Take(test_full_rows);
  const explain::FeatureGroups groups = explain::GroupFeatures(run, pipeline.schema());
  eval::EvaluationInput ev;
  ev.task = config.task;
  ev.run = &run;
  ev.table = &test_table;
  ev.actual = data.test.y;
  ev.predicted = final_test;
  ev.lower = lower;
  ev.upper = upper;
  ev.threshold = contents.threshold;
  ev.model = chosen.model.get();
  ev.x = &data.test.x;
  ev.groups = &groups;
  ev.coefficients = eval::CoefficientTableJson(*chosen.model, data.train.x, data.train.y,
                                               weights.empty() ? nullptr : &weights);
  ev.card = {{"chosen", result.chosen},
             {"model_type", chosen.model->type()},
             {"split", result.split_summary},
             {"data_source", run.data.source},
             {"seed", config.seed},
             {"calibration", contents.calibration.contains("calibrator")
                                 ? contents.calibration["calibrator"].value("method", "")
                                 : config.calibration},
             {"class_weight", config.class_weight},
             {"threshold_rule", config.threshold_rule},
             {"interval_coverage", config.interval_coverage},
             {"notes", result.notes},
             {"evaluated_on", "the test split"}};
  eval::FullEvaluationOptions eo;
  eo.bootstrap_replicates = config.bootstrap_replicates;
  eo.seed = config.seed;
  eo.threads = config.threads;
  eo.subgroup_columns = config.subgroups;
  eo.explain_rows = 1000;
  eo.interval_coverage = config.task == models::Task::kRegression ? config.interval_coverage : 0;
  progress(fmt::format("evaluating the test split ({} bootstrap replicates by patient)",
                       eo.bootstrap_replicates));
  StatusOr<nlohmann::json> evaluation = eval::EvaluateFull(ev, eo);
  if (!evaluation.ok()) return evaluation.status().WithContext("test-split evaluation");
  contents.evaluation = std::move(*evaluation);
  RETURN_IF_ERROR(WriteTrainedBundle(contents));
  result.bundle_dir = out_dir;
  return result;
}

}  // namespace staycast::train
