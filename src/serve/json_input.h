// JSON instances -> a typed data::Table for the Predictor. Types come from the bundle's config
// (the same declared types batch reading uses), so an instance scores exactly like the same row of
// a CSV: the same missing tokens, categories as text, timestamps parsed the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "src/data/table.h"
#include "src/features/config.h"
#include "src/serve/api_error.h"

namespace staycast::serve {

class InputSpec {
 public:
  // Every column the config declares, with its declared type.
  static InputSpec FromConfig(const features::RunConfig& config);

  // One row per record (each a JSON object), one column per declared column; absent or null
  // fields are missing values. Fields the config does not declare are listed per record in
  // `ignored` (if not null). A value of the wrong type, a non-finite number or an unparseable
  // timestamp is a 400 naming the field (and the instance, when there are several).
  ApiResult<data::Table> ToTable(const std::vector<nlohmann::json>& records,
                                 std::vector<std::vector<std::string>>* ignored) const;

  bool Declares(const std::string& name) const { return index_.count(name) > 0; }
  struct Column {
    std::string name;
    data::ColumnType type;
  };
  const std::vector<Column>& columns() const { return columns_; }

 private:
  ApiError ValueError(const std::string& field, size_t instance, size_t num_instances,
                      const std::string& expected, const nlohmann::json& got) const;
  bool IsMissingToken(const std::string& text) const;

  std::vector<Column> columns_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::string> missing_tokens_;
  char list_separator_ = ';';
};

// A category's text for a JSON scalar: strings as they are, integral numbers without a decimal
// point (severity 3 -> "3"), other numbers in shortest form. False for other JSON types.
bool CategoryText(const nlohmann::json& value, std::string* out);

}  // namespace staycast::serve
