// Internal: parsing and validating the `features:` section of the run config (kinds, inputs,
// availability, feature references and their evaluation order).
#pragma once

#include <yaml-cpp/yaml.h>

#include "src/core/status.h"
#include "src/features/config.h"
#include "src/features/config_yaml.h"

namespace staycast::features::internal {

// Parses `node` (a list of feature maps, may be absent) into config->features and fills
// config->evaluation_order. Columns, events and the target must already be parsed.
Status ParseFeatures(const YamlContext& ctx, const YAML::Node& node, RunConfig* config);

// Reads the keys of spec->kind (impute, edges, op, ...) from the feature map `n` at `path`.
Status ParseKindParams(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                       FeatureSpec* spec);

// Whether a feature has exactly one output that other features may read.
bool IsScalarFeature(const FeatureSpec& spec);

}  // namespace staycast::features::internal
