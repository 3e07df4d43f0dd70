// The serving API's error vocabulary: every failed request gets an HTTP status and a JSON body
// {"error": {"code", "message", "field"?}}. ApiResult<T> carries a value or such an error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>

#include "src/core/status.h"

namespace staycast::serve {

// Error codes (the "code" member of the body), one per kind of failure; /metrics counts by code.
inline constexpr const char* kMalformedJson = "malformed_json";
inline constexpr const char* kWrongType = "wrong_type";
inline constexpr const char* kNonFinite = "non_finite_number";
inline constexpr const char* kEmptyRequest = "empty_request";
inline constexpr const char* kTooManyInstances = "too_many_instances";
inline constexpr const char* kBadRequest = "bad_request";
inline constexpr const char* kPayloadTooLarge = "payload_too_large";
inline constexpr const char* kModelNotFound = "model_not_found";
inline constexpr const char* kNotFound = "not_found";
inline constexpr const char* kMethodNotAllowed = "method_not_allowed";
inline constexpr const char* kExplainUnavailable = "explain_unavailable";
inline constexpr const char* kUnavailable = "unavailable";
inline constexpr const char* kInternal = "internal";
inline constexpr const char* kTimeout = "timeout";

struct ApiError {
  int http_status = 400;
  std::string code;
  std::string message;
  std::string field;  // the request field at fault, when there is one

  nlohmann::json ToJson() const;
};

ApiError BadRequest(std::string code, std::string message, std::string field = "");
// Maps a library Status to an API error: InvalidArgument 400, NotFound 404, FailedPrecondition
// 409, Unavailable 503, anything else 500 (whose message is generic: details go to the log).
ApiError FromStatus(const Status& status);

// A value or an ApiError.
template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}         // NOLINT: implicit like StatusOr
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT: implicit like StatusOr
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace staycast::serve
