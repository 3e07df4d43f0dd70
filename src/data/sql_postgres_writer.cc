// PostgreSQL sink: writes a Table into a table with COPY (text format) inside one transaction,
// recording Staycast's column types beside it; nothing is visible before Commit().
#include <memory>

#include "src/data/sql.h"
#include "src/data/sql_common.h"
#include "src/data/sql_postgres_conn.h"

namespace staycast::data {
namespace {

using sql::TableName;

constexpr size_t kCopyFlushBytes = 1 << 20;

const char* PostgresTypeFor(ColumnType type) {
  switch (type) {
    case ColumnType::kNumeric: return "DOUBLE PRECISION";
    case ColumnType::kTimestamp: return "TIMESTAMP";  // Without time zone; values are UTC.
    case ColumnType::kCategorical:
    case ColumnType::kStringList: return "TEXT";
  }
  return "TEXT";
}

// Whether text is valid UTF-8 without NUL characters, as PostgreSQL text requires.
bool IsStorableText(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// Appends a value to a COPY text-format row, escaping what the format gives a meaning.
void AppendEscaped(std::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: out->push_back(c);
    }
  }
}

Status BadText(const Column& col, size_t row) {
  return InvalidArgumentError("column '" + col.name() + "' row " + std::to_string(row + 1) +
                              ": text is not valid UTF-8 or contains a NUL character");
}

// Writes into one PostgreSQL transaction, begun at Begin() and committed at Commit(). Destroying
// it earlier rolls back.
class PostgresWriter : public sql::TransactionalWriter {
 public:
  PostgresWriter(pg::Conn conn, Schema schema, WriteOptions options, std::string context)
      : TransactionalWriter(std::move(schema), options, std::move(context)),
        conn_(std::move(conn)) {}

  ~PostgresWriter() override {
    if (!committed() && PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) {
      pg::Result(PQexec(conn_.get(), "ROLLBACK"));
    }
  }

  Status Begin(const TableName& name) {
    PGconn* conn = conn_.get();
    table_ = sql::QuoteTableName(name);
    RETURN_IF_ERROR(pg::Exec(conn, "BEGIN", "cannot start a transaction"));
    // Waiting for another session's lock on the table must end, not hang.
    RETURN_IF_ERROR(pg::Exec(conn, "SET LOCAL lock_timeout = '30s'", ""));
    ASSIGN_OR_RETURN(pg::Result existing,
                     pg::Exec(conn, "SELECT relkind FROM pg_class WHERE oid = to_regclass($1)",
                              "cannot look the table up", {table_}));
    if (PQntuples(existing.get()) > 0) {
      const char kind = PQgetvalue(existing.get(), 0, 0)[0];
      if (kind != 'r' && kind != 'p') {
        return FailedPreconditionError("a relation of that name exists that is not a table");
      }
      if (!options().replace) {
        return AlreadyExistsError("the table already exists (set replace to overwrite it)");
      }
      RETURN_IF_ERROR(pg::Exec(conn, "DROP TABLE " + table_, "cannot drop the existing table"));
    }
    std::string create = "CREATE TABLE " + table_ + " (";
    for (size_t i = 0; i < schema().fields.size(); ++i) {
      const Field& f = schema().fields[i];
      create += (i > 0 ? ", " : "") + sql::QuoteIdentifier(f.name) + " " + PostgresTypeFor(f.type);
    }
    RETURN_IF_ERROR(pg::Exec(conn, create + ")", "cannot create the table"));
    const std::string columns_table = sql::QuoteColumnsTable(name);
    RETURN_IF_ERROR(pg::Exec(conn,
                             "CREATE TABLE IF NOT EXISTS " + columns_table +
                                 " (table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
                                 " column_type TEXT NOT NULL, list_separator TEXT,"
                                 " PRIMARY KEY (table_name, column_name))",
                             "cannot create the column-type table"));
    RETURN_IF_ERROR(pg::Exec(conn, "DELETE FROM " + columns_table + " WHERE table_name = $1",
                             "cannot record the column types", {name.table}));
    const std::string separator(1, options().list_separator);
    for (const Field& f : schema().fields) {
      if (!IsStorableText(f.name)) {
        return InvalidArgumentError("a column name is not valid UTF-8");
      }
      RETURN_IF_ERROR(pg::Exec(conn, "INSERT INTO " + columns_table + " VALUES ($1, $2, $3, $4)",
                               "cannot record the column types",
                               {name.table, f.name, ColumnTypeName(f.type), separator}));
    }
    return OkStatus();
  }

  Status CommitTransaction() override {
    return pg::Exec(conn_.get(), "COMMIT", "cannot commit").status();
  }

 private:
  Status WriteRows(const Table& chunk) override {
    // Categories are checked and escaped once per chunk, not once per row.
    std::vector<std::vector<std::string>> escaped(chunk.num_columns());
    for (size_t c = 0; c < chunk.num_columns(); ++c) {
      const Column& col = chunk.column(c);
      if (col.type() != ColumnType::kCategorical) continue;
      std::vector<bool> bad;
      bool any_bad = false;
      for (const std::string& category : col.dictionary()) {
        escaped[c].emplace_back();
        bad.push_back(!IsStorableText(category));
        any_bad = any_bad || bad.back();
        AppendEscaped(category, &escaped[c].back());
      }
      for (size_t r = 0; any_bad && r < col.size(); ++r) {
        if (!col.IsMissing(r) && bad[static_cast<size_t>(col.codes()[r])]) {
          return BadText(col, rows_written() + r);
        }
      }
    }
    PGconn* conn = conn_.get();
    RETURN_IF_ERROR(pg::Exec(conn, "COPY " + table_ + " FROM STDIN", "cannot start COPY"));
    Status status = SendRows(chunk, escaped);
    const int end = PQputCopyEnd(conn, status.ok() ? nullptr : "aborted by Staycast");
    // Drain the results so the connection can run the next statement.
    Status copy_status;
    while (pg::Result result{PQgetResult(conn)}) {
      if (PQresultStatus(result.get()) != PGRES_COMMAND_OK && copy_status.ok()) {
        copy_status = pg::ResultError("COPY failed", conn, result.get());
      }
    }
    RETURN_IF_ERROR(status);
    if (end != 1) return pg::ResultError("COPY failed", conn, nullptr);
    RETURN_IF_ERROR(copy_status);
    return OkStatus();
  }

  Status SendRows(const Table& chunk, const std::vector<std::vector<std::string>>& escaped) {
    std::string buffer;
    buffer.reserve(kCopyFlushBytes + 4096);
    std::string text;
    for (size_t r = 0; r < chunk.num_rows(); ++r) {
      for (size_t c = 0; c < chunk.num_columns(); ++c) {
        const Column& col = chunk.column(c);
        if (c > 0) buffer.push_back('\t');
        if (col.IsMissing(r)) {
          buffer.append("\\N");
          continue;
        }
        switch (col.type()) {
          case ColumnType::kNumeric: buffer += sql::FormatDouble(col.numeric()[r]); break;
          case ColumnType::kTimestamp: buffer += FormatTimestamp(col.timestamps()[r]); break;
          case ColumnType::kCategorical:
            buffer += escaped[c][static_cast<size_t>(col.codes()[r])];
            break;
          case ColumnType::kStringList:
            text = sql::JoinList(col.lists()[r], options().list_separator);
            if (!IsStorableText(text)) return BadText(col, rows_written() + r);
            AppendEscaped(text, &buffer);
            break;
        }
      }
      buffer.push_back('\n');
      if (buffer.size() >= kCopyFlushBytes) RETURN_IF_ERROR(Flush(&buffer));
    }
    return Flush(&buffer);
  }

  Status Flush(std::string* buffer) {
    if (buffer->empty()) return OkStatus();
    if (PQputCopyData(conn_.get(), buffer->data(), static_cast<int>(buffer->size())) != 1) {
      return pg::ResultError("COPY failed", conn_.get(), nullptr);
    }
    buffer->clear();
    return OkStatus();
  }

  pg::Conn conn_;
  std::string table_;  // Quoted.
};

}  // namespace

StatusOr<std::unique_ptr<TableWriter>> OpenPostgresWriter(const Location& location,
                                                          const Schema& schema,
                                                          const WriteOptions& options) {
  const std::string context =
      sql::DescribeSource(pg::RedactUri(location.target), location.table, "");
  Status valid = sql::ValidateSchemaForWrite(schema);
  if (!valid.ok()) return valid.WithContext(context);
  StatusOr<TableName> name = sql::SplitTableName(location.table);
  if (!name.ok()) return name.status().WithContext(context);
  Status writable = sql::ValidateTableForWrite(*name);
  if (!writable.ok()) return writable.WithContext(context);
  StatusOr<pg::Conn> conn = pg::Connect(location.target);
  if (!conn.ok()) return conn.status().WithContext(context);
  auto writer = std::make_unique<PostgresWriter>(std::move(conn).value(), schema, options, context);
  Status begun = writer->Begin(*name);
  if (!begun.ok()) return begun.WithContext(context);  // The writer's destructor rolls back.
  return std::unique_ptr<TableWriter>(std::move(writer));
}

}  // namespace staycast::data
