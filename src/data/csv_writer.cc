// The CSV writer: RFC 4180 quoting only where needed, shortest round-trip numbers, and an atomic
// file (a temporary file renamed into place at Commit()).
#include <charconv>
#include <memory>
#include <string>
#include <string_view>

#include "src/core/env.h"
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
      AppendText(schema_.fields[i].name);
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
    const size_t num_columns = chunk.num_columns();
    for (size_t row = 0; row < chunk.num_rows(); ++row) {
      for (size_t c = 0; c < num_columns; ++c) {
        if (c > 0) buffer_.push_back(options_.delimiter);
        AppendValue(chunk.column(c), row);
      }
      buffer_.push_back('\n');
      if (buffer_.size() >= kFlushBytes) RETURN_IF_ERROR(Flush());
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

  // Appends a text field, quoted if a reader could otherwise misread it.
  void AppendText(std::string_view text) {
    bool quote = !text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                                   text.back() == ' ' || text.back() == '\t');
    // A lone empty field would be a blank line, which readers skip.
    if (text.empty() && schema_.fields.size() == 1) quote = true;
    for (size_t i = 0; i < text.size() && !quote; ++i) {
      quote = needs_quote_[static_cast<unsigned char>(text[i])];
    }
    if (!quote) {
      buffer_.append(text);
      return;
    }
    buffer_.push_back('"');
    for (const char c : text) {
      if (c == '"') buffer_.push_back('"');
      buffer_.push_back(c);
    }
    buffer_.push_back('"');
  }

  void AppendValue(const Column& column, size_t row) {
    if (column.IsMissing(row)) {
      AppendText("");
      return;
    }
    switch (column.type()) {
      case ColumnType::kNumeric: {
        char digits[64];
        const auto result = std::to_chars(digits, digits + sizeof(digits), column.numeric()[row]);
        buffer_.append(digits, result.ptr);
        return;
      }
      case ColumnType::kCategorical: AppendText(column.CategoryAt(row)); return;
      case ColumnType::kTimestamp:
      case ColumnType::kStringList:
        AppendText(column.ValueAsString(row, options_.list_separator));
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
