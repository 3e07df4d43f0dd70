// Helpers for reading YAML configs: typed scalar access and errors that name the key path, the
// file and the line ("origin:LINE: path: message").
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::yaml {

// Where the config came from, for messages.
struct YamlContext {
  std::string origin;
};

// "origin:LINE: path: message" (line when the node has a position).
Status KeyError(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                const std::string& message);

StatusOr<std::string> ReadString(const YamlContext& ctx, const YAML::Node& node,
                                 const std::string& path);
StatusOr<double> ReadDouble(const YamlContext& ctx, const YAML::Node& node,
                            const std::string& path);
StatusOr<int64_t> ReadInt(const YamlContext& ctx, const YAML::Node& node, const std::string& path);
StatusOr<bool> ReadBool(const YamlContext& ctx, const YAML::Node& node, const std::string& path);
// A scalar or a sequence of scalars.
StatusOr<std::vector<std::string>> ReadStringList(const YamlContext& ctx, const YAML::Node& node,
                                                  const std::string& path);
StatusOr<std::vector<double>> ReadDoubleList(const YamlContext& ctx, const YAML::Node& node,
                                             const std::string& path);
// The node must be a map whose keys are all in `allowed`.
Status CheckMap(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                const std::vector<std::string>& allowed);

// The closest of `candidates` to `name` by edit distance, if it is close enough to be a typo.
std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates);
// "a, b, c".
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace staycast::yaml
