// FeaturePipeline: the fitted feature state of a run. Fit on training rows; Transform a table or
// TransformRow one record with its entity's history, with identical results; save and load as
// versioned JSON. The output schema is part of the state, so feature columns are tracked by
// construction. Const methods are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/env.h"
#include "src/core/parallel.h"
#include "src/core/status.h"
#include "src/data/table.h"
#include "src/features/config.h"
#include "src/features/feature_matrix.h"
#include "src/features/transforms.h"

namespace staycast::features {

inline constexpr int kPipelineFormatVersion = 1;

class FeaturePipeline {
 public:
  // Builds the transforms of a validated config; nothing is fitted yet.
  static StatusOr<FeaturePipeline> Create(RunConfig config);

  // Learns every transform's state from `train` only. Every column a feature reads must be present.
  Status Fit(const data::Table& train);
  // Fit(train) then Transform(train) in one pass: the matrix the fit computes on the way is
  // returned instead of being computed again (identical values; tested).
  StatusOr<FeatureMatrix> FitTransform(const data::Table& train, TransformReport* report = nullptr);
  bool fitted() const { return fitted_; }

  // The feature matrix of `table`. Declared columns absent from `table` are imputed as missing and
  // listed in the report; unknown categories go to the unknown bucket and are counted.
  StatusOr<FeatureMatrix> Transform(const data::Table& table,
                                    TransformReport* report = nullptr) const;
  // Transform's columns without their fields (`fields` is empty; they are schema()): for callers
  // that score many small tables, where copying the fields costs more than the values.
  StatusOr<FeatureMatrix> TransformValues(const data::Table& table,
                                          TransformReport* report = nullptr) const;
  // The features of one record (a one-row table) given its entity's other rows (`history`, any
  // order, may include rows after the record's prediction time: they are not used). Equal to the
  // record's row of Transform over the record and its history together.
  StatusOr<std::vector<double>> TransformRow(const data::Table& record, const data::Table& history,
                                             TransformReport* report = nullptr) const;

  // Threads Transform and TransformValues use on large tables (>= kParallelRows rows):
  // transforms that do not read each other's outputs run at the same time. 1 by default; not
  // to be changed while another thread transforms. Fitting and TransformRow stay on one thread.
  void SetThreads(int threads) { threads_ = threads < 1 ? 1 : threads; }
  static constexpr size_t kParallelRows = kMinParallelRows;

  const std::vector<OutputField>& schema() const { return schema_; }
  const RunConfig& config() const { return *config_; }

  std::string ToJson() const;
  static StatusOr<FeaturePipeline> FromJson(std::string_view text, const std::string& origin);
  Status Save(Env* env, const std::string& path) const;
  static StatusOr<FeaturePipeline> Load(Env* env, const std::string& path);

 private:
  FeaturePipeline() = default;

  std::unique_ptr<RunConfig> config_;
  std::vector<std::string> used_;                              // UsedColumns(*config_), sorted
  std::vector<std::unique_ptr<FeatureTransform>> transforms_;  // by feature index
  // The feature indices in groups that only read features of earlier groups (transforms of one
  // group may run at the same time); computed once from the config.
  std::vector<std::vector<size_t>> waves_;
  std::vector<OutputField> schema_;
  // Once fitted: every transform's Outputs() (by feature index), so Transform does not rebuild
  // them per call (they cost more than the values for a one-row serving request).
  std::vector<std::vector<OutputField>> outputs_;
  bool fitted_ = false;
  int threads_ = 1;

  void CacheOutputs();
  StatusOr<FeatureMatrix> TransformImpl(const data::Table& table, bool with_fields,
                                        TransformReport* report) const;
};

// The columns a config's features read (plus the entity and event columns when there is history).
std::vector<std::string> UsedColumns(const RunConfig& config);

}  // namespace staycast::features
