// The prediction log: every prediction (time, request id, model version, arm, transformed
// features, output, warnings) appended to the registry database in batches by one background
// writer thread, off the request path. Patients appear only as a salted hash; request bodies are
// never logged. The queue is bounded: when it is full a row is dropped and counted, never blocking
// a request.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "src/core/status.h"
#include "src/registry/store.h"

namespace staycast::serve {

struct PredictionRecord {
  int64_t at_ms = 0;
  std::string request_id;
  std::string model;
  int version = 0;
  std::string alias;
  std::string arm;
  bool shadow = false;
  std::string patient_hash;  // "" when the request named no patient
  std::string features;      // JSON array of the model's input features
  std::string output;        // JSON object
  std::string warnings;      // JSON array of strings
};

struct PredictionLogOptions {
  size_t queue_capacity = 200000;
  size_t batch_rows = 2000;
  int flush_interval_ms = 200;
};

class PredictionLog {
 public:
  // Opens its own connection to the registry database (already migrated).
  static StatusOr<std::unique_ptr<PredictionLog>> Open(const std::string& registry_uri,
                                                       const PredictionLogOptions& options = {});
  ~PredictionLog();  // Close()s
  PredictionLog(const PredictionLog&) = delete;
  PredictionLog& operator=(const PredictionLog&) = delete;

  // Queues a row; false (and counted as dropped) when the queue is full or the log is closed.
  bool Append(PredictionRecord record);
  // Writes everything queued and stops the writer. Idempotent.
  Status Close();

  int64_t written() const;
  int64_t dropped() const;
  int64_t queued() const;

 private:
  PredictionLog(std::unique_ptr<registry::Store> store, const PredictionLogOptions& options);
  void Run();
  Status WriteBatch(std::deque<PredictionRecord>* batch);

  std::unique_ptr<registry::Store> store_;
  PredictionLogOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PredictionRecord> queue_;
  bool closing_ = false;
  int64_t written_ = 0;
  int64_t dropped_ = 0;
  Status last_error_;
  std::thread writer_;
};

// The salted hash of a patient id that the log stores (hex SHA-256 of salt + id, 32 chars).
std::string PatientHash(const std::string& salt, const std::string& patient_id);

}  // namespace staycast::serve
