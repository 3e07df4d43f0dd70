// ReadCsv and CsvChunkReader: the header, the row loop that feeds each field to its column builder,
// and the second pass for columns whose inferred type turned out wrong.
#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "src/core/env.h"
#include "src/data/csv.h"
#include "src/data/csv_column_builder.h"
#include "src/data/csv_tokenizer.h"

namespace staycast::data {

using internal::ColumnBuilder;
using internal::CsvMark;
using internal::CsvTokenizer;
using internal::MissingTokens;

namespace {

constexpr size_t kMaxQuotedValueBytes = 60;
constexpr size_t kAllRows = std::numeric_limits<size_t>::max();
constexpr size_t kSampleRows = 1000;
constexpr double kReserveSlack = 1.05;

// A value as shown in an error message: quoted, control characters escaped, long values cut.
std::string QuoteValue(std::string_view v) {
  std::string out = "\"";
  size_t n = std::min(v.size(), kMaxQuotedValueBytes);
  while (n < v.size() && n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  for (size_t i = 0; i < n; ++i) {
    const char c = v[i];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "?";
    } else {
      out.push_back(c);
    }
  }
  out += n < v.size() ? "...\"" : "\"";
  return out;
}

// Reads the header row and makes one builder per column (fixed type for overrides).
StatusOr<std::vector<ColumnBuilder>> ReadHeader(CsvTokenizer& tokenizer,
                                                const ReadOptions& options) {
  const std::string& path = tokenizer.path();
  ASSIGN_OR_RETURN(const bool any, tokenizer.NextRecord());
  if (!any) return InvalidArgumentError(path + ": the file is empty; expected a header row");
  const std::string where = path + ":" + std::to_string(tokenizer.record_line()) + ": ";
  std::vector<std::string> names;
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < tokenizer.num_fields(); ++i) names.emplace_back(tokenizer.field(i));
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return InvalidArgumentError(where + "column " + std::to_string(i + 1) +
                                  " of the header has an empty name; every column needs a name");
    }
    const auto [it, inserted] = index.emplace(names[i], i);
    if (!inserted) {
      return InvalidArgumentError(where + "column " + std::to_string(i + 1) +
                                  " of the header repeats the name '" + names[i] + "' of column " +
                                  std::to_string(it->second + 1));
    }
  }
  for (const auto& [name, type] : options.type_overrides) {
    if (index.count(name) == 0 && !options.ignore_absent_overrides) {
      std::string have;
      for (const std::string& n : names) have += (have.empty() ? "" : ", ") + n;
      return InvalidArgumentError(path + ": type override for column '" + name +
                                  "', but the file has no such column (columns: " + have + ")");
    }
  }
  std::vector<ColumnBuilder> builders;
  builders.reserve(names.size());
  for (const std::string& name : names) {
    const auto it = options.type_overrides.find(name);
    builders.emplace_back(
        name,
        it == options.type_overrides.end() ? std::nullopt : std::optional<ColumnType>(it->second),
        options.list_separator);
  }
  tokenizer.set_column_names(std::move(names));
  return builders;
}

Status MismatchError(const CsvTokenizer& tokenizer, size_t column, const ColumnBuilder& builder,
                     std::string_view value, size_t chunk_rows) {
  std::string message = tokenizer.path() + ":" + std::to_string(tokenizer.FieldLine(column)) +
                        ": " + tokenizer.ColumnLabel(column) + ": expected " + builder.Expected() +
                        ", got " + QuoteValue(value);
  if (builder.type_from_prefix()) {
    message += " (the column's type was inferred from the first " + std::to_string(chunk_rows) +
               " rows; give column '" + builder.name() +
               "' a type override, e.g. categorical, to read it as text)";
  }
  return InvalidArgumentError(message);
}

// Reads up to max_rows records into the builders, stopping before a record that starts at or
// after end_offset; *rows is how many were read.
Status ReadRows(CsvTokenizer& tokenizer, std::vector<ColumnBuilder>& builders,
                const MissingTokens& missing, size_t max_rows, size_t chunk_rows, size_t* rows,
                uint64_t end_offset = std::numeric_limits<uint64_t>::max()) {
  const size_t num_columns = builders.size();
  size_t n = 0;
  while (n < max_rows && tokenizer.Tell().offset < end_offset) {
    ASSIGN_OR_RETURN(const bool more, tokenizer.NextRecord());
    if (!more) break;
    if (tokenizer.num_fields() != num_columns) {
      const size_t found = tokenizer.num_fields();
      return InvalidArgumentError(
          tokenizer.path() + ":" + std::to_string(tokenizer.record_line()) + ": expected " +
          std::to_string(num_columns) + " fields (as in the header), found " +
          std::to_string(found) +
          (found > num_columns ? "; is a value containing the delimiter left unquoted?" : ""));
    }
    for (size_t c = 0; c < num_columns; ++c) {
      const std::string_view value = tokenizer.field(c);
      ColumnBuilder& builder = builders[c];
      if (missing.Contains(value)) {
        builder.AppendMissing();
      } else if (!builder.Append(value)) {
        return MismatchError(tokenizer, c, builder, value, chunk_rows);
      }
    }
    ++n;
  }
  *rows = n;
  return OkStatus();
}

// When some columns gave up their inferred type, reads the same rows again for those columns only
// (as categorical), keeping what the other columns already built.
Status RereadDemoted(CsvTokenizer& tokenizer, const CsvMark& start,
                     std::vector<ColumnBuilder>& builders, const MissingTokens& missing,
                     size_t max_rows, size_t chunk_rows, size_t rows) {
  if (std::none_of(builders.begin(), builders.end(),
                   [](const ColumnBuilder& b) { return b.demoted(); })) {
    return OkStatus();
  }
  for (ColumnBuilder& b : builders) {
    if (b.demoted()) {
      b.FixType(/*from_prefix=*/false);
    } else {
      b.set_skip(true);
    }
  }
  RETURN_IF_ERROR(tokenizer.Seek(start));
  size_t again = 0;
  RETURN_IF_ERROR(ReadRows(tokenizer, builders, missing, max_rows, chunk_rows, &again));
  if (again != rows) {
    return DataLossError(tokenizer.path() + ": the file changed while it was being read");
  }
  for (ColumnBuilder& b : builders) b.set_skip(false);
  return OkStatus();
}

StatusOr<Table> BuildTable(std::vector<ColumnBuilder>& builders) {
  Table table;
  for (ColumnBuilder& b : builders) {
    ASSIGN_OR_RETURN(Column column, b.Finish());
    RETURN_IF_ERROR(table.AddColumn(std::move(column)));
  }
  return table;
}

// The second part of a file read on two threads: its own tokenizer and builders.
struct SecondPart {
  Status status;
  std::unique_ptr<CsvTokenizer> tokenizer;
  std::vector<ColumnBuilder> builders;
  size_t rows = 0;
};

// Reads the records from `split` to the end of the file into fresh builders made like `like`.
void ReadSecondPart(const std::string& path, const ReadOptions& options, size_t block_bytes,
                    const CsvMark& split, const std::vector<ColumnBuilder>& like,
                    const std::vector<std::string>& names, const MissingTokens& missing,
                    size_t reserve, SecondPart* part) {
  StatusOr<std::unique_ptr<CsvTokenizer>> tokenizer =
      CsvTokenizer::Open(path, options.delimiter, block_bytes);
  if (!tokenizer.ok()) {
    part->status = tokenizer.status();
    return;
  }
  part->tokenizer = *std::move(tokenizer);
  part->tokenizer->set_column_names(names);
  part->status = part->tokenizer->Seek(split);
  if (!part->status.ok()) return;
  for (const ColumnBuilder& b : like) {
    const auto it = options.type_overrides.find(b.name());
    part->builders.emplace_back(
        b.name(),
        it == options.type_overrides.end() ? std::nullopt : std::optional<ColumnType>(it->second),
        options.list_separator);
    part->builders.back().Reserve(reserve);
  }
  part->status =
      ReadRows(*part->tokenizer, part->builders, missing, kAllRows, kAllRows, &part->rows);
}

// The table of both parts: each column of the first part followed by the same column of the
// second, the columns merged on two threads (re-interning a column of distinct ids dominates).
StatusOr<Table> MergeParts(std::vector<ColumnBuilder>& first, std::vector<ColumnBuilder>& second) {
  const size_t n = first.size();
  std::vector<std::optional<Column>> columns(n);
  std::vector<Status> errors(n);
  std::atomic<size_t> next{0};
  const auto merge = [&] {
    for (size_t c = next++; c < n; c = next++) {
      StatusOr<Column> a = first[c].Finish();
      StatusOr<Column> b = second[c].Finish();
      if (!a.ok() || !b.ok()) {
        errors[c] = !a.ok() ? a.status() : b.status();
        continue;
      }
      a->AppendAllFrom(*std::move(b));
      columns[c].emplace(*std::move(a));
    }
  };
  std::thread helper(merge);
  merge();
  helper.join();
  Table table;
  for (size_t c = 0; c < n; ++c) {
    RETURN_IF_ERROR(errors[c]);
    RETURN_IF_ERROR(table.AddColumn(*std::move(columns[c])));
  }
  return table;
}

// Whether two parts' builders give columns of the same types, none of them needing a second pass.
bool PartsAgree(const std::vector<ColumnBuilder>& a, const std::vector<ColumnBuilder>& b) {
  for (size_t c = 0; c < a.size(); ++c) {
    if (a[c].demoted() || b[c].demoted() || a[c].type() != b[c].type()) return false;
  }
  return true;
}

}  // namespace

StatusOr<Table> ReadCsv(const std::string& path, const ReadOptions& options) {
  return ReadCsv(path, options, kCsvBlockBytes);
}

StatusOr<Table> ReadCsv(const std::string& path, const ReadOptions& options, size_t block_bytes,
                        CsvReadStats* stats) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvTokenizer> tokenizer,
                   CsvTokenizer::Open(path, options.delimiter, block_bytes));
  ASSIGN_OR_RETURN(std::vector<ColumnBuilder> builders, ReadHeader(*tokenizer, options));
  const MissingTokens missing(options.missing_tokens);
  const CsvMark start = tokenizer->Tell();
  // Read a sample, then reserve room for the rows the file's size suggests: growing column vectors
  // one doubling at a time costs copies and page faults.
  size_t rows = 0;
  RETURN_IF_ERROR(ReadRows(*tokenizer, builders, missing, kSampleRows, kAllRows, &rows));
  const uint64_t sample_bytes = tokenizer->Tell().offset - start.offset;
  const StatusOr<uint64_t> file_bytes = Env::Default()->FileSize(path);
  if (rows == kSampleRows && sample_bytes > 0 && file_bytes.ok()) {
    const double estimate = static_cast<double>(*file_bytes - start.offset) /
                            static_cast<double>(sample_bytes) * kSampleRows * kReserveSlack;
    for (ColumnBuilder& b : builders) b.Reserve(static_cast<size_t>(estimate));
  }
  const CsvMark after_sample = tokenizer->Tell();
  if (options.threads > 1 && rows == kSampleRows && file_bytes.ok() &&
      *file_bytes - after_sample.offset >= options.parallel_min_bytes) {
    // The rest in two parts, the second on another thread from a record boundary near the middle.
    // The split is trusted only when this thread's tokenizer, reading on from the sample, stops
    // exactly there (same byte, same line): then the second part parsed what a single reader
    // would have. Otherwise, or when the parts disagree on a column's type, this thread reads on
    // alone and the second part is dropped.
    ASSIGN_OR_RETURN(const std::optional<CsvMark> split,
                     internal::FindRecordSplit(path, after_sample, *file_bytes));
    if (split.has_value()) {
      SecondPart second;
      std::vector<std::string> names;
      names.reserve(builders.size());
      for (const ColumnBuilder& b : builders) names.push_back(b.name());
      const size_t reserve = static_cast<size_t>(
          static_cast<double>(*file_bytes - split->offset) /
          static_cast<double>(std::max<uint64_t>(sample_bytes, 1)) * kSampleRows * kReserveSlack);
      std::thread reader(ReadSecondPart, std::cref(path), std::cref(options), block_bytes,
                         std::cref(*split), std::cref(builders), std::cref(names),
                         std::cref(missing), reserve, &second);
      size_t first_rows = 0;
      const Status first =
          ReadRows(*tokenizer, builders, missing, kAllRows, kAllRows, &first_rows, split->offset);
      reader.join();
      RETURN_IF_ERROR(first);
      rows += first_rows;
      const CsvMark stopped = tokenizer->Tell();
      if (stopped.offset == split->offset && stopped.line == split->line) {
        RETURN_IF_ERROR(second.status);  // a real error: the first part had none before it
        if (PartsAgree(builders, second.builders)) {
          ASSIGN_OR_RETURN(Table table, MergeParts(builders, second.builders));
          if (stats != nullptr) stats->parts = 2;
          return table;
        }
      }
    }
  }
  size_t more_rows = 0;
  RETURN_IF_ERROR(ReadRows(*tokenizer, builders, missing, kAllRows, kAllRows, &more_rows));
  rows += more_rows;
  RETURN_IF_ERROR(RereadDemoted(*tokenizer, start, builders, missing, kAllRows, kAllRows, rows));
  return BuildTable(builders);
}

struct CsvChunkReader::State {
  std::unique_ptr<CsvTokenizer> tokenizer;
  std::vector<ColumnBuilder> builders;
  MissingTokens missing;
  size_t chunk_rows;
  Schema schema;
  std::optional<Table> pending;
};

CsvChunkReader::CsvChunkReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
CsvChunkReader::~CsvChunkReader() = default;

const Schema& CsvChunkReader::schema() const { return state_->schema; }

StatusOr<std::unique_ptr<CsvChunkReader>> CsvChunkReader::Open(const std::string& path,
                                                               const ReadOptions& options,
                                                               size_t block_bytes) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvTokenizer> tokenizer,
                   CsvTokenizer::Open(path, options.delimiter, block_bytes));
  ASSIGN_OR_RETURN(std::vector<ColumnBuilder> builders, ReadHeader(*tokenizer, options));
  auto state = std::make_unique<State>(State{std::move(tokenizer),
                                             std::move(builders),
                                             MissingTokens(options.missing_tokens),
                                             std::max<size_t>(options.chunk_rows, 1),
                                             {},
                                             {}});
  // The first chunk decides the types; it is kept to be returned by the first Next().
  const CsvMark start = state->tokenizer->Tell();
  size_t rows = 0;
  RETURN_IF_ERROR(ReadRows(*state->tokenizer, state->builders, state->missing, state->chunk_rows,
                           state->chunk_rows, &rows));
  RETURN_IF_ERROR(RereadDemoted(*state->tokenizer, start, state->builders, state->missing,
                                state->chunk_rows, state->chunk_rows, rows));
  for (ColumnBuilder& b : state->builders) {
    if (b.inferring()) b.FixType(/*from_prefix=*/true);
  }
  ASSIGN_OR_RETURN(Table first, BuildTable(state->builders));
  state->schema = first.schema();
  if (rows > 0) state->pending = std::move(first);
  return std::unique_ptr<CsvChunkReader>(new CsvChunkReader(std::move(state)));
}

StatusOr<bool> CsvChunkReader::Next(Table* chunk) {
  State& s = *state_;
  if (s.pending.has_value()) {
    *chunk = std::move(*s.pending);
    s.pending.reset();
    return true;
  }
  for (ColumnBuilder& b : s.builders) b.Reserve(s.chunk_rows);
  size_t rows = 0;
  RETURN_IF_ERROR(ReadRows(*s.tokenizer, s.builders, s.missing, s.chunk_rows, s.chunk_rows, &rows));
  ASSIGN_OR_RETURN(*chunk, BuildTable(s.builders));
  return rows > 0;
}

}  // namespace staycast::data
