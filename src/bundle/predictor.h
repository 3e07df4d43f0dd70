// Predictor: the ONE scoring path. Loads a verified bundle (fitted pipeline, model, calibrator or
// conformal intervals, input schema) and scores tables: batch `predict`, `evaluate` and the HTTP
// server all call it, so a row gets the same answer everywhere. Thread-safe for concurrent Predict
// calls once loaded.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/io.h"
#include "src/data/table.h"
#include "src/explain/groups.h"
#include "src/features/pipeline.h"
#include "src/models/calibration.h"
#include "src/models/conformal.h"
#include "src/models/model.h"

namespace staycast::bundle {

struct Predictions {
  // Regression: the predicted value (days) and its interval. Classification: the calibrated
  // probability, and the decision (1/0) at the bundle's threshold.
  std::vector<double> value;
  std::vector<double> lower, upper;
  std::vector<int> decision;
  // Per row: what the Predictor had to assume ("age missing: imputed", "unknown department 'X'",
  // "age 130 outside training range [18, 101]"). Never contains other patients' data.
  std::vector<std::vector<std::string>> warnings;
  // Table-level repairs (absent columns, unknown-category counts).
  features::TransformReport report;
  // The feature matrix the model saw (rows x features), e.g. for the serving prediction log; its
  // feature_names are empty (they are the pipeline's schema()).
  models::Matrix features;
};

// Per-row explanations of the raw score (the prediction for regression; the log-odds before
// calibration for classification), grouped by original input column.
struct Explanations {
  bool log_odds = false;
  std::vector<std::string> groups;                 // every group, in feature order
  std::vector<explain::RowExplanation> rows;       // one per input row
  std::vector<std::vector<std::string>> warnings;  // per row, as in Predictions
};

class Predictor {
 public:
  // Opens and verifies a bundle directory or .tar.
  static StatusOr<std::unique_ptr<Predictor>> Load(const std::string& path);

  models::Task task() const { return task_; }
  // Reading options that give input tables the types the model was trained on.
  data::ReadOptions read_options() const { return pipeline_->config().MakeReadOptions(); }
  const features::RunConfig& config() const { return pipeline_->config(); }
  const nlohmann::json& metadata() const { return metadata_; }
  const nlohmann::json& input_schema() const { return schema_; }
  double threshold() const { return threshold_; }
  double coverage() const;
  const models::Model& model() const { return *model_; }
  const features::FeaturePipeline& pipeline() const { return *pipeline_; }

  // Threads the feature transforms, the model and the interval scale model use on large tables;
  // 1 after Load. Not to be called while another thread is predicting.
  void SetThreads(int threads);

  // Scores every row of `input`. History features for a row use the other rows of `input` (and of
  // `history`, when given) of the same patient known strictly before the row's prediction time.
  StatusOr<Predictions> Predict(const data::Table& input,
                                const data::Table* history = nullptr) const;

  // The top_k contributions (0 = all) per row, grouped by original column. FailedPrecondition for
  // model types without contributions (svr, baselines).
  StatusOr<Explanations> Explain(const data::Table& input, const data::Table* history,
                                 size_t top_k) const;
  // The model features grouped by original input column (for importance tables).
  const explain::FeatureGroups& feature_groups() const { return groups_; }

  // The feature matrix the model sees for `input` (same history rule), as rows x features, with
  // the feature names.
  StatusOr<models::Matrix> Features(const data::Table& input, const data::Table* history,
                                    features::TransformReport* report) const;

 private:
  Predictor() = default;
  // Features without the names (pipeline().schema() has them; Load checked that they are the
  // model's): Predict and Explain score many one-row requests, where the names cost more than
  // the values.
  StatusOr<models::Matrix> FeatureValues(const data::Table& input, const data::Table* history,
                                         features::TransformReport* report, bool with_names) const;
  std::vector<std::vector<std::string>> RowWarnings(const data::Table& input) const;
  // The input schema's checks per required feature column, parsed once at Load.
  struct ColumnCheck {
    std::string name;
    std::optional<std::pair<double, double>> range;                // numeric training range
    std::optional<std::set<std::string, std::less<>>> categories;  // allowed categories
  };
  std::vector<ColumnCheck> checks_;

  models::Task task_ = models::Task::kRegression;
  std::optional<features::FeaturePipeline> pipeline_;
  std::unique_ptr<models::Model> model_;
  std::optional<models::Calibrator> calibrator_;
  std::optional<models::ConformalIntervals> intervals_;
  nlohmann::json metadata_;
  nlohmann::json schema_;
  explain::FeatureGroups groups_;
  double threshold_ = 0.5;
  int threads_ = 1;
};

// Converts the pipeline's column-major doubles into the models' row-major float matrix (all rows,
// or `rows` in that order), with the feature names when `features.fields` has them. Large
// matrices are converted on `threads` threads.
models::Matrix ToModelMatrix(const features::FeatureMatrix& features,
                             const std::vector<size_t>* rows = nullptr, int threads = 1);

}  // namespace staycast::bundle
