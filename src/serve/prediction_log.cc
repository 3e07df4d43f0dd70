// The prediction log's background writer (see prediction_log.h).
#include "src/serve/prediction_log.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "src/core/hash.h"

namespace staycast::serve {

std::string PatientHash(const std::string& salt, const std::string& patient_id) {
  constexpr size_t kHashChars = 32;
  return Sha256Hex(salt + '\x1f' + patient_id).substr(0, kHashChars);
}

StatusOr<std::unique_ptr<PredictionLog>> PredictionLog::Open(const std::string& registry_uri,
                                                             const PredictionLogOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<registry::Store> store, registry::OpenStore(registry_uri));
  std::unique_ptr<PredictionLog> log(  // NOLINT: private constructor
      new PredictionLog(std::move(store), options));
  log->writer_ = std::thread([p = log.get()] { p->Run(); });
  return log;
}

PredictionLog::PredictionLog(std::unique_ptr<registry::Store> store,
                             const PredictionLogOptions& options)
    : store_(std::move(store)), options_(options) {}

PredictionLog::~PredictionLog() { Close().IgnoreError(); }

bool PredictionLog::Append(PredictionRecord record) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_ || queue_.size() >= options_.queue_capacity) {
      ++dropped_;
      return false;
    }
    queue_.push_back(std::move(record));
    if (queue_.size() < options_.batch_rows) return true;
  }
  cv_.notify_one();
  return true;
}

Status PredictionLog::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_one();
  if (writer_.joinable()) writer_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

int64_t PredictionLog::written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return written_;
}
int64_t PredictionLog::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}
int64_t PredictionLog::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(queue_.size());
}

void PredictionLog::Run() {
  std::deque<PredictionRecord> batch;
  while (true) {
    bool closing = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.flush_interval_ms),
                   [&] { return closing_ || queue_.size() >= options_.batch_rows; });
      closing = closing_;
      const size_t n = std::min(queue_.size(), options_.batch_rows);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (closing && queue_.empty() && batch.empty()) return;
    }
    if (batch.empty()) continue;
    const size_t n = batch.size();
    Status s = WriteBatch(&batch);
    std::lock_guard<std::mutex> lock(mu_);
    if (s.ok()) {
      written_ += static_cast<int64_t>(n);
    } else {
      // The rows are lost; say so once per failure (no patient data in the message).
      dropped_ += static_cast<int64_t>(n);
      last_error_ = s;
      spdlog::error("prediction log: {} rows not written: {}", n, s.message());
    }
    batch.clear();
  }
}

Status PredictionLog::WriteBatch(std::deque<PredictionRecord>* batch) {
  ASSIGN_OR_RETURN(registry::Transaction tx, registry::Transaction::Start(store_.get()));
  for (const PredictionRecord& r : *batch) {
    RETURN_IF_ERROR(store_->Exec(
        "INSERT INTO prediction_log (at_ms, request_id, model, version, alias, arm, shadow, "
        "patient_hash, features, output, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {r.at_ms, r.request_id, r.model, static_cast<int64_t>(r.version), r.alias, r.arm,
         static_cast<int64_t>(r.shadow ? 1 : 0), r.patient_hash, r.features, r.output,
         r.warnings}));
  }
  return tx.Commit();
}

}  // namespace staycast::serve
