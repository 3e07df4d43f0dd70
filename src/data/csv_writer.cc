// The CSV writer: RFC 4180 quoting only where needed, shortest round-trip numbers, and an atomic
// file (a temporary file renamed into place at Commit()).
#include <algorithm>
#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/env.h"
#include "src/core/parallel.h"
#include "src/data/csv.h"

namespace staycast::data {
namespace {

// Text is handed to the file in pieces of about this size.
constexpr size_t kFlushBytes = size_t{1} << 20;

class CsvWriter final : public TableWriter {
 public:
  CsvWriter(std::unique_ptr<AtomicFile> file, Schema schema, const WriteOptions& options)
      : file_(std::move(file)), schema_(std::move(schema)), options_(options) {
    needs_quote_[static_cast<unsigned char>(options_.delimiter)] = true;
    needs_quote_[static_cast<unsigned char>('"')] = true;
    needs_quote_[static_cast<unsigned char>('\r')] = true;
    needs_quote_[static_cast<unsigned char>('\n')] = true;
  }

  Status WriteHeader() {
    for (size_t i = 0; i < schema_.fields.size(); ++i) {
      if (i > 0) buffer_.push_back(options_.delimiter);
      AppendText(schema_.fields[i].name, buffer_);
    }
    buffer_.push_back('\n');
    return OkStatus();
  }

  Status Write(const Table& chunk) override {
    if (committed_) return FailedPreconditionError(file_->path() + ": already committed");
    if (chunk.schema() != schema_) {
      return InvalidArgumentError(file_->path() +
                                  ": a chunk's columns differ from the writer's schema");
    }
    const size_t rows = chunk.num_rows();
    if (options_.threads <= 1 || rows < WriteOptions::kParallelWriteRows) {
      for (size_t row = 0; row < rows; ++row) {
        AppendRow(chunk, row, buffer_);
        if (buffer_.size() >= kFlushBytes) RETURN_IF_ERROR(Flush());
      }
      return OkStatus();
    }
    // Batches of rows, each cut into one contiguous part per thread; the parts are formatted at
    // the same time and handed to the file in order.
    const size_t threads = static_cast<size_t>(options_.threads);
    const size_t part_rows = WriteOptions::kParallelWriteRows / 2;
    std::vector<std::string> parts(threads);
    RETURN_IF_ERROR(Flush());
    for (size_t begin = 0; begin < rows; begin += part_rows * threads) {
      const auto format = [&](size_t t) {
        parts[t].clear();
        const size_t from = std::min(rows, begin + t * part_rows);
        const size_t to = std::min(rows, from + part_rows);
        for (size_t row = from; row < to; ++row) AppendRow(chunk, row, parts[t]);
      };
      ParallelFor(parts.size(), options_.threads, format);
      for (const std::string& part : parts) RETURN_IF_ERROR(file_->Append(part));
    }
    return OkStatus();
  }

  Status Commit() override {
    if (committed_) return FailedPreconditionError(file_->path() + ": already committed");
    RETURN_IF_ERROR(Flush());
    RETURN_IF_ERROR(file_->Commit());
    committed_ = true;
    return OkStatus();
  }

 private:
  Status Flush() {
    RETURN_IF_ERROR(file_->Append(buffer_));
    buffer_.clear();
    return OkStatus();
  }

  // Appends one record (its fields and the line break) to `out`.
  void AppendRow(const Table& chunk, size_t row, std::string& out) const {
    for (size_t c = 0; c < chunk.num_columns(); ++c) {
      if (c > 0) out.push_back(options_.delimiter);
      AppendValue(chunk.column(c), row, out);
    }
    out.push_back('\n');
  }

  // Appends a text field, quoted if a reader could otherwise misread it.
  void AppendText(std::string_view text, std::string& out) const {
    bool quote = !text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                                   text.back() == ' ' || text.back() == '\t');
    // A lone empty field would be a blank line, which readers skip.
    if (text.empty() && schema_.fields.size() == 1) quote = true;
    for (size_t i = 0; i < text.size() && !quote; ++i) {
      quote = needs_quote_[static_cast<unsigned char>(text[i])];
    }
    if (!quote) {
      out.append(text);
      return;
    }
    out.push_back('"');
    for (const char c : text) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }

  void AppendValue(const Column& column, size_t row, std::string& out) const {
    if (column.IsMissing(row)) {
      AppendText("", out);
      return;
    }
    switch (column.type()) {
      case ColumnType::kNumeric: {
        char digits[64];
        const auto result = std::to_chars(digits, digits + sizeof(digits), column.numeric()[row]);
        out.append(digits, result.ptr);
        return;
      }
      case ColumnType::kCategorical: AppendText(column.CategoryAt(row), out); return;
      case ColumnType::kTimestamp:
      case ColumnType::kStringList:
        AppendText(column.ValueAsString(row, options_.list_separator), out);
        return;
    }
  }

  std::unique_ptr<AtomicFile> file_;
  Schema schema_;
  WriteOptions options_;
  bool needs_quote_[256] = {};
  std::string buffer_;
  bool committed_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<TableWriter>> OpenCsvWriter(const std::string& path, const Schema& schema,
                                                     const WriteOptions& options) {
  const char d = options.delimiter;
  if (d == '"' || d == '\n' || d == '\r' || (static_cast<unsigned char>(d) & 0x80) != 0) {
    return InvalidArgumentError(path +
                                ": the CSV delimiter must be an ASCII character other "
                                "than a quote or line break");
  }
  if (schema.fields.empty()) return InvalidArgumentError(path + ": no columns to write");
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const std::string& name = schema.fields[i].name;
    if (name.empty()) {
      return InvalidArgumentError(path + ": column " + std::to_string(i + 1) +
                                  " has an empty name");
    }
    if (schema.Find(name) != static_cast<int>(i)) {
      return InvalidArgumentError(path + ": column name '" + name + "' appears twice");
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, Env::Default()->NewAtomicFile(path));
  auto writer = std::make_unique<CsvWriter>(std::move(file), schema, options);
  RETURN_IF_ERROR(writer->WriteHeader());
  return std::unique_ptr<TableWriter>(std::move(writer));
}

}  // namespace staycast::data
