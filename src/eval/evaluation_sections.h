// Internal to the full evaluation: the task-specific sections (regression bands, scatter and
// residuals; classification curves, calibration, decision curve, confusion) and the baselines.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/eval/full_evaluation.h"

namespace staycast::eval::internal {

// A seeded sample of at most `n` row indices (all rows when there are fewer), sorted.
std::vector<size_t> SampleRows(size_t rows, size_t n, uint64_t seed);

nlohmann::json Number(double v);

StatusOr<nlohmann::json> RegressionSection(const EvaluationInput& in,
                                           const FullEvaluationOptions& options);
StatusOr<nlohmann::json> ClassificationSection(const EvaluationInput& in,
                                               const FullEvaluationOptions& options);
// Baselines beside the model, each {name, description, metrics}.
StatusOr<nlohmann::json> Baselines(const EvaluationInput& in);

}  // namespace staycast::eval::internal
