// `models promote --on DATA`: measures the candidate version, the alias's current holder and a
// no-skill baseline on the same recent labelled rows, through each bundle's Predictor, so the
// promotion gate compares like with like.
#pragma once

#include <optional>
#include <string>

#include "src/core/status.h"
#include "src/registry/registry.h"

namespace staycast::cli {

struct OnDataMeasurement {
  std::string metric;
  double candidate = 0;
  std::optional<double> current;  // unset when the alias points nowhere yet
  // The best constant prediction on DATA's own labels (median, mean or prevalence by metric).
  double baseline = 0;
  size_t rows = 0;     // labelled rows scored
  size_t dropped = 0;  // rows without a label
  std::string source;  // "DATA (N labelled rows)", recorded in the alias history
};

// Scores `data` (CSV or SQL location; `history` optional, for history features) with version
// `version` of `name` and with the version `alias` points at, and computes the candidate's
// registered primary metric for both. Fails with the version named when a bundle cannot score
// DATA (e.g. the label column is absent).
StatusOr<OnDataMeasurement> MeasureOnData(registry::Registry& registry, const std::string& name,
                                          int version, const std::string& alias,
                                          const std::string& data, const std::string& history);

}  // namespace staycast::cli
