// Identifier quoting, value checks and the cell-to-Column conversion shared by the SQL backends.
#include "src/data/sql_common.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

namespace staycast::data::sql {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

std::string IntegerText(int64_t v) { return std::to_string(v); }

std::vector<std::string> SplitList(std::string_view text, char separator) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      items.emplace_back(text.substr(start));
      break;
    }
    items.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

}  // namespace

StatusOr<TableName> SplitTableName(const std::string& name) {
  const size_t dot = name.find('.');
  TableName out;
  if (dot == std::string::npos) {
    out.table = name;
  } else {
    out.schema = name.substr(0, dot);
    out.table = name.substr(dot + 1);
  }
  if (out.table.empty() || (dot != std::string::npos && out.schema.empty()) ||
      out.table.find('.') != std::string::npos) {
    return InvalidArgumentError("table name '" + name +
                                "' must be NAME or SCHEMA.NAME with non-empty parts");
  }
  return out;
}

std::string DescribeSource(const std::string& database, const std::string& table,
                           const std::string& query) {
  constexpr size_t kMaxQueryChars = 120;
  if (query.empty()) return database + " table '" + table + "'";
  std::string shown = query.substr(0, kMaxQueryChars);
  for (char& c : shown) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (query.size() > kMaxQueryChars) shown += "...";
  return database + " query \"" + shown + "\"";
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string QuoteTableName(const TableName& name) {
  if (name.schema.empty()) return QuoteIdentifier(name.table);
  return QuoteIdentifier(name.schema) + "." + QuoteIdentifier(name.table);
}

std::string QuoteColumnsTable(const TableName& name) {
  return QuoteTableName({name.schema, kColumnsTable});
}

Status ValidateTableForWrite(const TableName& name) {
  if (name.table == kColumnsTable) {
    return InvalidArgumentError("table name '" + name.table +
                                "' is reserved for Staycast's column types");
  }
  return OkStatus();
}

Status ValidateSchemaForWrite(const Schema& schema) {
  if (schema.fields.empty())
    return InvalidArgumentError("a table to write needs at least a column");
  std::set<std::string> seen;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const std::string& name = schema.fields[i].name;
    if (name.empty()) {
      return InvalidArgumentError("column " + std::to_string(i + 1) + " has an empty name");
    }
    if (name.find('\0') != std::string::npos) {
      return InvalidArgumentError("column " + std::to_string(i + 1) +
                                  " has a NUL character in its name");
    }
    if (!seen.insert(name).second) {
      return InvalidArgumentError("column name '" + name + "' appears twice");
    }
  }
  return OkStatus();
}

Status ValidateChunk(const Table& chunk, size_t first_row, char list_separator) {
  const Timestamp min_time = DaysFromCivil(kMinYear, 1, 1) * kSecondsPerDay;
  const Timestamp max_time = DaysFromCivil(kMaxYear + 1, 1, 1) * kSecondsPerDay - 1;
  for (const Column& col : chunk.columns()) {
    const std::string where = "column '" + col.name() + "' row ";
    if (col.type() == ColumnType::kTimestamp) {
      const std::vector<Timestamp>& ts = col.timestamps();
      for (size_t r = 0; r < ts.size(); ++r) {
        if (ts[r] != kMissingTime && (ts[r] < min_time || ts[r] > max_time)) {
          return InvalidArgumentError(where + std::to_string(first_row + r + 1) +
                                      ": timestamp outside the years 0001..9999");
        }
      }
    } else if (col.type() == ColumnType::kStringList) {
      const std::vector<std::vector<std::string>>& lists = col.lists();
      for (size_t r = 0; r < lists.size(); ++r) {
        for (const std::string& item : lists[r]) {
          if (item.find(list_separator) != std::string::npos) {
            return InvalidArgumentError(where + std::to_string(first_row + r + 1) +
                                        ": a list item contains the list separator '" +
                                        std::string(1, list_separator) + "'");
          }
        }
      }
    }
  }
  return OkStatus();
}

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, result.ptr);
}

bool ParseDouble(std::string_view text, double* out) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  // from_chars does not take a leading '+', which PostgreSQL never writes but people do.
  if (*begin == '+' && text.size() > 1 && begin[1] != '-') ++begin;
  const auto result = std::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
}

bool ParseSqlTimestamp(std::string_view text, Timestamp* out) {
  if (ParseTimestamp(text, out)) return true;
  // PostgreSQL writes whole-hour zones as "+00" or "-05".
  const size_t n = text.size();
  if (n > 3 && (text[n - 3] == '+' || text[n - 3] == '-') &&
      std::isdigit(static_cast<unsigned char>(text[n - 2])) &&
      std::isdigit(static_cast<unsigned char>(text[n - 1]))) {
    return ParseTimestamp(std::string(text) + ":00", out);
  }
  return false;
}

std::string JoinList(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(separator);
    out += items[i];
  }
  return out;
}

ColumnPlan MakeColumnPlan(const std::string& name, std::optional<ColumnType> declared,
                          const std::optional<RecordedType>& recorded, const ReadOptions& options) {
  ColumnPlan plan;
  plan.name = name;
  plan.list_separator = options.list_separator;
  plan.type = declared;
  bool recorded_agrees = false;
  if (recorded.has_value() && declared.has_value()) {
    recorded_agrees = recorded->type == *declared || (recorded->type == ColumnType::kStringList &&
                                                      *declared == ColumnType::kCategorical);
  }
  if (recorded_agrees) {
    plan.type = recorded->type;
    plan.apply_missing_tokens = false;
    if (recorded->type == ColumnType::kStringList) plan.list_separator = recorded->list_separator;
  }
  const auto it = options.type_overrides.find(name);
  if (it != options.type_overrides.end()) plan.type = it->second;
  return plan;
}

ColumnBuilder::ColumnBuilder(ColumnPlan plan, const std::vector<std::string>& missing_tokens)
    : plan_(std::move(plan)),
      missing_tokens_(missing_tokens),
      column_(plan_.name, plan_.type.value_or(ColumnType::kCategorical)) {}

bool ColumnBuilder::IsMissingToken(std::string_view text) const {
  if (!plan_.apply_missing_tokens) return false;
  for (const std::string& token : missing_tokens_) {
    if (token == text) return true;
  }
  return false;
}

Status ColumnBuilder::RowError(const std::string& what) const {
  return InvalidArgumentError("column '" + plan_.name + "' row " + std::to_string(rows_ + 1) +
                              ": " + what);
}

void ColumnBuilder::AddNull() {
  if (plan_.type.has_value()) {
    column_.AppendMissing();
  } else {
    cells_.emplace_back();
  }
  ++rows_;
}

void ColumnBuilder::AppendText(std::string_view text) {
  if (column_.type() == ColumnType::kCategorical) {
    column_.AppendCategory(text);
  } else {
    column_.AppendList(SplitList(text, plan_.list_separator));
  }
}

Status ColumnBuilder::AddText(std::string_view text) {
  if (IsMissingToken(text)) {
    AddNull();
    return OkStatus();
  }
  if (!plan_.type.has_value()) {
    Cell cell;
    double v = 0;
    if (ParseDouble(text, &v)) {
      cell.kind = Cell::Kind::kNumber;
      cell.number = v;
    }
    // Keep the text too: a column with some non-numbers becomes categorical with the text as is.
    if (cell.kind == Cell::Kind::kNull) cell.kind = Cell::Kind::kText;
    cell.text = std::string(text);
    cells_.push_back(std::move(cell));
    ++rows_;
    return OkStatus();
  }
  switch (*plan_.type) {
    case ColumnType::kNumeric: {
      double v = 0;
      if (!ParseDouble(text, &v)) return RowError("expected a number");
      column_.AppendNumeric(v);
      break;
    }
    case ColumnType::kTimestamp: {
      Timestamp t = 0;
      if (!ParseSqlTimestamp(text, &t)) {
        return RowError("expected a date or timestamp (YYYY-MM-DD[ HH:MM:SS])");
      }
      column_.AppendTimestamp(t);
      break;
    }
    case ColumnType::kCategorical:
    case ColumnType::kStringList: AppendText(text); break;
  }
  ++rows_;
  return OkStatus();
}

Status ColumnBuilder::AddInteger(int64_t value) {
  if (!plan_.type.has_value()) {
    Cell cell;
    cell.kind = Cell::Kind::kNumber;
    cell.number = static_cast<double>(value);
    cell.text = IntegerText(value);
    cells_.push_back(std::move(cell));
    ++rows_;
    return OkStatus();
  }
  switch (*plan_.type) {
    case ColumnType::kNumeric: column_.AppendNumeric(static_cast<double>(value)); break;
    // An integer in a timestamp column is taken as seconds since the epoch.
    case ColumnType::kTimestamp: column_.AppendTimestamp(value); break;
    case ColumnType::kCategorical:
    case ColumnType::kStringList: AppendText(IntegerText(value)); break;
  }
  ++rows_;
  return OkStatus();
}

Status ColumnBuilder::AddReal(double value) {
  if (!plan_.type.has_value()) {
    Cell cell;
    cell.kind = Cell::Kind::kNumber;
    cell.number = value;
    cell.text = FormatDouble(value);
    cells_.push_back(std::move(cell));
    ++rows_;
    return OkStatus();
  }
  switch (*plan_.type) {
    case ColumnType::kNumeric: column_.AppendNumeric(value); break;
    case ColumnType::kTimestamp:
      return RowError("expected a date or timestamp (YYYY-MM-DD[ HH:MM:SS]), got a number");
    case ColumnType::kCategorical:
    case ColumnType::kStringList: AppendText(FormatDouble(value)); break;
  }
  ++rows_;
  return OkStatus();
}

StatusOr<Column> ColumnBuilder::Finish() {
  if (plan_.type.has_value()) return std::move(column_);
  // Inference, in the CSV reader's order: all numbers, else all timestamps, else categories. A
  // column with no values at all is numeric (every one of its values is a number).
  bool all_numbers = true;
  bool all_timestamps = true;
  for (const Cell& cell : cells_) {
    if (cell.kind == Cell::Kind::kNull) continue;
    if (cell.kind != Cell::Kind::kNumber) all_numbers = false;
    Timestamp t = 0;
    if (cell.kind != Cell::Kind::kText || !ParseSqlTimestamp(cell.text, &t)) all_timestamps = false;
  }
  const ColumnType type = all_numbers      ? ColumnType::kNumeric
                          : all_timestamps ? ColumnType::kTimestamp
                                           : ColumnType::kCategorical;
  Column out(plan_.name, type);
  out.Reserve(cells_.size());
  for (const Cell& cell : cells_) {
    if (cell.kind == Cell::Kind::kNull) {
      out.AppendMissing();
      continue;
    }
    switch (type) {
      case ColumnType::kNumeric: out.AppendNumeric(cell.number); break;
      case ColumnType::kTimestamp: {
        Timestamp t = 0;
        ParseSqlTimestamp(cell.text, &t);
        out.AppendTimestamp(t);
        break;
      }
      default: out.AppendCategory(cell.text); break;
    }
  }
  cells_.clear();
  return out;
}

Status TransactionalWriter::Write(const Table& chunk) {
  Status status = CheckAndWrite(chunk);
  if (!status.ok()) {
    failed_ = true;
    return status.WithContext(context_);
  }
  rows_written_ += chunk.num_rows();
  return status;
}

Status TransactionalWriter::CheckAndWrite(const Table& chunk) {
  if (failed_ || committed_) {
    return FailedPreconditionError(
        "the writer is finished (an earlier write failed or it was committed)");
  }
  if (chunk.schema() != schema_) {
    return InvalidArgumentError("the chunk's columns differ from the table's");
  }
  RETURN_IF_ERROR(ValidateChunk(chunk, rows_written_, options_.list_separator));
  return WriteRows(chunk);
}

Status TransactionalWriter::Commit() {
  if (committed_) return FailedPreconditionError(context_ + ": already committed");
  if (failed_) {
    return FailedPreconditionError(context_ + ": an earlier write failed; nothing was written");
  }
  Status status = CommitTransaction();
  if (!status.ok()) return status.WithContext(context_);
  committed_ = true;
  return OkStatus();
}

}  // namespace staycast::data::sql
