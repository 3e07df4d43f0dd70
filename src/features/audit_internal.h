// Internal helpers of the audit: the target as numbers, the grouped temporal split, association
// measures, and a small ridge least-squares baseline over Eigen.
#pragma once

#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/features/audit.h"
#include "src/features/config.h"
#include "src/features/feature_matrix.h"
#include "src/features/pipeline.h"

namespace staycast::features::internal {

// Public in config.h; kept here under its old name for the audit's code.
using features::TargetValues;

// Train: rows before the cutoff of entities first seen before it; test: every row of entities
// first seen at or after it. No entity is on both sides; train is entirely earlier.
struct AuditSplit {
  Timestamp cutoff = kMissingTime;
  std::vector<size_t> train;
  std::vector<size_t> test;
  size_t entities = 0;
  size_t entities_both_sides = 0;  // under a plain temporal split
};
AuditSplit SplitByTime(const RunConfig& config, const data::Table& table, double test_fraction);

// |Pearson r| (regression) or ROC-AUC folded to >= 0.5 (classification), over rows with a target.
double Strength(Task task, const std::vector<double>& x, const std::vector<double>& y,
                const std::vector<size_t>& rows);
double RocAuc(const std::vector<double>& score, const std::vector<double>& label);
double MeanAbsoluteError(const std::vector<double>& pred, const std::vector<double>& y);

// Ridge regression with standardised columns; predictions for `rows`.
struct Ridge {
  std::vector<double> mean, scale, coef;
  double intercept = 0;
};
Ridge FitRidge(const FeatureMatrix& x, const std::vector<size_t>& rows,
               const std::vector<double>& y, double lambda);
std::vector<double> PredictRidge(const Ridge& model, const FeatureMatrix& x,
                                 const std::vector<size_t>& rows);

// The history proofs (and naive comparisons when asked) of audit_history.cc.
Status AuditHistory(const RunConfig& config, const data::Table& table,
                    const FeaturePipeline& pipeline, const FeatureMatrix& features,
                    const std::vector<double>& target, const AuditSplit& split,
                    const AuditOptions& options, AuditReport* report);

}  // namespace staycast::features::internal
