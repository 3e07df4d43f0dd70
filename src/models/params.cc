// ParamReader implementation: typed reads, range checks, unknown-key detection with a suggestion.
#include "src/models/params.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "src/core/yaml.h"

namespace staycast::models {
namespace {

std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

ParamReader::ParamReader(std::string model_type, const nlohmann::json& params)
    : model_type_(std::move(model_type)), params_(params) {
  if (params_.is_null()) params_ = nlohmann::json::object();
  if (!params_.is_object()) {
    status_ = InvalidArgumentError(
        model_type_ + ": params must be a JSON object of name: value, got " + params_.dump());
  }
}

const nlohmann::json* ParamReader::Find(const std::string& key) {
  known_.push_back(key);
  if (!status_.ok()) return nullptr;
  auto it = params_.find(key);
  if (it == params_.end() || it->is_null()) return nullptr;
  return &*it;
}

void ParamReader::Fail(const std::string& key, const std::string& expected,
                       const nlohmann::json& got) {
  if (!status_.ok()) return;
  status_ = InvalidArgumentError(model_type_ + ": parameter '" + key + "' must be " + expected +
                                 ", got " + got.dump());
}

double ParamReader::Double(const std::string& key, double default_value, double min, double max,
                           bool min_open) {
  double value = default_value;
  if (const nlohmann::json* v = Find(key)) {
    if (!v->is_number()) {
      Fail(key, "a number", *v);
    } else {
      value = v->get<double>();
      const bool below = min_open ? !(value > min) : !(value >= min);
      if (below || !(value <= max) || !std::isfinite(value)) {
        Fail(key,
             std::string("a number in ") + (min_open ? "(" : "[") + FormatNumber(min) + ", " +
                 FormatNumber(max) + "]",
             *v);
        value = default_value;
      }
    }
  }
  resolved_[key] = value;
  return value;
}

int ParamReader::Int(const std::string& key, int default_value, int min, int max) {
  int value = default_value;
  if (const nlohmann::json* v = Find(key)) {
    const bool integral =
        v->is_number_integer() ||
        (v->is_number_float() && std::floor(v->get<double>()) == v->get<double>());
    const std::string range = "[" + std::to_string(min) + ", " + std::to_string(max) + "]";
    if (!integral) {
      Fail(key, "an integer in " + range, *v);
    } else {
      const double d = v->get<double>();
      if (d < min || d > max) {
        Fail(key, "an integer in " + range, *v);
      } else {
        value = static_cast<int>(d);
      }
    }
  }
  resolved_[key] = value;
  return value;
}

std::string ParamReader::String(const std::string& key, const std::string& default_value,
                                const std::vector<std::string>& allowed) {
  std::string value = default_value;
  std::string one_of;
  for (const std::string& a : allowed) one_of += (one_of.empty() ? "" : ", ") + a;
  if (const nlohmann::json* v = Find(key)) {
    if (!v->is_string()) {
      Fail(key, allowed.empty() ? "a string" : "one of " + one_of, *v);
    } else if (!allowed.empty() &&
               std::find(allowed.begin(), allowed.end(), v->get<std::string>()) == allowed.end()) {
      Fail(key, "one of " + one_of, *v);
    } else {
      value = v->get<std::string>();
    }
  }
  resolved_[key] = value;
  return value;
}

bool ParamReader::Bool(const std::string& key, bool default_value) {
  bool value = default_value;
  if (const nlohmann::json* v = Find(key)) {
    if (!v->is_boolean()) {
      Fail(key, "true or false", *v);
    } else {
      value = v->get<bool>();
    }
  }
  resolved_[key] = value;
  return value;
}

std::string ParamReader::OptionalString(const std::string& key) {
  std::string value;
  if (const nlohmann::json* v = Find(key)) {
    if (!v->is_string()) {
      Fail(key, "a string", *v);
    } else {
      value = v->get<std::string>();
      resolved_[key] = value;
    }
  }
  return value;
}

Status ParamReader::Finish() {
  RETURN_IF_ERROR(status_);
  for (const auto& [key, value] : params_.items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    const std::string best = yaml::DidYouMean(key, known_);
    std::string known_list;
    for (const std::string& k : known_) known_list += (known_list.empty() ? "" : ", ") + k;
    std::string message = model_type_ + ": unknown parameter '" + key + "'";
    if (!best.empty()) message += " (did you mean '" + best + "'?)";
    message += "; known parameters: ";
    message += known_list;
    return InvalidArgumentError(message);
  }
  return OkStatus();
}

}  // namespace staycast::models
