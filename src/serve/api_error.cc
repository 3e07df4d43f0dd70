// ApiError: JSON form and the mapping from library Status codes to HTTP statuses.
#include "src/serve/api_error.h"

namespace staycast::serve {

nlohmann::json ApiError::ToJson() const {
  nlohmann::json e = {{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return {{"error", std::move(e)}};
}

ApiError BadRequest(std::string code, std::string message, std::string field) {
  return ApiError{400, std::move(code), std::move(message), std::move(field)};
}

ApiError FromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return ApiError{400, kBadRequest, status.message(), ""};
    case StatusCode::kNotFound: return ApiError{404, kNotFound, status.message(), ""};
    case StatusCode::kFailedPrecondition: return ApiError{409, kBadRequest, status.message(), ""};
    case StatusCode::kUnavailable: return ApiError{503, kUnavailable, status.message(), ""};
    default:
      return ApiError{500, kInternal, "internal error while scoring; see the server log", ""};
  }
}

}  // namespace staycast::serve
