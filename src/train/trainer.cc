// The training run: data → split → pipeline → candidates → calibration/intervals → bundle.
#include "src/train/trainer.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "src/bundle/predictor.h"
#include "src/core/env.h"
#include "src/core/hash.h"
#include "src/data/io.h"
#include "src/eval/evaluation.h"
#include "src/eval/metrics_inputs.h"
#include "src/eval/metrics_threshold.h"
#include "src/features/audit_internal.h"
#include "src/features/pipeline.h"
#include "src/models/calibration.h"
#include "src/models/conformal.h"
#include "src/train/bundle_output.h"
#include "src/train/candidates.h"
#include "src/train/search.h"

namespace staycast::train {
namespace {

StatusOr<std::string> Fingerprint(const std::string& location, const data::Table& table) {
  StatusOr<data::Location> loc = data::ParseLocation(location);
  if (loc.ok() && loc->kind == data::LocationKind::kCsv) {
    ASSIGN_OR_RETURN(std::string sha, Sha256File(loc->target));
    return "sha256:" + sha;
  }
  // SQL sources: hash the values as read.
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
  StatusOr<data::Table> loaded = data::ReadTable(run.data.source, read);
  if (!loaded.ok()) return loaded.status();
  data::Table table = std::move(*loaded);
  ASSIGN_OR_RETURN(std::string fingerprint, Fingerprint(run.data.source, table));
  ASSIGN_OR_RETURN(std::vector<double> y_all, features::internal::TargetValues(run, table));
  // Rows without a target are not trained or tested on, but stay in the table that history
  // features are computed from (they are real admissions), exactly as at prediction time.
  const data::Table full_table = table;
  std::vector<size_t> keep;
  for (size_t r = 0; r < y_all.size(); ++r) {
    if (std::isfinite(y_all[r])) keep.push_back(r);
  }
  if (keep.size() < y_all.size()) {
    result.notes.push_back(fmt::format("dropped {} of {} rows whose target '{}' is missing",
                                       y_all.size() - keep.size(), y_all.size(),
                                       run.target.column));
    table = table.Take(keep);
    y_all = Select(y_all, keep);
  }
  if (table.num_rows() == 0) {
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
  ASSIGN_OR_RETURN(eval::SplitIndices split, eval::MakeSplit(table, config.split));
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
  const data::Table train_table = table.Take(split.train);
  RETURN_IF_ERROR(pipeline.Fit(train_table));
  features::TransformReport report;
  ASSIGN_OR_RETURN(features::FeatureMatrix all_features, pipeline.Transform(full_table, &report));
  if (all_features.fields.empty()) {
    return FailedPreconditionError("the config produces no feature columns; add features");
  }
  const models::Matrix all = bundle::ToModelMatrix(all_features);
  // Split indices refer to the rows with a target; `keep` maps them back to the full table.
  const auto full_rows = [&](const std::vector<size_t>& rows) {
    std::vector<size_t> out;
    out.reserve(rows.size());
    for (size_t r : rows) out.push_back(keep[r]);
    return out;
  };
  SplitData data;
  const auto part = [&](const std::vector<size_t>& rows) {
    return Part{models::SelectRows(all, full_rows(rows)), Select(y_all, rows)};
  };
  data.train = part(split.train);
  data.valid = part(split.valid);
  data.calibration = part(split.calibration);
  data.test = part(split.test);
  progress(fmt::format("split ({}): {} train, {} valid, {} calibration, {} test rows; {} features",
                       eval::SplitKindName(config.split.kind), split.train.size(),
                       split.valid.size(), split.calibration.size(), split.test.size(), all.cols));

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
  std::vector<int> cv_folds;
  if (config.search.enabled) {
    ASSIGN_OR_RETURN(cv_folds, CrossValidationFolds(train_table, config.split.group_column,
                                                    config.search.folds, config.seed));
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

  BundleContents contents;
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
  contents.train_table = &train_table;
  contents.train_features = &all_features;
  const std::vector<size_t> train_full_rows = full_rows(split.train);
  const std::vector<size_t> test_full_rows = full_rows(split.test);
  contents.train_rows = &train_full_rows;
  ASSIGN_OR_RETURN(contents.train_predictions, chosen.model->Predict(data.train.x));
  contents.table = &full_table;
  contents.test_rows = &test_full_rows;
  contents.test_actual = data.test.y;
  contents.test_predictions = final_test;
  contents.test_lower = lower;
  contents.test_upper = upper;
  contents.result = &result;
  RETURN_IF_ERROR(WriteTrainedBundle(contents));
  result.bundle_dir = out_dir;
  return result;
}

}  // namespace staycast::train
