// PostgreSQL source: reads a table or a query's result into a Table through a cursor, in a
// read-only transaction, chunk by chunk. The writer is in sql_postgres_writer.cc.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "src/data/sql.h"
#include "src/data/sql_common.h"
#include "src/data/sql_postgres_conn.h"

namespace staycast::data {
namespace {

using sql::ColumnBuilder;
using sql::RecordedType;
using sql::TableName;

// The Staycast type of a PostgreSQL result column type; nullopt (infer) for untyped literals.
std::optional<ColumnType> DeclaredType(Oid oid) {
  switch (oid) {
    case pg::kBoolOid:
    case 20:    // int8
    case 21:    // int2
    case 23:    // int4
    case 26:    // oid
    case 700:   // float4
    case 701:   // float8
    case 1700:  // numeric
      return ColumnType::kNumeric;
    case 1082:  // date
    case 1114:  // timestamp
    case 1184:  // timestamptz
      return ColumnType::kTimestamp;
    case 705:  // unknown
      return std::nullopt;
    default:  // text, varchar, char, name, and anything else as its text form
      return ColumnType::kCategorical;
  }
}

StatusOr<std::map<std::string, RecordedType>> ReadRecordedTypes(PGconn* conn,
                                                                const TableName& name) {
  std::map<std::string, RecordedType> out;
  const std::string columns_table = sql::QuoteColumnsTable(name);
  ASSIGN_OR_RETURN(pg::Result exists, pg::Exec(conn, "SELECT to_regclass($1)",
                                               "reading the column types", {columns_table}));
  if (PQgetisnull(exists.get(), 0, 0) != 0) return out;
  ASSIGN_OR_RETURN(pg::Result rows,
                   pg::Exec(conn,
                            "SELECT column_name, column_type, list_separator FROM " +
                                columns_table + " WHERE table_name = $1",
                            "reading the column types", {name.table}));
  for (int r = 0; r < PQntuples(rows.get()); ++r) {
    StatusOr<ColumnType> type = ParseColumnType(PQgetvalue(rows.get(), r, 1));
    if (!type.ok()) continue;  // Written by a newer Staycast or by hand: fall back to SQL types.
    const char* sep = PQgetvalue(rows.get(), r, 2);
    out[PQgetvalue(rows.get(), r, 0)] = {*type, sep[0] != '\0' ? sep[0] : ';'};
  }
  return out;
}

// A user's query without trailing semicolons, so that it can follow DECLARE ... FOR.
std::string StripQuery(std::string query) {
  while (!query.empty() &&
         (query.back() == ';' || std::isspace(static_cast<unsigned char>(query.back())))) {
    query.pop_back();
  }
  return query;
}

// The recorded Staycast type of each result column that is a plain reference to a table column,
// so that a query over a table Staycast wrote gives the same types as reading the table.
StatusOr<std::vector<std::optional<RecordedType>>> RecordedTypesOfResult(PGconn* conn,
                                                                         const PGresult* result) {
  const int n = PQnfields(result);
  std::vector<std::optional<RecordedType>> out(static_cast<size_t>(n));
  std::set<Oid> tables;
  for (int c = 0; c < n; ++c) {
    if (PQftable(result, c) != InvalidOid) tables.insert(PQftable(result, c));
  }
  if (tables.empty()) return out;
  std::string oids = "{";
  for (Oid oid : tables) oids += (oids.size() > 1 ? "," : "") + std::to_string(oid);
  oids += "}";
  ASSIGN_OR_RETURN(
      pg::Result names,
      pg::Exec(conn,
               "SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname FROM pg_class c"
               " JOIN pg_namespace n ON n.oid = c.relnamespace"
               " JOIN pg_attribute a ON a.attrelid = c.oid"
               " WHERE c.oid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped",
               "reading the column types", {oids}));
  // (table oid, column number) -> (schema, table, column)
  std::map<std::pair<Oid, int>, std::tuple<std::string, std::string, std::string>> origin;
  for (int r = 0; r < PQntuples(names.get()); ++r) {
    const auto oid = static_cast<Oid>(std::strtoul(PQgetvalue(names.get(), r, 0), nullptr, 10));
    const int attnum = std::atoi(PQgetvalue(names.get(), r, 3));
    origin[{oid, attnum}] = {PQgetvalue(names.get(), r, 1), PQgetvalue(names.get(), r, 2),
                             PQgetvalue(names.get(), r, 4)};
  }
  std::map<std::pair<std::string, std::string>, std::map<std::string, RecordedType>> by_table;
  for (int c = 0; c < n; ++c) {
    const auto it = origin.find({PQftable(result, c), PQftablecol(result, c)});
    if (it == origin.end()) continue;
    const auto& [schema, table, column] = it->second;
    auto recorded = by_table.find({schema, table});
    if (recorded == by_table.end()) {
      ASSIGN_OR_RETURN(auto types, ReadRecordedTypes(conn, TableName{schema, table}));
      recorded = by_table.emplace(std::make_pair(schema, table), std::move(types)).first;
    }
    const auto found = recorded->second.find(column);
    if (found != recorded->second.end()) out[static_cast<size_t>(c)] = found->second;
  }
  return out;
}

// Reads the cursor's rows, chunk by chunk, into column builders.
class CursorReader {
 public:
  CursorReader(PGconn* conn, const ReadOptions& options) : conn_(conn), options_(options) {}

  Status AddChunk(const PGresult* result) {
    const int ncols = PQnfields(result);
    if (builders_.empty() && ncols > 0) RETURN_IF_ERROR(Start(result));
    for (int r = 0; r < PQntuples(result); ++r) {
      for (int c = 0; c < ncols; ++c) {
        ColumnBuilder& b = builders_[static_cast<size_t>(c)];
        if (PQgetisnull(result, r, c) != 0) {
          b.AddNull();
          continue;
        }
        const char* value = PQgetvalue(result, r, c);
        if (bool_as_number_[static_cast<size_t>(c)]) {
          RETURN_IF_ERROR(b.AddReal(value[0] == 't' ? 1.0 : 0.0));
        } else {
          RETURN_IF_ERROR(
              b.AddText(std::string_view(value, static_cast<size_t>(PQgetlength(result, r, c)))));
        }
      }
    }
    return OkStatus();
  }

  StatusOr<Table> Finish() {
    Table table;
    for (ColumnBuilder& b : builders_) {
      ASSIGN_OR_RETURN(Column column, b.Finish());
      const std::string name = column.name();
      if (!table.AddColumn(std::move(column)).ok()) {
        return InvalidArgumentError("the result has two columns named '" + name +
                                    "'; rename one with AS");
      }
    }
    return table;
  }

 private:
  // Plans the columns from the first chunk's description.
  Status Start(const PGresult* result) {
    ASSIGN_OR_RETURN(std::vector<std::optional<RecordedType>> recorded,
                     RecordedTypesOfResult(conn_, result));
    for (int c = 0; c < PQnfields(result); ++c) {
      const Oid oid = PQftype(result, c);
      sql::ColumnPlan plan = sql::MakeColumnPlan(PQfname(result, c), DeclaredType(oid),
                                                 recorded[static_cast<size_t>(c)], options_);
      bool_as_number_.push_back(oid == pg::kBoolOid && plan.type == ColumnType::kNumeric);
      builders_.emplace_back(std::move(plan), options_.missing_tokens);
    }
    return OkStatus();
  }

  PGconn* conn_;
  const ReadOptions& options_;
  std::vector<ColumnBuilder> builders_;
  std::vector<bool> bool_as_number_;
};

StatusOr<Table> ReadPostgresImpl(const Location& location, const ReadOptions& options) {
  ASSIGN_OR_RETURN(pg::Conn conn, pg::Connect(location.target));
  // Read-only: a query cannot change the database, and the column types and rows come from one
  // snapshot.
  RETURN_IF_ERROR(pg::Exec(conn.get(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ""));
  std::string query = StripQuery(options.query);
  if (options.query.empty()) {
    ASSIGN_OR_RETURN(TableName name, sql::SplitTableName(location.table));
    query = "SELECT * FROM " + sql::QuoteTableName(name);
  } else if (query.empty()) {
    return InvalidArgumentError("the query is empty");
  }
  RETURN_IF_ERROR(pg::Exec(conn.get(), "DECLARE staycast_read NO SCROLL CURSOR FOR " + query, ""));
  const size_t chunk = std::max<size_t>(options.chunk_rows, 1);
  const std::string fetch = "FETCH FORWARD " + std::to_string(chunk) + " FROM staycast_read";
  CursorReader reader(conn.get(), options);
  while (true) {
    ASSIGN_OR_RETURN(pg::Result result, pg::Exec(conn.get(), fetch, "reading rows"));
    RETURN_IF_ERROR(reader.AddChunk(result.get()));
    if (static_cast<size_t>(PQntuples(result.get())) < chunk) break;
  }
  RETURN_IF_ERROR(pg::Exec(conn.get(), "COMMIT", ""));
  return reader.Finish();
}

}  // namespace

StatusOr<Table> ReadPostgres(const Location& location, const ReadOptions& options) {
  StatusOr<Table> table = ReadPostgresImpl(location, options);
  if (!table.ok()) {
    return table.status().WithContext(
        sql::DescribeSource(pg::RedactUri(location.target), location.table, options.query));
  }
  return table;
}

}  // namespace staycast::data
