// Parsing and validation of `models.search`, and the seeded list of trials per candidate.
#include "src/train/search_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "src/core/yaml.h"
#include "src/train/train_config.h"

namespace staycast::train {
namespace {

using yaml::CheckMap;
using yaml::JoinNames;
using yaml::KeyError;
using yaml::ReadDouble;
using yaml::ReadInt;
using yaml::ReadString;
using yaml::YamlContext;

constexpr int kDefaultRandomTrials = 20;
constexpr int kMaxTrials = 10000;
constexpr double kMaxGridCombinations = 10000;

// Checks that `value` is a valid `param` of the candidate, by building the model with it.
Status CheckValue(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                  const CandidateSpec& candidate, const std::string& param,
                  const nlohmann::json& value, models::Task task) {
  nlohmann::json params =
      candidate.params.is_object() ? candidate.params : nlohmann::json::object();
  params[param] = value;
  StatusOr<std::unique_ptr<models::Model>> model =
      models::CreateModel(candidate.type, params, task);
  if (!model.ok()) return KeyError(ctx, node, path, model.status().message());
  return OkStatus();
}

StatusOr<ParamDistribution> ParseDistribution(const YamlContext& ctx, const YAML::Node& node,
                                              const std::string& path,
                                              const CandidateSpec& candidate,
                                              const std::string& param, SearchMethod method,
                                              models::Task task) {
  ParamDistribution d;
  if (node.IsSequence()) {
    if (node.size() == 0) return KeyError(ctx, node, path, "expected a non-empty list of values");
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return KeyError(ctx, item, path, "expected a list of plain values");
      nlohmann::json v = YamlToJson(item);
      RETURN_IF_ERROR(CheckValue(ctx, item, path, candidate, param, v, task));
      if (std::find(d.choices.begin(), d.choices.end(), v) != d.choices.end()) {
        return KeyError(ctx, item, path, "the value " + v.dump() + " is listed twice");
      }
      d.choices.push_back(std::move(v));
    }
    return d;
  }
  const std::string expected =
      "expected a list of values, e.g. [3, 6, 8], or one of {uniform: [low, high]}, "
      "{log_uniform: [low, high]}, {int_uniform: [low, high]}";
  if (!node.IsMap() || node.size() != 1) return KeyError(ctx, node, path, expected);
  const std::string kind = node.begin()->first.as<std::string>();
  const YAML::Node range = node.begin()->second;
  const std::string range_path = path + "." + kind;
  if (kind == "uniform") {
    d.kind = ParamDistribution::Kind::kUniform;
  } else if (kind == "log_uniform") {
    d.kind = ParamDistribution::Kind::kLogUniform;
  } else if (kind == "int_uniform") {
    d.kind = ParamDistribution::Kind::kIntUniform;
  } else {
    return KeyError(ctx, node, path, "unknown distribution '" + kind + "'; " + expected);
  }
  if (method == SearchMethod::kGrid) {
    return KeyError(ctx, node, path,
                    "grid search needs a list of values (e.g. [0.05, 0.1, 0.2]), not a " + kind +
                        " range; use method: random for ranges");
  }
  if (!range.IsSequence() || range.size() != 2) {
    return KeyError(ctx, range, range_path, "expected [low, high]");
  }
  if (d.kind == ParamDistribution::Kind::kIntUniform) {
    ASSIGN_OR_RETURN(int64_t lo, ReadInt(ctx, range[0], range_path + "[0]"));
    ASSIGN_OR_RETURN(int64_t hi, ReadInt(ctx, range[1], range_path + "[1]"));
    d.low = static_cast<double>(lo);
    d.high = static_cast<double>(hi);
  } else {
    ASSIGN_OR_RETURN(d.low, ReadDouble(ctx, range[0], range_path + "[0]"));
    ASSIGN_OR_RETURN(d.high, ReadDouble(ctx, range[1], range_path + "[1]"));
  }
  if (!(d.low < d.high)) return KeyError(ctx, range, range_path, "expected low < high");
  if (d.kind == ParamDistribution::Kind::kLogUniform && !(d.low > 0)) {
    return KeyError(ctx, range, range_path, "a log_uniform range needs low > 0");
  }
  const auto as_json = [&](double v) -> nlohmann::json {
    if (d.kind == ParamDistribution::Kind::kIntUniform) return static_cast<int64_t>(v);
    return v;
  };
  RETURN_IF_ERROR(CheckValue(ctx, range, range_path, candidate, param, as_json(d.low), task));
  RETURN_IF_ERROR(CheckValue(ctx, range, range_path, candidate, param, as_json(d.high), task));
  if (d.kind != ParamDistribution::Kind::kIntUniform) {
    // A value between the bounds that is not a whole number: integer parameters refuse it.
    const double mid = d.low + (d.high - d.low) * 0.37;
    if (std::floor(mid) != mid &&
        !CheckValue(ctx, range, range_path, candidate, param, mid, task).ok()) {
      return KeyError(ctx, node, path,
                      "'" + param + "' takes whole numbers; use {int_uniform: [low, high]}");
    }
  }
  return d;
}

// Deterministic 64-bit hash of a string (FNV-1a), to give each candidate its own random stream.
uint64_t HashName(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// A uniform double in [0, 1) from the generator's bits (not std's distributions, whose output is
// implementation-defined).
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// 4 significant digits, so trial values print and compare cleanly.
double Round4(double v) { return std::stod(fmt::format("{:.4g}", v)); }

nlohmann::json Sample(const ParamDistribution& d, std::mt19937_64& rng) {
  switch (d.kind) {
    case ParamDistribution::Kind::kChoice:
      return d.choices[static_cast<size_t>(Unit(rng) * static_cast<double>(d.choices.size()))];
    case ParamDistribution::Kind::kUniform: return Round4(d.low + Unit(rng) * (d.high - d.low));
    case ParamDistribution::Kind::kLogUniform:
      return std::clamp(
          Round4(std::exp(std::log(d.low) + Unit(rng) * (std::log(d.high) - std::log(d.low)))),
          d.low, d.high);
    case ParamDistribution::Kind::kIntUniform: {
      const double span = d.high - d.low + 1;
      return static_cast<int64_t>(d.low + std::min(std::floor(Unit(rng) * span), span - 1));
    }
  }
  return nullptr;
}

}  // namespace

const char* SearchMethodName(SearchMethod method) {
  return method == SearchMethod::kGrid ? "grid" : "random";
}

StatusOr<SearchConfig> ParseSearchConfig(const std::string& origin, const YAML::Node& node,
                                         const std::vector<CandidateSpec>& candidates,
                                         models::Task task) {
  const YamlContext ctx{origin};
  SearchConfig out;
  if (!node || node.IsNull()) return out;
  RETURN_IF_ERROR(CheckMap(ctx, node, "models.search",
                           {"method", "trials", "time_budget_s", "folds", "space"}));
  out.enabled = true;
  if (node["method"]) {
    ASSIGN_OR_RETURN(std::string method, ReadString(ctx, node["method"], "models.search.method"));
    if (method == "random") {
      out.method = SearchMethod::kRandom;
    } else if (method == "grid") {
      out.method = SearchMethod::kGrid;
    } else {
      return KeyError(ctx, node["method"], "models.search.method",
                      "'" + method + "' is not a search method; expected random or grid");
    }
  }
  if (node["trials"]) {
    ASSIGN_OR_RETURN(int64_t t, ReadInt(ctx, node["trials"], "models.search.trials"));
    if (t < 1 || t > kMaxTrials) {
      return KeyError(ctx, node["trials"], "models.search.trials",
                      fmt::format("expected 1..{} trials per candidate", kMaxTrials));
    }
    out.trials = static_cast<int>(t);
  }
  if (node["time_budget_s"]) {
    ASSIGN_OR_RETURN(out.time_budget_s,
                     ReadDouble(ctx, node["time_budget_s"], "models.search.time_budget_s"));
    if (!(out.time_budget_s > 0) || !std::isfinite(out.time_budget_s)) {
      return KeyError(ctx, node["time_budget_s"], "models.search.time_budget_s",
                      "expected a number of seconds > 0");
    }
  }
  if (node["folds"]) {
    ASSIGN_OR_RETURN(int64_t k, ReadInt(ctx, node["folds"], "models.search.folds"));
    if (k < 2 || k > 20) {
      return KeyError(ctx, node["folds"], "models.search.folds", "expected 2..20 folds");
    }
    out.folds = static_cast<int>(k);
  }
  const YAML::Node space = node["space"];
  if (!space || !space.IsMap() || space.size() == 0) {
    return KeyError(ctx, space ? space : node, "models.search.space",
                    "expected a map from candidate name to parameter ranges, e.g. "
                    "{gradient_boosting: {max_depth: [3, 6, 8]}}");
  }
  std::vector<std::string> names;
  names.reserve(candidates.size());
  for (const CandidateSpec& c : candidates) names.push_back(c.name);
  for (const auto& kv : space) {
    const std::string name = kv.first.as<std::string>();
    const std::string path = "models.search.space." + name;
    const auto it = std::find_if(candidates.begin(), candidates.end(),
                                 [&](const CandidateSpec& c) { return c.name == name; });
    if (it == candidates.end()) {
      std::string message = "no candidate is named '" + name + "'";
      const std::string guess = yaml::DidYouMean(name, names);
      if (!guess.empty()) message += " (did you mean '" + guess + "'?)";
      return KeyError(ctx, kv.first, path, message + "; candidates: " + JoinNames(names));
    }
    if (!kv.second.IsMap() || kv.second.size() == 0) {
      return KeyError(ctx, kv.second, path,
                      "expected a map from parameter name to values, e.g. {max_depth: [3, 6]}");
    }
    SearchSpace s;
    s.candidate = name;
    double combinations = 1;
    for (const auto& p : kv.second) {
      const std::string param = p.first.as<std::string>();
      ASSIGN_OR_RETURN(ParamDistribution d, ParseDistribution(ctx, p.second, path + "." + param,
                                                              *it, param, out.method, task));
      combinations *= static_cast<double>(std::max<size_t>(d.choices.size(), 1));
      s.params.emplace_back(param, std::move(d));
    }
    if (out.method == SearchMethod::kGrid && combinations > kMaxGridCombinations) {
      return KeyError(ctx, kv.second, path,
                      fmt::format("the grid has {:.0f} combinations (at most {:.0f}); list fewer "
                                  "values or use method: random",
                                  combinations, kMaxGridCombinations));
    }
    out.spaces.push_back(std::move(s));
  }
  return out;
}

std::vector<nlohmann::json> SearchTrials(const SearchConfig& config, const SearchSpace& space,
                                         const nlohmann::json& base, uint64_t seed) {
  const nlohmann::json start = base.is_object() ? base : nlohmann::json::object();
  std::mt19937_64 rng(seed ^ HashName(space.candidate));
  std::vector<nlohmann::json> trials;
  if (config.method == SearchMethod::kGrid) {
    // Every combination, first parameter slowest, then a seeded Fisher-Yates shuffle so that a
    // trial or time budget covers the grid evenly.
    trials.push_back(start);
    for (const auto& [param, d] : space.params) {
      std::vector<nlohmann::json> next;
      next.reserve(trials.size() * d.choices.size());
      for (const nlohmann::json& t : trials) {
        for (const nlohmann::json& v : d.choices) {
          nlohmann::json u = t;
          u[param] = v;
          next.push_back(std::move(u));
        }
      }
      trials = std::move(next);
    }
    for (size_t i = trials.size(); i > 1; --i) {
      const auto j = static_cast<size_t>(Unit(rng) * static_cast<double>(i));
      std::swap(trials[i - 1], trials[std::min(j, i - 1)]);
    }
    if (config.trials > 0 && trials.size() > static_cast<size_t>(config.trials)) {
      trials.resize(static_cast<size_t>(config.trials));
    }
    return trials;
  }
  const size_t wanted = config.trials > 0 ? config.trials : kDefaultRandomTrials;
  std::set<std::string> seen;
  trials.push_back(start);
  seen.insert(start.dump());
  // Distinct samples; a small discrete space may run out before `wanted`.
  for (size_t attempts = 0; trials.size() < wanted && attempts < 50 * wanted; ++attempts) {
    nlohmann::json t = start;
    for (const auto& [param, d] : space.params) t[param] = Sample(d, rng);
    if (seen.insert(t.dump()).second) trials.push_back(std::move(t));
  }
  return trials;
}

}  // namespace staycast::train
