// The full evaluation behind `staycast evaluate` and the evaluation `train` stores in the bundle:
// headline metrics with patient-bootstrap CIs, baselines beside, regression bands and plots' data,
// classification curves, calibration, decision curve and the classification report, subgroups, and
// explanations. The result is one JSON document (evaluation.json) that the HTML report renders.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/explain/groups.h"
#include "src/features/config.h"
#include "src/models/matrix.h"
#include "src/models/model.h"

namespace staycast::eval {

inline constexpr const char* kEvaluationFormat = "staycast-evaluation";
inline constexpr int kEvaluationVersion = 1;

struct FullEvaluationOptions {
  int bootstrap_replicates = 1000;
  // Subgroup intervals use at most this many replicates (each column costs a full bootstrap).
  int subgroup_replicates = 200;
  uint64_t seed = 2026;
  int threads = 2;
  std::vector<std::string> subgroup_columns;
  // Rows kept for scatter plots and the SHAP summary (seeded sample).
  size_t plot_points = 2000;
  // Rows used for permutation importance and SHAP (seeded sample); 0 skips explanations.
  size_t explain_rows = 2000;
  int permutation_repeats = 3;
  double interval_coverage = 0;  // nominal coverage of the intervals, for the report
};

// Everything evaluated: `table` holds the evaluated rows (in the order of actual/predicted), `x`
// the model's feature matrix for them. Pointers are non-owning and must be set (model, x and
// groups may be null to skip explanations).
struct EvaluationInput {
  models::Task task = models::Task::kRegression;
  const features::RunConfig* run = nullptr;
  const data::Table* table = nullptr;
  std::vector<double> actual;
  std::vector<double> predicted;  // the value, or the calibrated probability
  std::vector<double> lower, upper;
  double threshold = 0.5;
  const models::Model* model = nullptr;
  const models::Matrix* x = nullptr;
  const explain::FeatureGroups* groups = nullptr;
  // Precomputed parts copied into the result as they are (null to leave out).
  nlohmann::json coefficients;  // linear coefficient table (needs the training data)
  nlohmann::json comparison;    // the training run's comparison table (metrics.json models)
  nlohmann::json data_notes;    // schema/label findings of the caller (array of strings)
  nlohmann::json card;          // model-card facts of the caller (object)
};

StatusOr<nlohmann::json> EvaluateFull(const EvaluationInput& input,
                                      const FullEvaluationOptions& options);

// A coefficient table (explain::CoefficientTable) as JSON rows, for EvaluationInput::coefficients.
nlohmann::json CoefficientTableJson(const models::Model& model, const models::Matrix& x_train,
                                    const std::vector<double>& y_train,
                                    const std::vector<double>* weights);

}  // namespace staycast::eval
