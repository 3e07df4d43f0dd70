// What a fitted feature pipeline produces: a column-major matrix of doubles with its output schema
// (name, originating feature, origin, type), and a report of what a transform had to repair.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace staycast::features {

enum class OutputType { kNumeric, kBinary, kCount };
const char* OutputTypeName(OutputType type);

struct OutputField {
  std::string name;     // e.g. "age_group=65-80", "prev_visits"
  std::string feature;  // the feature (config name) that produced it
  std::string origin;   // e.g. "bin(age)", "history.mean(length_of_stay)"
  OutputType type = OutputType::kNumeric;
  bool operator==(const OutputField&) const = default;
};

struct FeatureMatrix {
  std::vector<OutputField> fields;
  std::vector<std::vector<double>> columns;  // columns[j][row]
  size_t num_rows = 0;
  // The index of a named output, or -1.
  int Find(const std::string& name) const;
};

// What Transform had to do to bad input. Never contains patient values, only names and counts.
struct TransformReport {
  // Rows whose category was not seen when fitting, by feature (they went to the unknown bucket).
  std::map<std::string, int64_t> unknown_categories;
  // Declared columns absent from the input; every row was imputed as missing.
  std::vector<std::string> missing_columns;
  // Infinite numeric values treated as missing, by column.
  std::map<std::string, int64_t> nonfinite_values;
  bool empty() const {
    return unknown_categories.empty() && missing_columns.empty() && nonfinite_values.empty();
  }
  void Merge(const TransformReport& other);
  // One line per item, e.g. "column 'age' missing: imputed for all 20 rows".
  std::string ToString() const;
};

}  // namespace staycast::features
