// Typed YAML access with key-path errors for configs.
#include "src/core/yaml.h"

#include <algorithm>
#include <cmath>

namespace staycast::yaml {

Status KeyError(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                const std::string& message) {
  std::string where = ctx.origin;
  if (node.IsDefined() && node.Mark().line >= 0) {
    where += ":" + std::to_string(node.Mark().line + 1);
  }
  return InvalidArgumentError(where + ": " + path + ": " + message);
}

namespace {
std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}
}  // namespace

StatusOr<std::string> ReadString(const YamlContext& ctx, const YAML::Node& node,
                                 const std::string& path) {
  if (!node.IsScalar()) return KeyError(ctx, node, path, "expected text, got " + Describe(node));
  return node.Scalar();
}

StatusOr<double> ReadDouble(const YamlContext& ctx, const YAML::Node& node,
                            const std::string& path) {
  if (node.IsScalar()) {
    double v = 0;
    if (YAML::convert<double>::decode(node, v) && std::isfinite(v)) return v;
  }
  return KeyError(ctx, node, path, "expected a finite number, got " + Describe(node));
}

StatusOr<int64_t> ReadInt(const YamlContext& ctx, const YAML::Node& node, const std::string& path) {
  if (node.IsScalar()) {
    int64_t v = 0;
    if (YAML::convert<int64_t>::decode(node, v)) return v;
  }
  return KeyError(ctx, node, path, "expected an integer, got " + Describe(node));
}

StatusOr<bool> ReadBool(const YamlContext& ctx, const YAML::Node& node, const std::string& path) {
  if (node.IsScalar()) {
    bool v = false;
    if (YAML::convert<bool>::decode(node, v)) return v;
  }
  return KeyError(ctx, node, path, "expected true or false, got " + Describe(node));
}

StatusOr<std::vector<std::string>> ReadStringList(const YamlContext& ctx, const YAML::Node& node,
                                                  const std::string& path) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) {
    return KeyError(ctx, node, path, "expected a list of text values, got " + Describe(node));
  }
  for (size_t i = 0; i < node.size(); ++i) {
    ASSIGN_OR_RETURN(std::string s, ReadString(ctx, node[i], path + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(s));
  }
  return out;
}

StatusOr<std::vector<double>> ReadDoubleList(const YamlContext& ctx, const YAML::Node& node,
                                             const std::string& path) {
  if (!node.IsSequence()) {
    return KeyError(ctx, node, path, "expected a list of numbers, got " + Describe(node));
  }
  std::vector<double> out;
  for (size_t i = 0; i < node.size(); ++i) {
    ASSIGN_OR_RETURN(double v, ReadDouble(ctx, node[i], path + "[" + std::to_string(i) + "]"));
    out.push_back(v);
  }
  return out;
}

Status CheckMap(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                const std::vector<std::string>& allowed) {
  if (!node.IsMap()) return KeyError(ctx, node, path, "expected a map, got " + Describe(node));
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = DidYouMean(key, allowed);
      return KeyError(ctx, kv.first, path.empty() ? key : path + "." + key,
                      "unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                          "; expected one of " + JoinNames(allowed));
    }
  }
  return OkStatus();
}

namespace {
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace staycast::yaml
