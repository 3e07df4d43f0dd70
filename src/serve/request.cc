// Parsing of prediction request bodies (see request.h).
#include "src/serve/request.h"

#include <fmt/format.h>

#include <cstring>

namespace staycast::serve {
namespace {

ApiResult<bool> Options(const nlohmann::json& obj, PredictRequest* out) {
  if (const auto it = obj.find("explain"); it != obj.end()) {
    if (!it->is_boolean())
      return BadRequest(kWrongType, "'explain' must be true or false", "explain");
    out->explain = it->get<bool>();
  }
  if (const auto it = obj.find("top_k"); it != obj.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 1000) {
      return BadRequest(kWrongType, "'top_k' must be an integer from 1 to 1000", "top_k");
    }
    out->top_k = static_cast<int>(it->get<int64_t>());
  }
  return true;
}

ApiResult<bool> CheckCount(size_t n, const RequestLimits& limits) {
  if (n == 0) return BadRequest(kEmptyRequest, "the request has no instances");
  if (n > limits.max_instances) {
    return BadRequest(kTooManyInstances,
                      fmt::format("{} instances in one request; the limit is {} (--max-instances)",
                                  n, limits.max_instances));
  }
  return true;
}

ApiResult<bool> TakeRecords(nlohmann::json& array, const char* what, PredictRequest* out) {
  out->records.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_object()) {
      return BadRequest(kWrongType,
                        fmt::format("{}[{}] must be an object of field: value, got {}", what, i,
                                    array[i].type_name()),
                        what);
    }
    out->records.push_back(std::move(array[i]));
  }
  return true;
}

ApiResult<bool> FromDataframeSplit(nlohmann::json& split, const RequestLimits& limits,
                                   PredictRequest* out) {
  if (!split.is_object() || !split.contains("columns") || !split.contains("data") ||
      !split["columns"].is_array() || !split["data"].is_array()) {
    return BadRequest(kBadRequest,
                      "dataframe_split must be {\"columns\": [names], \"data\": [[row], ...]}",
                      "dataframe_split");
  }
  const nlohmann::json& columns = split["columns"];
  for (const nlohmann::json& c : columns) {
    if (!c.is_string()) {
      return BadRequest(kWrongType, "dataframe_split.columns must be strings",
                        "dataframe_split.columns");
    }
  }
  nlohmann::json& data = split["data"];
  if (auto ok = CheckCount(data.size(), limits); !ok.ok()) return ok.error();
  out->records.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (!data[i].is_array() || data[i].size() != columns.size()) {
      return BadRequest(
          kWrongType,
          fmt::format("dataframe_split.data[{}] must be an array of {} values", i, columns.size()),
          "dataframe_split.data");
    }
    nlohmann::json rec = nlohmann::json::object();
    for (size_t j = 0; j < columns.size(); ++j) {
      rec[columns[j].get_ref<const std::string&>()] = std::move(data[i][j]);
    }
    out->records.push_back(std::move(rec));
  }
  return true;
}

}  // namespace

ApiResult<nlohmann::json> ParseJsonBody(std::string_view body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    const size_t at = e.byte == 0 ? 0 : e.byte - 1;
    // NaN / Infinity are not JSON, but Python's json module writes them: say so plainly.
    const size_t from = at >= 9 ? at - 9 : 0;
    const std::string_view near = body.substr(from, std::min<size_t>(body.size() - from, 20));
    if (near.find("NaN") != std::string_view::npos ||
        near.find("Infinity") != std::string_view::npos) {
      return BadRequest(kNonFinite,
                        fmt::format("NaN or Infinity near byte {}: not valid JSON and not a value "
                                    "a model can use; send null for a missing value",
                                    at));
    }
    std::string detail = e.what();
    if (const size_t colon = detail.find(": "); colon != std::string::npos) {
      detail = detail.substr(colon + 2);
    }
    return BadRequest(kMalformedJson, fmt::format("malformed JSON at byte {}: {}", at, detail));
  } catch (const nlohmann::json::out_of_range& e) {
    return BadRequest(kNonFinite, std::string("a number is too large for a double: ") + e.what());
  } catch (const nlohmann::json::exception& e) {
    return BadRequest(kMalformedJson, std::string("malformed JSON: ") + e.what());
  }
}

ApiResult<PredictRequest> ParseV1Request(std::string_view body, const RequestLimits& limits) {
  ApiResult<nlohmann::json> parsed = ParseJsonBody(body);
  if (!parsed.ok()) return parsed.error();
  nlohmann::json& j = parsed.value();
  PredictRequest out;
  if (j.is_array()) {
    if (auto ok = CheckCount(j.size(), limits); !ok.ok()) return ok.error();
    if (auto ok = TakeRecords(j, "instances", &out); !ok.ok()) return ok.error();
    return out;
  }
  if (!j.is_object()) {
    return BadRequest(kWrongType,
                      std::string("the body must be a JSON object, got ") + j.type_name());
  }
  if (auto ok = Options(j, &out); !ok.ok()) return ok.error();
  for (const char* key : {"instances", "dataframe_records"}) {
    const auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_array()) {
      return BadRequest(kWrongType, std::string(key) + " must be an array of objects", key);
    }
    if (auto ok = CheckCount(it->size(), limits); !ok.ok()) return ok.error();
    if (auto ok = TakeRecords(*it, key, &out); !ok.ok()) return ok.error();
    return out;
  }
  if (const auto it = j.find("dataframe_split"); it != j.end()) {
    if (auto ok = FromDataframeSplit(*it, limits, &out); !ok.ok()) return ok.error();
    return out;
  }
  j.erase("explain");
  j.erase("top_k");
  if (j.empty()) return BadRequest(kEmptyRequest, "the instance has no fields");
  out.records.push_back(std::move(j));
  return out;
}

ApiResult<PredictRequest> ParseV2Request(std::string_view body, const RequestLimits& limits) {
  ApiResult<nlohmann::json> parsed = ParseJsonBody(body);
  if (!parsed.ok()) return parsed.error();
  nlohmann::json& j = parsed.value();
  if (!j.is_object() || !j.contains("inputs") || !j["inputs"].is_array()) {
    return BadRequest(kBadRequest,
                      "an inference request is {\"inputs\": [{\"name\", \"shape\", \"datatype\", "
                      "\"data\"}, ...]}",
                      "inputs");
  }
  PredictRequest out;
  if (const auto it = j.find("id"); it != j.end() && it->is_string())
    out.id = it->get<std::string>();
  if (const auto it = j.find("parameters"); it != j.end() && it->is_object()) {
    if (auto ok = Options(*it, &out); !ok.ok()) return ok.error();
  }
  std::optional<size_t> rows;
  nlohmann::json& inputs = j["inputs"];
  for (size_t i = 0; i < inputs.size(); ++i) {
    nlohmann::json& in = inputs[i];
    if (!in.is_object() || !in.contains("name") || !in["name"].is_string() ||
        !in.contains("data") || !in["data"].is_array()) {
      return BadRequest(kBadRequest,
                        fmt::format("inputs[{}] needs a string \"name\" and an array \"data\"", i),
                        "inputs");
    }
    const std::string name = in["name"].get<std::string>();
    nlohmann::json& data = in["data"];
    // Shape [N] or [N, 1]: data may be flat or nested one level.
    nlohmann::json flat = nlohmann::json::array();
    for (nlohmann::json& v : data) {
      if (v.is_array() && v.size() == 1) {
        flat.push_back(std::move(v[0]));
      } else {
        flat.push_back(std::move(v));
      }
    }
    if (const auto shape = in.find("shape"); shape != in.end()) {
      if (!shape->is_array() || shape->empty() || !(*shape)[0].is_number_unsigned() ||
          (*shape)[0].get<size_t>() != flat.size()) {
        return BadRequest(kBadRequest,
                          fmt::format("input '{}': shape {} does not match its {} values", name,
                                      shape->dump(), flat.size()),
                          name);
      }
    }
    if (rows.has_value() && *rows != flat.size()) {
      return BadRequest(
          kBadRequest,
          fmt::format("input '{}' has {} values, earlier inputs have {}", name, flat.size(), *rows),
          name);
    }
    if (!rows.has_value()) {
      rows = flat.size();
      if (auto ok = CheckCount(*rows, limits); !ok.ok()) return ok.error();
      out.records.assign(*rows, nlohmann::json::object());
    }
    for (size_t r = 0; r < flat.size(); ++r) out.records[r][name] = std::move(flat[r]);
  }
  if (!rows.has_value()) return BadRequest(kEmptyRequest, "the request has no inputs");
  return out;
}

}  // namespace staycast::serve
