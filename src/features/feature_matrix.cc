// FeatureMatrix lookups, the transform report, and TransformInput accessors.
#include "src/features/feature_matrix.h"

#include "src/features/transforms.h"

namespace staycast::features {

const char* OutputTypeName(OutputType type) {
  switch (type) {
    case OutputType::kNumeric: return "numeric";
    case OutputType::kBinary: return "binary";
    case OutputType::kCount: return "count";
  }
  return "numeric";
}

int FeatureMatrix::Find(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void TransformReport::Merge(const TransformReport& other) {
  for (const auto& [k, v] : other.unknown_categories) unknown_categories[k] += v;
  for (const auto& [k, v] : other.nonfinite_values) nonfinite_values[k] += v;
  for (const std::string& c : other.missing_columns) {
    if (std::find(missing_columns.begin(), missing_columns.end(), c) == missing_columns.end()) {
      missing_columns.push_back(c);
    }
  }
}

std::string TransformReport::ToString() const {
  std::string out;
  for (const std::string& c : missing_columns) {
    out += "column '" + c + "' absent from the input: imputed as missing in every row\n";
  }
  for (const auto& [f, n] : unknown_categories) {
    out += "feature '" + f + "': " + std::to_string(n) +
           " rows with categories unseen at fit went to the unknown bucket\n";
  }
  for (const auto& [c, n] : nonfinite_values) {
    out += "column '" + c + "': " + std::to_string(n) + " infinite values treated as missing\n";
  }
  return out;
}

const data::Column& TransformInput::Column(const std::string& name) const {
  for (size_t i = 0; i < config->columns.size(); ++i) {
    if (config->columns[i].name == name) return *columns[i];
  }
  // Validation guarantees every referenced column is declared.
  return *columns.front();
}

const std::vector<double>& TransformInput::Numeric(const InputRef& ref) const {
  if (!ref.is_feature()) return Column(ref.column).numeric();
  for (size_t i = 0; i < config->features.size(); ++i) {
    if (config->features[i].name == ref.feature) return *features[i];
  }
  return *features.front();
}

}  // namespace staycast::features
