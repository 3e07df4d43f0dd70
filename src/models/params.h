// ParamReader: reads a model's JSON hyperparameters with defaults, type and range checks, and
// rejects unknown keys, so every error names the parameter and what was expected.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::models {

// Usage: construct over the params object, call Double/Int/String/Bool for every known key, then
// Finish(). The first error wins; Finish() returns it (or an unknown-key error). The reader also
// collects the resolved values (defaults included) into resolved().
class ParamReader {
 public:
  ParamReader(std::string model_type, const nlohmann::json& params);

  // A number in [min, max] (bounds inclusive unless the *_open flag is set).
  double Double(const std::string& key, double default_value, double min, double max,
                bool min_open = false);
  // An integer in [min, max].
  int Int(const std::string& key, int default_value, int min, int max);
  // One of `allowed` (if non-empty).
  std::string String(const std::string& key, const std::string& default_value,
                     const std::vector<std::string>& allowed = {});
  bool Bool(const std::string& key, bool default_value);
  // A string that may be absent (no default); empty if absent.
  std::string OptionalString(const std::string& key);

  Status Finish();
  const nlohmann::json& resolved() const { return resolved_; }

 private:
  const nlohmann::json* Find(const std::string& key);
  void Fail(const std::string& key, const std::string& expected, const nlohmann::json& got);

  std::string model_type_;
  nlohmann::json params_;
  nlohmann::json resolved_ = nlohmann::json::object();
  std::vector<std::string> known_;
  Status status_;
};

}  // namespace staycast::models
