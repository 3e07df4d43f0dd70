// ReadCsv and CsvChunkReader: the header, the row loop that feeds each field to its column builder,
// and the second pass for columns whose inferred type turned out wrong.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "src/core/env.h"
#include "src/core/parallel.h"
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

// The second part of a file read on two threads: its own tokenizer and builders. `opened` is
// false when the file could not be opened or positioned again (the caller then reads on alone).
struct SecondPart {
  bool opened = false;
  Status status;
  std::unique_ptr<CsvTokenizer> tokenizer;
  std::vector<ColumnBuilder> builders;
  size_t rows = 0;
};

// Reads the records from `split` to the end of the file into fresh builders made like `like`.
void ReadSecondPart(const std::string& path, const ReadOptions& options, size_t block_bytes,
                    const CsvMark& split, const std::vector<ColumnBuilder>& like,
                    const MissingTokens& missing, size_t reserve, SecondPart* part) {
  StatusOr<std::unique_ptr<CsvTokenizer>> tokenizer =
      CsvTokenizer::Open(path, options.delimiter, block_bytes);
  if (!tokenizer.ok() || !(*tokenizer)->Seek(split).ok()) return;
  part->opened = true;
  part->tokenizer = *std::move(tokenizer);
  std::vector<std::string> names;
  names.reserve(like.size());
  for (const ColumnBuilder& b : like) {
    names.push_back(b.name());
    const auto it = options.type_overrides.find(b.name());
    part->builders.emplace_back(
        b.name(),
        it == options.type_overrides.end() ? std::nullopt : std::optional<ColumnType>(it->second),
        options.list_separator);
    part->builders.back().Reserve(reserve);
  }
  part->tokenizer->set_column_names(std::move(names));
  part->status =
      ReadRows(*part->tokenizer, part->builders, missing, kAllRows, kAllRows, &part->rows);
}

// The table of both parts: each column of the first part followed by the same column of the
// second, the columns merged on two threads (re-interning a column of distinct ids dominates).
StatusOr<Table> MergeParts(std::vector<ColumnBuilder>& first, std::vector<ColumnBuilder>& second) {
  const size_t n = first.size();
  std::vector<std::optional<Column>> columns(n);
  std::vector<Status> errors(n);
  ParallelFor(n, 2, [&](size_t c) {
    StatusOr<Column> a = first[c].Finish();
    StatusOr<Column> b = second[c].Finish();
    if (!a.ok() || !b.ok()) {
      errors[c] = !a.ok() ? a.status() : b.status();
      return;
    }
    a->AppendAllFrom(*std::move(b));
    columns[c].emplace(*std::move(a));
  });
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

// Reads the rest of the file (after the sample, from `from`) in two parts, the second on another
// thread from a record boundary near the middle. The split is trusted only when this thread's
// tokenizer, reading on from `from`, stops exactly there (same byte, same line): then the second
// part parsed what a single reader would have. nullopt when the caller must read on alone (no
// split found, the guess was wrong, the file could not be opened again, or the parts disagree on
// a column's type); `tokenizer` and `builders` then hold the first part, ready to go on.
// `rows_in(bytes)` estimates the rows in that many bytes.
template <typename RowsIn>
StatusOr<std::optional<Table>> ReadInTwoParts(const std::string& path, const ReadOptions& options,
                                              size_t block_bytes, const CsvMark& from,
                                              uint64_t file_bytes, CsvTokenizer& tokenizer,
                                              std::vector<ColumnBuilder>& builders,
                                              const MissingTokens& missing, size_t* rows,
                                              const RowsIn& rows_in) {
  const std::optional<CsvMark> split = internal::FindRecordSplit(path, from, file_bytes);
  if (!split.has_value()) return std::optional<Table>();
  SecondPart second;
  std::thread reader(ReadSecondPart, std::cref(path), std::cref(options), block_bytes,
                     std::cref(*split), std::cref(builders), std::cref(missing),
                     rows_in(file_bytes - split->offset), &second);
  size_t first_rows = 0;
  const Status first =
      ReadRows(tokenizer, builders, missing, kAllRows, kAllRows, &first_rows, split->offset);
  reader.join();
  RETURN_IF_ERROR(first);
  *rows += first_rows;
  const CsvMark stopped = tokenizer.Tell();
  if (!second.opened || stopped.offset != split->offset || stopped.line != split->line) {
    return std::optional<Table>();
  }
  RETURN_IF_ERROR(second.status);  // a real error: the first part had none before it
  if (!PartsAgree(builders, second.builders)) return std::optional<Table>();
  ASSIGN_OR_RETURN(Table table, MergeParts(builders, second.builders));
  return std::optional<Table>(std::move(table));
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
  const CsvMark after_sample = tokenizer->Tell();
  const uint64_t sample_bytes = after_sample.offset - start.offset;
  const StatusOr<uint64_t> file_bytes = Env::Default()->FileSize(path);
  if (rows == kSampleRows && sample_bytes > 0 && file_bytes.ok()) {
    const auto rows_in = [&](uint64_t bytes) {
      return static_cast<size_t>(static_cast<double>(bytes) / static_cast<double>(sample_bytes) *
                                 kSampleRows * kReserveSlack);
    };
    // Room for the whole file: the second part, if read on its own, is appended into it.
    for (ColumnBuilder& b : builders) b.Reserve(rows_in(*file_bytes - start.offset));
    if (options.threads > 1 && *file_bytes - after_sample.offset >= options.parallel_min_bytes) {
      ASSIGN_OR_RETURN(std::optional<Table> table,
                       ReadInTwoParts(path, options, block_bytes, after_sample, *file_bytes,
                                      *tokenizer, builders, missing, &rows, rows_in));
      if (table.has_value()) {
        if (stats != nullptr) stats->parts = 2;
        return *std::move(table);
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
