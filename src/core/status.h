// Status and StatusOr<T>: the error vocabulary used at every module boundary in Staycast.
// A Status carries a small fixed code (mapped to exit codes and HTTP statuses) and a message with
// context.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace staycast {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kFailedPrecondition,
  kAlreadyExists,
  kDataLoss,
  kUnavailable,
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message", or "OK".
  std::string ToString() const;
  // Returns a copy whose message is "context: message"; OK stays OK.
  Status WithContext(const std::string& context) const;
  // Marks a Status as deliberately dropped.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status AlreadyExistsError(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status DataLossError(std::string m) { return Status(StatusCode::kDataLoss, std::move(m)); }
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// Process exit code for a status: 0 for OK, 2 for bad input, 3 for missing things, and so on.
int ExitCodeFor(const Status& status);

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : status_(status) {  // NOLINT: implicit by design
    if (status_.ok())
      status_ = InternalError("StatusOr constructed from an OK status without a value");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

namespace internal {
inline Status GetStatus(const Status& s) { return s; }
template <typename T>
Status GetStatus(const StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

}  // namespace staycast

#define STAYCAST_CONCAT_INNER(a, b) a##b
#define STAYCAST_CONCAT(a, b) STAYCAST_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                                                    \
  do {                                                                           \
    ::staycast::Status staycast_status_ = ::staycast::internal::GetStatus(expr); \
    if (!staycast_status_.ok()) return staycast_status_;                         \
  } while (0)

// NOLINTBEGIN(bugprone-macro-parentheses): lhs is a declaration, tmp a name.
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(STAYCAST_CONCAT(staycast_statusor_, __LINE__), lhs, expr)
// NOLINTEND(bugprone-macro-parentheses)
