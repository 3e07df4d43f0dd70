// Store URI dispatch, the default registry location, transactions and result-cell conversions.
#include "src/registry/store.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace staycast::registry {

std::string DefaultRegistryUri() {
  if (const char* uri = std::getenv("STAYCAST_REGISTRY"); uri != nullptr && *uri != '\0') {
    return uri;
  }
  if (const char* home = std::getenv("STAYCAST_HOME"); home != nullptr && *home != '\0') {
    return std::string("sqlite:") + home + "/staycast.db";
  }
  return "sqlite:./staycast.db";
}

StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& uri, const StoreOptions& options) {
  const std::string target = uri.empty() ? DefaultRegistryUri() : uri;
  if (target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0) {
    return internal::OpenPostgresStore(target, options);
  }
  std::string path = target;
  if (path.rfind("sqlite://", 0) == 0) {
    path = path.substr(9);
  } else if (path.rfind("sqlite:", 0) == 0) {
    path = path.substr(7);
  } else if (path.find("://") != std::string::npos) {
    return InvalidArgumentError("registry '" + target +
                                "': unknown scheme; expected sqlite:PATH, a file path or "
                                "postgresql://...");
  }
  if (path.empty()) return InvalidArgumentError("registry '" + target + "': empty database path");
  return internal::OpenSqliteStore(path, options);
}

StatusOr<Transaction> Transaction::Start(Store* store) {
  RETURN_IF_ERROR(store->Begin());
  return Transaction(store);
}

Transaction::~Transaction() {
  if (store_ != nullptr) store_->Rollback().IgnoreError();
}

Status Transaction::Commit() {
  if (store_ == nullptr) return FailedPreconditionError("transaction already finished");
  Store* store = store_;
  store_ = nullptr;
  Status status = store->Commit();
  if (!status.ok()) store->Rollback().IgnoreError();
  return status;
}

StatusOr<int64_t> CellInt(const SqlRow& row, size_t column, const char* name) {
  if (column >= row.size() || !row[column].has_value()) {
    return DataLossError(std::string("registry: column ") + name + " is NULL");
  }
  const std::string& text = *row[column];
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return DataLossError(std::string("registry: column ") + name + " holds '" + text +
                         "', expected an integer");
  }
  return value;
}

std::optional<int64_t> CellOptionalInt(const SqlRow& row, size_t column) {
  if (column >= row.size() || !row[column].has_value()) return std::nullopt;
  StatusOr<int64_t> value = CellInt(row, column, "");
  if (!value.ok()) return std::nullopt;
  return *value;
}

StatusOr<double> CellDouble(const SqlRow& row, size_t column, const char* name) {
  if (column >= row.size() || !row[column].has_value()) {
    return DataLossError(std::string("registry: column ") + name + " is NULL");
  }
  const std::string& text = *row[column];
  if (text == "NaN" || text == "nan") return std::nan("");
  if (text == "Infinity" || text == "inf") return HUGE_VAL;
  if (text == "-Infinity" || text == "-inf") return -HUGE_VAL;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return DataLossError(std::string("registry: column ") + name + " holds '" + text +
                         "', expected a number");
  }
  return value;
}

std::string CellText(const SqlRow& row, size_t column) {
  if (column >= row.size() || !row[column].has_value()) return "";
  return *row[column];
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, ptr);
}

}  // namespace staycast::registry
