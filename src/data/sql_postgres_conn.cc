// libpq connections, statements and error messages for the PostgreSQL source and sink.
#include "src/data/sql_postgres_conn.h"

#include <cstring>

namespace staycast::data::pg {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

// Removes "..." parts of a message: in data errors they quote the offending value.
std::string DropQuoted(const std::string& message) {
  std::string out;
  bool quoted = false;
  for (char c : message) {
    if (c == '"') {
      if (!quoted) out += "(value hidden)";
      quoted = !quoted;
      continue;
    }
    if (!quoted) out.push_back(c);
  }
  return out;
}

}  // namespace

std::string RedactUri(const std::string& uri) {
  std::string out = uri;
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end = out.find_first_of("/?", start);
    const size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  const size_t password = out.find("password=");
  if (password != std::string::npos) {
    const size_t value = password + std::strlen("password=");
    const size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

StatusOr<Conn> Connect(const std::string& uri) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(uri.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error != nullptr ? Trim(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return InvalidArgumentError("not a valid PostgreSQL connection URI: " + why);
  }
  PQconninfoFree(parsed);
  // Keywords apply in order and the URI expands in place of dbname, so the URI may override the
  // timeout while the encoding after it is always UTF-8.
  const char* keywords[] = {"connect_timeout", "dbname", "client_encoding", "application_name",
                            nullptr};
  const char* values[] = {"10", uri.c_str(), "UTF8", "staycast", nullptr};
  Conn conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (conn == nullptr) return InternalError("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    const std::string why = "cannot connect: " + Trim(PQerrorMessage(conn.get()));
    if (why.find("for connection option") != std::string::npos) return InvalidArgumentError(why);
    if (PQconnectionNeedsPassword(conn.get()) != 0) return FailedPreconditionError(why);
    return UnavailableError(why);
  }
  // Server notices ("relation already exists, skipping") are not for the user's terminal.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  Result result(PQexec(conn.get(),
                       "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';"
                       " SET extra_float_digits = 3; SET IntervalStyle = 'iso_8601';"
                       // Table scans in insertion order, even when another scan is running.
                       " SET synchronize_seqscans = off"));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return ResultError("cannot set up the session", conn.get(), result.get());
  }
  return conn;
}

Status ResultError(const std::string& doing, PGconn* conn, const PGresult* result) {
  const char* state_field =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string state = state_field != nullptr ? state_field : "";
  std::string message = primary != nullptr ? primary : Trim(PQerrorMessage(conn));
  const std::string cls = state.substr(0, 2);
  if (cls == "22" || cls == "23") message = DropQuoted(message);
  if (!state.empty()) message += " (SQLSTATE " + state + ")";
  if (!doing.empty()) message = doing + ": " + message;
  if (state == "42P01" || state == "3F000") return NotFoundError(message);
  if (state == "42P07") return AlreadyExistsError(message);
  if (state == "42501") return FailedPreconditionError(message);
  if (state == "25006") return InvalidArgumentError(message + "; the query must only read");
  if (cls == "42" || cls == "22" || cls == "23" || cls == "34")
    return InvalidArgumentError(message);
  if (cls == "08" || cls == "53" || cls == "57" || state == "55P03" || state.empty()) {
    return UnavailableError(message);
  }
  return InternalError(message);
}

StatusOr<Result> Exec(PGconn* conn, const std::string& sql, const std::string& doing,
                      const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  Result result(PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             values.data(), nullptr, nullptr, /*resultFormat=*/0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
    return ResultError(doing, conn, result.get());
  }
  return result;
}

}  // namespace staycast::data::pg
