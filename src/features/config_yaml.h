// The YAML helpers of src/core/yaml.h under the names the feature config code uses.
#pragma once

#include "src/core/yaml.h"

namespace staycast::features::internal {

using ::staycast::yaml::CheckMap;
using ::staycast::yaml::DidYouMean;
using ::staycast::yaml::JoinNames;
using ::staycast::yaml::KeyError;
using ::staycast::yaml::ReadBool;
using ::staycast::yaml::ReadDouble;
using ::staycast::yaml::ReadDoubleList;
using ::staycast::yaml::ReadInt;
using ::staycast::yaml::ReadString;
using ::staycast::yaml::ReadStringList;
using ::staycast::yaml::YamlContext;

}  // namespace staycast::features::internal
