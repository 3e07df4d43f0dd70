// libpq plumbing for the PostgreSQL source and sink: owned connections and results, a connect that
// cannot hang, statements that return Status, and error messages without passwords or row values.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::data::pg {

struct ConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

// Built-in type OIDs (fixed by PostgreSQL; the server's catalog header is not installed).
inline constexpr Oid kBoolOid = 16;

// The URI with any password replaced by "***", for messages.
std::string RedactUri(const std::string& uri);

// Connects to a libpq URI (connect_timeout 10 s unless the URI sets one) and sets the session up
// for exact round trips: UTC, ISO dates, UTF-8, shortest-exact floats.
StatusOr<Conn> Connect(const std::string& uri);

// A Status for a failed statement: the SQLSTATE decides the code; data errors have quoted parts
// (which may be values) removed. `doing` says what failed ("" when the server message says enough).
Status ResultError(const std::string& doing, PGconn* conn, const PGresult* result);

// Runs a statement with text parameters (one statement only) and checks it succeeded.
StatusOr<Result> Exec(PGconn* conn, const std::string& sql, const std::string& doing,
                      const std::vector<std::string>& params = {});

}  // namespace staycast::data::pg
