// Location parsing and dispatch from a location string to the CSV, SQLite or PostgreSQL
// implementation.
#include "src/data/io.h"

#include <cctype>

#include "src/data/csv.h"
#include "src/data/sql.h"

namespace staycast::data {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Splits "base?table=x&other=y" into base, the table name, and the remaining parameters.
Status SplitTableParameter(const std::string& uri, std::string* base, std::string* table) {
  const size_t q = uri.find('?');
  if (q == std::string::npos) {
    *base = uri;
    return OkStatus();
  }
  *base = uri.substr(0, q);
  std::string rest;
  size_t pos = q + 1;
  while (pos <= uri.size()) {
    size_t amp = uri.find('&', pos);
    if (amp == std::string::npos) amp = uri.size();
    const std::string param = uri.substr(pos, amp - pos);
    if (StartsWith(param, "table=")) {
      *table = param.substr(6);
    } else if (!param.empty()) {
      rest += (rest.empty() ? "" : "&") + param;
    }
    pos = amp + 1;
  }
  if (!rest.empty()) *base += "?" + rest;
  return OkStatus();
}

bool IsSafeIdentifier(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace

StatusOr<Location> ParseLocation(const std::string& uri) {
  Location loc;
  if (uri.empty())
    return InvalidArgumentError(
        "empty data location; expected a CSV path, sqlite:FILE?table=NAME or "
        "postgresql://...?table=NAME");
  if (StartsWith(uri, "sqlite:")) {
    loc.kind = LocationKind::kSqlite;
    RETURN_IF_ERROR(SplitTableParameter(uri.substr(7), &loc.target, &loc.table));
  } else if (StartsWith(uri, "postgresql://") || StartsWith(uri, "postgres://")) {
    loc.kind = LocationKind::kPostgres;
    RETURN_IF_ERROR(SplitTableParameter(uri, &loc.target, &loc.table));
  } else {
    loc.kind = LocationKind::kCsv;
    loc.target = StartsWith(uri, "csv:") ? uri.substr(4) : uri;
    if (loc.target.empty()) return InvalidArgumentError("'" + uri + "': missing CSV file path");
    return loc;
  }
  if (loc.target.empty()) return InvalidArgumentError("'" + uri + "': missing database");
  if (!loc.table.empty() && !IsSafeIdentifier(loc.table)) {
    return InvalidArgumentError("'" + uri + "': table name '" + loc.table +
                                "' may only contain letters, digits, '_' and '.'");
  }
  return loc;
}

StatusOr<Table> ReadTable(const std::string& uri, const ReadOptions& options) {
  ASSIGN_OR_RETURN(Location loc, ParseLocation(uri));
  if (loc.kind != LocationKind::kCsv && loc.table.empty() && options.query.empty()) {
    return InvalidArgumentError("'" + uri + "': name a table with ?table=NAME or give a query");
  }
  switch (loc.kind) {
    case LocationKind::kCsv: return ReadCsv(loc.target, options);
    case LocationKind::kSqlite: return ReadSqlite(loc, options);
    case LocationKind::kPostgres: return ReadPostgres(loc, options);
  }
  return InternalError("unknown location kind");
}

StatusOr<std::unique_ptr<TableWriter>> OpenTableWriter(const std::string& uri, const Schema& schema,
                                                       const WriteOptions& options) {
  ASSIGN_OR_RETURN(Location loc, ParseLocation(uri));
  if (loc.kind != LocationKind::kCsv && loc.table.empty()) {
    return InvalidArgumentError("'" + uri + "': name the table to write with ?table=NAME");
  }
  switch (loc.kind) {
    case LocationKind::kCsv: return OpenCsvWriter(loc.target, schema, options);
    case LocationKind::kSqlite: return OpenSqliteWriter(loc, schema, options);
    case LocationKind::kPostgres: return OpenPostgresWriter(loc, schema, options);
  }
  return InternalError("unknown location kind");
}

Status WriteTable(const Table& table, const std::string& uri, const WriteOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<TableWriter> writer,
                   OpenTableWriter(uri, table.schema(), options));
  RETURN_IF_ERROR(writer->Write(table));
  return writer->Commit();
}

}  // namespace staycast::data
