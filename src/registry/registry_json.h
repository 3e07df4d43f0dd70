// JSON forms of registry records, shared by `staycast runs|models --json` and the HTTP server.
#pragma once

#include <nlohmann/json.hpp>

#include "src/registry/registry.h"

namespace staycast::registry {

// Timestamps are "YYYY-MM-DD HH:MM:SS" UTC strings; missing optional values are null.
nlohmann::json ToJson(const Run& run);
nlohmann::json ToJson(const RegisteredModel& model);
nlohmann::json ToJson(const ModelVersion& version);
nlohmann::json ToJson(const AliasMove& move);

}  // namespace staycast::registry
