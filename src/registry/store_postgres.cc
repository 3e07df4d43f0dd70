// PostgresStore: the registry on a PostgreSQL server over libpq (for a team or several servers).
// Parameters travel as text and `?` placeholders become $1, $2, ...
#include <libpq-fe.h>

#include <cstring>

#include "src/registry/store.h"

namespace staycast::registry {
namespace {

// Removes the password from a URI before it appears in a message.
std::string RedactUri(const std::string& uri) {
  const size_t scheme = uri.find("://");
  const size_t at = uri.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return uri;
  const size_t colon = uri.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon) + ":***" + uri.substr(at);
}

// '?' outside quoted text becomes $N.
std::string NumberPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_quote = false;
  for (char c : sql) {
    if (c == '\'') in_quote = !in_quote;
    if (c == '?' && !in_quote) {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

class PostgresStore final : public Store {
 public:
  PostgresStore(PGconn* conn, std::string location) : conn_(conn), location_(std::move(location)) {}
  ~PostgresStore() override { PQfinish(conn_); }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  const std::string& location() const override { return location_; }
  const std::string& file_path() const override { return empty_; }
  std::string AutoIdColumn() const override { return "BIGSERIAL PRIMARY KEY"; }

  StatusOr<std::vector<SqlRow>> Query(const std::string& sql,
                                      const std::vector<SqlValue>& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const SqlValue& value = params[i];
      if (std::holds_alternative<std::monostate>(value)) continue;
      if (const auto* n = std::get_if<int64_t>(&value)) {
        texts[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&value)) {
        texts[i] = FormatDouble(*d);
      } else {
        texts[i] = std::get<std::string>(value);
      }
      values[i] = texts[i].c_str();
    }
    const std::string numbered = NumberPlaceholders(sql);
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(
        PQexecParams(conn_, numbered.c_str(), static_cast<int>(params.size()), nullptr,
                     values.data(), nullptr, nullptr, 0),
        PQclear);
    RETURN_IF_ERROR(Check(result.get(), sql));
    std::vector<SqlRow> rows;
    const int n_rows = PQntuples(result.get());
    const int n_cols = PQnfields(result.get());
    rows.reserve(static_cast<size_t>(n_rows));
    for (int r = 0; r < n_rows; ++r) {
      SqlRow row(static_cast<size_t>(n_cols));
      for (int c = 0; c < n_cols; ++c) {
        if (PQgetisnull(result.get(), r, c) != 0) continue;
        row[static_cast<size_t>(c)] = std::string(
            PQgetvalue(result.get(), r, c), static_cast<size_t>(PQgetlength(result.get(), r, c)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status ExecScript(const std::string& sql) override {
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(PQexec(conn_, sql.c_str()), PQclear);
    return Check(result.get(), "(schema script)");
  }

  Status Begin() override { return Exec("BEGIN"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return OkStatus();
    return Exec("ROLLBACK");
  }

 private:
  Status Check(PGresult* result, const std::string& sql) const {
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return OkStatus();
    std::string text = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const char* state_field =
        result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string state = state_field != nullptr ? state_field : "";
    const std::string message = location_ + ": " + text + " (in: " + sql + ")";
    if (PQstatus(conn_) != CONNECTION_OK) return UnavailableError(message);
    if (state == "23505") return AlreadyExistsError(message);
    if (state.rfind("23", 0) == 0) return FailedPreconditionError(message);
    if (state == "40001" || state == "40P01" || state == "55P03" || state.rfind("08", 0) == 0) {
      return UnavailableError(message);
    }
    return InternalError(message);
  }

  PGconn* conn_;
  std::string location_;
  std::string empty_;
};

}  // namespace

namespace internal {

StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                   const StoreOptions& /*options*/) {
  const std::string location = RedactUri(uri);
  PGconn* conn = PQconnectdb(uri.c_str());
  if (conn == nullptr) return UnavailableError("registry " + location + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string text = PQerrorMessage(conn);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    PQfinish(conn);
    return UnavailableError("registry " + location + ": cannot connect: " + text);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  auto store = std::make_unique<PostgresStore>(conn, location);
  RETURN_IF_ERROR(store->Exec("SET client_min_messages = warning"));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace internal
}  // namespace staycast::registry
