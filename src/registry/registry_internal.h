// Helpers shared by the registry's implementation files (not part of the public API).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/registry/registry.h"
#include "src/registry/store.h"

namespace staycast::registry::internal {

// Columns selected for a ModelVersion, in the order ParseVersionRow expects.
inline constexpr const char* kVersionColumns =
    "model, version, run_id, artifact_path, manifest_sha256, source_path, metadata, created, "
    "created_by, description, archived";
StatusOr<ModelVersion> ParseVersionRow(const SqlRow& row);

StatusOr<nlohmann::json> ParseJsonCell(const std::string& text, const std::string& what);

// Runs `body` in a write transaction, retrying (bounded, with a short randomised pause) when it
// fails with kUnavailable (lock timeout, serialization failure) or kAlreadyExists (a concurrent
// insert won a unique key).
template <typename T, typename Body>
StatusOr<T> WithRetries(Store* store, Body body);

void PauseBeforeRetry(int attempt);

template <typename T, typename Body>
StatusOr<T> WithRetries(Store* store, Body body) {
  constexpr int kAttempts = 8;
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) PauseBeforeRetry(attempt);
    StatusOr<Transaction> tx = Transaction::Start(store);
    if (!tx.ok()) {
      last = tx.status();
      if (last.code() == StatusCode::kUnavailable) continue;
      return last;
    }
    StatusOr<T> result = body();
    if (result.ok()) {
      Status committed = tx->Commit();
      if (committed.ok()) return result;
      last = committed;
    } else {
      last = result.status();
    }
    if (last.code() != StatusCode::kUnavailable && last.code() != StatusCode::kAlreadyExists) {
      return last;
    }
  }
  return last;
}

}  // namespace staycast::registry::internal
