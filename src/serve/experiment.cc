// Experiment files and sticky routing (see experiment.h).
#include "src/serve/experiment.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace staycast::serve {

uint64_t Fnv1a64(std::string_view data) {
  constexpr uint64_t kOffset = 14695981039346656037ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t h = kOffset;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= kPrime;
  }
  // FNV's high bits mix poorly for keys that differ only at the end ("P1", "P2"): finish with
  // MurmurHash3's fmix64 so that every output bit depends on every input bit.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

size_t Experiment::Route(std::string_view key) const {
  double total = 0;
  for (const ExperimentArm& a : arms) total += a.weight;
  std::string salted = salt;
  salted += '\x1f';
  salted.append(key);
  // Top 53 bits as a uniform number in [0, 1).
  const double u = static_cast<double>(Fnv1a64(salted) >> 11) * 0x1.0p-53;
  double edge = 0;
  for (size_t i = 0; i < arms.size(); ++i) {
    edge += arms[i].weight / total;
    if (u < edge) return i;
  }
  return arms.size() - 1;
}

StatusOr<Experiment> ParseExperiment(const std::string& yaml_text, const std::string& origin) {
  const auto error = [&](const YAML::Node& node, const std::string& message) {
    const YAML::Mark mark = node.Mark();
    return InvalidArgumentError(origin + ":" + std::to_string(mark.line + 1) + ":" +
                                std::to_string(mark.column + 1) + ": " + message);
  };
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(origin + ": " + e.what());
  }
  if (!root.IsMap()) return InvalidArgumentError(origin + ": expected a mapping with name, arms");
  Experiment exp;
  try {
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (key == "name") {
        exp.name = v.as<std::string>();
      } else if (key == "salt") {
        exp.salt = v.as<std::string>();
      } else if (key == "arms") {
        if (!v.IsMap()) return error(v, "arms: expected {MODEL@ALIAS: weight, ...}");
        for (const auto& arm : v) {
          ExperimentArm a{arm.first.as<std::string>(), 0};
          try {
            a.weight = arm.second.as<double>();
          } catch (const YAML::Exception&) {
            return error(arm.second, "arms." + a.model + ": expected a number (the weight)");
          }
          if (!std::isfinite(a.weight) || a.weight < 0) {
            return error(arm.second, "arms." + a.model + ": the weight must be >= 0");
          }
          exp.arms.push_back(a);
        }
      } else if (key == "shadow") {
        if (v.IsScalar()) {
          exp.shadows.push_back(v.as<std::string>());
        } else if (v.IsSequence()) {
          for (const auto& s : v) exp.shadows.push_back(s.as<std::string>());
        } else {
          return error(v, "shadow: expected a model reference or a list of them");
        }
      } else {
        return error(kv.first, "unknown key '" + key + "' (expected name, salt, arms, shadow)");
      }
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(origin + ": " + e.what());
  }
  if (exp.name.empty()) return InvalidArgumentError(origin + ": 'name' is required");
  if (exp.arms.empty()) return InvalidArgumentError(origin + ": 'arms' needs at least one arm");
  double total = 0;
  for (const ExperimentArm& a : exp.arms) total += a.weight;
  if (total <= 0) return InvalidArgumentError(origin + ": the arms' weights sum to 0");
  if (exp.salt.empty()) exp.salt = exp.name;
  return exp;
}

StatusOr<Experiment> LoadExperiment(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError("experiment file " + path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseExperiment(ss.str(), path);
}

}  // namespace staycast::serve
