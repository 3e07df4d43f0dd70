// Request bodies of the prediction endpoints, parsed into a list of instances (one JSON object
// each) and options: Staycast's own forms, MLflow's dataframe_split / dataframe_records, and the
// Open Inference Protocol (KServe v2) infer request.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "src/serve/api_error.h"

namespace staycast::serve {

struct PredictRequest {
  std::vector<nlohmann::json> records;  // one JSON object per instance
  bool explain = false;
  int top_k = 5;
  std::string id;  // v2: the request id, echoed in the response
};

struct RequestLimits {
  size_t max_instances = 1000;
};

// Parses JSON; a syntax error is 400 malformed_json with the byte offset, NaN/Infinity literals
// and numbers too large for a double are 400 non_finite_number.
ApiResult<nlohmann::json> ParseJsonBody(std::string_view body);

// POST /v1/models/{name}/predict: one instance as an object; {"instances": [...]}; a bare array
// of objects; {"dataframe_split": {"columns": [...], "data": [[...]]}}; or
// {"dataframe_records": [...]}. Top-level "explain" and "top_k" are options, not fields.
ApiResult<PredictRequest> ParseV1Request(std::string_view body, const RequestLimits& limits);

// POST /v2/models/{name}/infer: {"id"?, "parameters"?: {"explain"?, "top_k"?}, "inputs": [{"name",
// "shape", "datatype", "data"}]}: one input per field, each holding that field for every instance.
ApiResult<PredictRequest> ParseV2Request(std::string_view body, const RequestLimits& limits);

}  // namespace staycast::serve
