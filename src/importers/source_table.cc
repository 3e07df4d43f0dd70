// Source CSV reading for the importers: forced column types, required-column checks and typed
// accessors that tolerate whichever type the CSV reader inferred.
#include "src/importers/source_table.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <fstream>
#include <set>

#include "src/core/env.h"
#include "src/data/csv.h"

namespace staycast::importers {

Status RequireDirectory(const std::string& dir, const std::string& what) {
  Env* env = Env::Default();
  if (!env->FileExists(dir)) return NotFoundError(what + " directory '" + dir + "' does not exist");
  if (!env->IsDirectory(dir))
    return InvalidArgumentError("'" + dir + "' is not a directory (" + what + " expected)");
  return OkStatus();
}

Status RequireColumns(const SourceTable& source, const std::vector<SourceColumn>& columns) {
  std::string missing;
  for (const SourceColumn& c : columns) {
    if (source.table.FindColumn(c.name) == nullptr)
      missing += (missing.empty() ? "" : ", ") + c.name;
  }
  if (missing.empty()) return OkStatus();
  return InvalidArgumentError(source.file + ": missing required column(s) " + missing);
}

namespace {

// Checks the header row names every required column before the CSV reader is asked to type them,
// so a missing column gets the importer's message (file and missing names) rather than a reader
// error about a type override.
Status CheckHeader(const std::string& path, const std::string& file,
                   const std::vector<SourceColumn>& columns) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return InvalidArgumentError(path + ": the file is empty; expected a header row");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // BOM
  std::set<std::string> names;
  size_t start = 0;
  while (start <= line.size()) {
    size_t comma = line.find(',', start);
    if (comma == std::string::npos) comma = line.size();
    std::string name = line.substr(start, comma - start);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    names.insert(name);
    start = comma + 1;
  }
  std::string missing;
  for (const SourceColumn& c : columns) {
    if (names.count(c.name) == 0) missing += (missing.empty() ? "" : ", ") + c.name;
  }
  if (missing.empty()) return OkStatus();
  return InvalidArgumentError(file + ": missing required column(s) " + missing + " (in " + path +
                              ")");
}

}  // namespace

StatusOr<SourceTable> ReadSourceCsv(const std::string& dir, const std::string& file,
                                    const std::vector<SourceColumn>& columns,
                                    const std::string& what) {
  Env* env = Env::Default();
  const std::string path = dir + "/" + file;
  if (!env->FileExists(path)) {
    std::string hint;
    if (env->FileExists(path + ".gz"))
      hint = " (found " + file + ".gz: decompress it first, e.g. gunzip -k)";
    return NotFoundError("missing " + path + " (" + what + " has " + file + ")" + hint);
  }
  data::ReadOptions options;
  // Source files carry literal "?" values (e.g. MIMIC's language); only empty text is missing.
  options.missing_tokens = {""};
  for (const SourceColumn& c : columns) options.type_overrides[c.name] = c.type;
  RETURN_IF_ERROR(CheckHeader(path, file, columns));
  StatusOr<data::Table> table = data::ReadCsv(path, options);
  if (!table.ok()) {
    const Status& s = table.status();
    return s.message().find(path) != std::string::npos ? s : s.WithContext("reading " + path);
  }
  SourceTable source{file, std::move(table).value()};
  RETURN_IF_ERROR(RequireColumns(source, columns));
  return source;
}

const data::Column& Col(const SourceTable& source, const std::string& name) {
  return *source.table.FindColumn(name);
}

std::string Where(const SourceTable& source, const data::Column& column, size_t row) {
  return source.file + " line " + std::to_string(row + 2) + ", column '" + column.name() + "'";
}

std::string TextAt(const data::Column& column, size_t row) { return column.ValueAsString(row); }

StatusOr<Timestamp> TimeAt(const SourceTable& source, const data::Column& column, size_t row) {
  if (column.IsMissing(row)) return kMissingTime;
  if (column.type() == data::ColumnType::kTimestamp) return column.timestamps()[row];
  const std::string text = TextAt(column, row);
  Timestamp t = kMissingTime;
  if (!ParseTimestamp(text, &t)) {
    return InvalidArgumentError(Where(source, column, row) +
                                ": expected a date or date-time, got '" + text + "'");
  }
  return t;
}

StatusOr<double> NumberAt(const SourceTable& source, const data::Column& column, size_t row) {
  if (column.IsMissing(row)) return std::nan("");
  if (column.type() == data::ColumnType::kNumeric) return column.numeric()[row];
  const std::string text = TextAt(column, row);
  double v = 0;
  const auto result = fast_float::from_chars(text.data(), text.data() + text.size(), v);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return InvalidArgumentError(Where(source, column, row) + ": expected a number, got '" + text +
                                "'");
  }
  return v;
}

}  // namespace staycast::importers
