// CsvTokenizer: splits an RFC 4180 file into records and fields, reading it in blocks so that
// memory stays bounded by the longest record. Internal to the CSV reader; not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/status.h"

namespace staycast::data::internal {

// A position between records, for reading part of a file again.
struct CsvMark {
  uint64_t offset = 0;  // byte offset in the file
  int64_t line = 1;     // 1-based line number of that byte
};

// A likely record boundary near the middle of [from.offset, file_bytes): the first line break
// after the midpoint with an even number of quotes since `from` (outside any quoted field, as RFC
// 4180 quoting doubles inner quotes). Its line is from.line plus the '\n's before it. nullopt when
// there is none or the file cannot be read (the caller then reads without splitting). A quote
// inside an unquoted field (which the tokenizer reads as text) can make this wrong: callers check
// that a tokenizer reading from `from` stops exactly there.
std::optional<CsvMark> FindRecordSplit(const std::string& path, const CsvMark& from,
                                       uint64_t file_bytes);

class CsvTokenizer {
 public:
  // Default block size; tests use tiny blocks to exercise records that straddle block boundaries.
  static constexpr size_t kDefaultBlockBytes = size_t{1} << 20;
  // A record (typically an unterminated quote) longer than this is an error, not a reason to read
  // the rest of a huge file into memory.
  static constexpr size_t kMaxRecordBytes = size_t{256} << 20;

  // Opens `path` for reading; a UTF-8 byte order mark at the start is skipped.
  static StatusOr<std::unique_ptr<CsvTokenizer>> Open(const std::string& path, char delimiter,
                                                      size_t block_bytes = kDefaultBlockBytes);
  ~CsvTokenizer();
  CsvTokenizer(const CsvTokenizer&) = delete;
  CsvTokenizer& operator=(const CsvTokenizer&) = delete;

  // Reads the next record. Returns false at the end of the file. Blank lines are skipped. Errors
  // (unterminated quote, invalid UTF-8, text after a closing quote) name the file and line.
  StatusOr<bool> NextRecord();

  // The fields of the current record; views stay valid until the next NextRecord() or Seek().
  size_t num_fields() const { return fields_.size(); }
  std::string_view field(size_t i) const { return {fields_[i].data, fields_[i].size}; }
  // The 1-based line on which the current record starts, and on which field `i` starts.
  int64_t record_line() const { return record_line_; }
  int64_t FieldLine(size_t i) const;

  // Where the next record starts; Seek() returns there (the file must not have changed).
  CsvMark Tell() const { return {buffer_offset_ + pos_, line_}; }
  Status Seek(const CsvMark& mark);

  // Names used for columns in error messages ("column 'age'"); without them, "field 3".
  void set_column_names(std::vector<std::string> names) { column_names_ = std::move(names); }
  std::string ColumnLabel(size_t i) const;
  const std::string& path() const { return path_; }

 private:
  struct FieldRef {
    const char* data;
    size_t size;
    const char* raw;  // where the field starts in the buffer (its opening quote, if quoted)
    bool escaped;     // a quoted field with doubled quotes, unescaped after the record is complete
  };
  enum class Scan { kDone, kNeedMore, kError };

  CsvTokenizer(std::string path, std::FILE* file, char delimiter, size_t block_bytes);
  // Tokenizes one record from pos_; kNeedMore when the buffered bytes end before the record does.
  Scan ScanRecord();
  // Keeps the unread bytes, reads more (growing the buffer if one record fills it). Sets eof_.
  Status Refill();
  // The first delimiter, CR, LF or non-ASCII byte at or after p (the sentinel stops it).
  const char* FindUnquotedStop(const char* p) const;
  // Checks a non-ASCII UTF-8 sequence at p: its length, 0 if invalid, -1 if cut off by the buffer
  // end.
  int Utf8SequenceLength(const char* p) const;
  void SetError(int64_t line, const std::string& what);
  void SetUtf8Error(const char* p, int64_t line);
  void Unescape();

  std::string path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  char delimiter_;
  // Bytes that stop the quoted-field scanning loop.
  uint8_t quoted_stop_[256] = {};
  // The data, a '\n' sentinel after it, then padding for word-at-a-time scanning.
  std::vector<char> buffer_;
  size_t end_ = 0;  // bytes of data in buffer_
  size_t pos_ = 0;  // start of the next record
  uint64_t buffer_offset_ = 0;
  int64_t line_ = 1;
  bool eof_ = false;
  std::vector<FieldRef> fields_;
  std::vector<std::string> unescaped_;
  size_t record_start_ = 0;  // where the current record starts in buffer_
  int64_t record_line_ = 0;
  Status error_;
  std::vector<std::string> column_names_;
};

}  // namespace staycast::data::internal
