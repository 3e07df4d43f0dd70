// Feature transforms: one per feature kind, each fitted on training rows only, with its learned
// state saved and loaded as JSON. A transform reads declared columns and earlier features'
// outputs and writes its own output columns; all of them work row by row except history, which
// reads the entity's other rows through HistoryContext.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/features/config.h"
#include "src/features/feature_matrix.h"

namespace staycast::features {

// Per-row times and entities shared by all history features of one transform call.
struct HistoryContext {
  std::vector<int32_t> entity;                 // -1: missing
  std::vector<Timestamp> prediction;           // the prediction event's time
  std::vector<std::vector<Timestamp>> events;  // by event index (config.events order)
};

// The inputs of one transform call.
struct TransformInput {
  const RunConfig* config = nullptr;
  size_t num_rows = 0;
  // By config column index; never null (absent columns are all-missing placeholders).
  std::vector<const data::Column*> columns;
  // By feature index: the first output of features already computed (null otherwise).
  std::vector<const std::vector<double>*> features;
  const HistoryContext* history = nullptr;

  const data::Column& Column(const std::string& name) const;
  // A numeric input (column or feature) as a vector of doubles; non-finite means missing.
  const std::vector<double>& Numeric(const InputRef& ref) const;
};

class FeatureTransform {
 public:
  explicit FeatureTransform(const FeatureSpec& spec) : spec_(spec) {}
  virtual ~FeatureTransform() = default;
  FeatureTransform(const FeatureTransform&) = delete;
  FeatureTransform& operator=(const FeatureTransform&) = delete;

  const FeatureSpec& spec() const { return spec_; }
  // Learns state from training rows. Stateless transforms do nothing.
  virtual Status Fit(const TransformInput& in) { return OkStatus(); }
  // The output columns (valid after Fit or LoadState).
  virtual std::vector<OutputField> Outputs() const = 0;
  // Writes every output column for every row: (*out)[k] has in.num_rows values.
  virtual void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
                     TransformReport* report) const = 0;
  virtual nlohmann::json SaveState() const { return nlohmann::json::object(); }
  virtual Status LoadState(const nlohmann::json& state) { return OkStatus(); }

 protected:
  // "kind(input, ...)".
  std::string Origin() const;
  OutputField Field(std::string name, OutputType type) const;

 private:
  FeatureSpec spec_;
};

StatusOr<std::unique_ptr<FeatureTransform>> MakeTransform(const FeatureSpec& spec,
                                                          const RunConfig& config);

// Factories by family (transforms_basic.cc, transforms_codes.cc, transforms_history.cc).
std::unique_ptr<FeatureTransform> MakeNumericTransform(const FeatureSpec& spec);
std::unique_ptr<FeatureTransform> MakeOneHotTransform(const FeatureSpec& spec);
std::unique_ptr<FeatureTransform> MakeOrdinalTransform(const FeatureSpec& spec);
std::unique_ptr<FeatureTransform> MakeBinTransform(const FeatureSpec& spec);
std::unique_ptr<FeatureTransform> MakeDateTimeTransform(const FeatureSpec& spec);
StatusOr<std::unique_ptr<FeatureTransform>> MakeFlagTransform(const FeatureSpec& spec,
                                                              const RunConfig& config);
std::unique_ptr<FeatureTransform> MakeSumCountTransform(const FeatureSpec& spec);
StatusOr<std::unique_ptr<FeatureTransform>> MakeCodesTransform(const FeatureSpec& spec);
std::unique_ptr<FeatureTransform> MakeHistoryTransform(const FeatureSpec& spec,
                                                       const RunConfig& config);

}  // namespace staycast::features
