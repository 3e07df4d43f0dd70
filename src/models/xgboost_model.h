// XGBoost-backed models over the C API: `gradient_boosting` (hist, early stopping, several
// objectives) and `random_forest` (XGBoost's random-forest mode: parallel trees, one round).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "src/core/status.h"
#include "src/models/model.h"

namespace staycast::models {

// Builds "gradient_boosting" or "random_forest" from validated params (see docs/models.md).
StatusOr<std::unique_ptr<Model>> CreateXgboostModel(const std::string& type,
                                                    const nlohmann::json& params, Task task);

}  // namespace staycast::models
