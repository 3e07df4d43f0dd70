// JSON instances to a typed Table (see json_input.h).
#include "src/serve/json_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "src/core/time.h"

namespace staycast::serve {
namespace {

std::string Describe(const nlohmann::json& v) {
  std::string text = v.dump();
  constexpr size_t kMaxShown = 40;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return std::string(v.type_name()) + " " + text;
}

}  // namespace

bool CategoryText(const nlohmann::json& value, std::string* out) {
  if (value.is_string()) {
    *out = value.get_ref<const std::string&>();
    return true;
  }
  if (value.is_number_integer()) {
    *out = value.is_number_unsigned() ? std::to_string(value.get<uint64_t>())
                                      : std::to_string(value.get<int64_t>());
    return true;
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d)) return false;
    if (d == std::floor(d) && std::fabs(d) < 1e15) {
      *out = std::to_string(static_cast<int64_t>(d));
    } else {
      *out = fmt::format("{}", d);
    }
    return true;
  }
  return false;
}

InputSpec InputSpec::FromConfig(const features::RunConfig& config) {
  InputSpec spec;
  for (const features::ColumnSpec& c : config.columns) {
    spec.index_[c.name] = spec.columns_.size();
    spec.columns_.push_back({c.name, c.type});
  }
  const data::ReadOptions read = config.MakeReadOptions();
  spec.missing_tokens_ = read.missing_tokens;
  spec.list_separator_ = read.list_separator;
  return spec;
}

bool InputSpec::IsMissingToken(const std::string& text) const {
  return std::find(missing_tokens_.begin(), missing_tokens_.end(), text) != missing_tokens_.end();
}

ApiError InputSpec::ValueError(const std::string& field, size_t instance, size_t num_instances,
                               const std::string& expected, const nlohmann::json& got) const {
  const std::string where =
      num_instances > 1 ? fmt::format("instance {}: ", instance) : std::string();
  const bool non_finite = got.is_number_float() && !std::isfinite(got.get<double>());
  return BadRequest(non_finite ? kNonFinite : kWrongType,
                    fmt::format("{}field '{}': expected {}, got {}", where, field, expected,
                                non_finite ? "a non-finite number" : Describe(got)),
                    field);
}

ApiResult<data::Table> InputSpec::ToTable(const std::vector<nlohmann::json>& records,
                                          std::vector<std::vector<std::string>>* ignored) const {
  std::vector<data::Column> cols;
  cols.reserve(columns_.size());
  for (const Column& c : columns_) {
    cols.emplace_back(c.name, c.type);
    cols.back().Reserve(records.size());
  }
  if (ignored != nullptr) ignored->assign(records.size(), {});
  std::vector<bool> seen(columns_.size());
  std::string text;
  const size_t n = records.size();
  for (size_t r = 0; r < n; ++r) {
    const nlohmann::json& rec = records[r];
    std::fill(seen.begin(), seen.end(), false);
    for (const auto& [key, value] : rec.items()) {
      const auto it = index_.find(key);
      if (it == index_.end()) {
        if (ignored != nullptr) (*ignored)[r].push_back(key);
        continue;
      }
      const size_t j = it->second;
      if (seen[j]) continue;
      seen[j] = true;
      data::Column& col = cols[j];
      if (value.is_null()) {
        col.AppendMissing();
        continue;
      }
      switch (col.type()) {
        case data::ColumnType::kNumeric: {
          if (value.is_boolean()) {
            col.AppendNumeric(value.get<bool>() ? 1.0 : 0.0);
          } else if (value.is_number()) {
            const double d = value.get<double>();
            if (!std::isfinite(d)) return ValueError(key, r, n, "a finite number", value);
            col.AppendNumeric(d);
          } else if (value.is_string() && IsMissingToken(value.get_ref<const std::string&>())) {
            col.AppendMissing();
          } else {
            return ValueError(key, r, n, "a number or null", value);
          }
          break;
        }
        case data::ColumnType::kCategorical: {
          if (!CategoryText(value, &text)) {
            return ValueError(key, r, n, "a string (category) or null", value);
          }
          if (IsMissingToken(text)) {
            col.AppendMissing();
          } else {
            col.AppendCategory(text);
          }
          break;
        }
        case data::ColumnType::kTimestamp: {
          if (!value.is_string()) {
            return ValueError(key, r, n, "a timestamp string such as \"2024-01-31 08:00\"", value);
          }
          const std::string& s = value.get_ref<const std::string&>();
          Timestamp t = kMissingTime;
          if (IsMissingToken(s)) {
            col.AppendMissing();
          } else if (ParseTimestamp(s, &t)) {
            col.AppendTimestamp(t);
          } else {
            return ValueError(key, r, n, "a timestamp such as \"2024-01-31 08:00\"", value);
          }
          break;
        }
        case data::ColumnType::kStringList: {
          std::vector<std::string> list;
          if (value.is_string()) {
            const std::string& s = value.get_ref<const std::string&>();
            if (!IsMissingToken(s)) {
              size_t start = 0;
              while (start <= s.size()) {
                size_t end = s.find(list_separator_, start);
                if (end == std::string::npos) end = s.size();
                if (end > start) list.push_back(s.substr(start, end - start));
                start = end + 1;
              }
            }
          } else if (value.is_array()) {
            for (const nlohmann::json& item : value) {
              if (!CategoryText(item, &text)) {
                return ValueError(key, r, n, "a list of code strings", value);
              }
              list.push_back(text);
            }
          } else {
            return ValueError(key, r, n, "a list of codes or a \"A;B\" string", value);
          }
          col.AppendList(std::move(list));
          break;
        }
      }
    }
    for (size_t j = 0; j < cols.size(); ++j) {
      if (!seen[j]) cols[j].AppendMissing();
    }
  }
  data::Table table;
  for (data::Column& c : cols) {
    Status added = table.AddColumn(std::move(c));
    if (!added.ok()) return FromStatus(added);
  }
  return table;
}

}  // namespace staycast::serve
