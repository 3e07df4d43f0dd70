// RAII owners for XGBoost C API handles and the check that turns a failed call into a Status.
#pragma once

#include <xgboost/c_api.h>

#include <memory>
#include <string>

#include "src/core/status.h"

namespace staycast::models::xgb {

struct DMatrixFree {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
struct BoosterFree {
  void operator()(void* handle) const { XGBoosterFree(handle); }
};
using DMatrixPtr = std::unique_ptr<void, DMatrixFree>;
using BoosterPtr = std::unique_ptr<void, BoosterFree>;

// OK for rc == 0; otherwise an Internal error "<what>: XGBoost: <last error>".
Status Check(int rc, const std::string& what);

}  // namespace staycast::models::xgb
