// CsvTokenizer: a byte-level state machine over a large buffer. Fields are views into the buffer;
// only quoted fields with doubled quotes are copied. UTF-8 is checked only where a byte is
// non-ASCII.
#include "src/data/csv_tokenizer.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include "src/core/env.h"

namespace staycast::data::internal {
namespace {

constexpr size_t kMinBlockBytes = 16;
// Readable bytes after the sentinel, so that word-at-a-time scanning may overshoot it.
constexpr size_t kPadding = 8;
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// High bit set in each byte of `w` that equals `c` (exact for the lowest such byte; bytes above it
// may be flagged falsely, which a search for the first match does not mind).
inline uint64_t BytesEqual(uint64_t w, uint8_t c) {
  const uint64_t v = w ^ (kOnes * c);
  return (v - kOnes) & ~v & kHighBits;
}
constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};

// What a byte looks like in an error message: itself if printable, else its hex value.
std::string DescribeByte(unsigned char c) {
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0xF];
}

}  // namespace

CsvTokenizer::CsvTokenizer(std::string path, std::FILE* file, char delimiter, size_t block_bytes)
    : path_(std::move(path)), file_(file, &std::fclose), delimiter_(delimiter) {
  buffer_.resize(std::max(block_bytes, kMinBlockBytes) + 1 + kPadding);
  quoted_stop_[static_cast<unsigned char>('"')] = 1;
  quoted_stop_[static_cast<unsigned char>('\n')] = 1;
  for (int c = 0x80; c < 0x100; ++c) {
    quoted_stop_[c] = 1;
  }
}

CsvTokenizer::~CsvTokenizer() = default;

StatusOr<std::unique_ptr<CsvTokenizer>> CsvTokenizer::Open(const std::string& path, char delimiter,
                                                           size_t block_bytes) {
  const auto d = static_cast<unsigned char>(delimiter);
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || d >= 0x80) {
    return InvalidArgumentError("CSV delimiter " + DescribeByte(d) +
                                " is not allowed; use an ASCII character other than a quote or "
                                "line break");
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return NotFoundError(path + ": cannot open: " + ErrnoMessage(errno));
  std::setvbuf(file, nullptr, _IONBF, 0);  // we read in large blocks ourselves
  std::unique_ptr<CsvTokenizer> tokenizer(new CsvTokenizer(path, file, delimiter, block_bytes));
  RETURN_IF_ERROR(tokenizer->Refill());
  const char* data = tokenizer->buffer_.data();
  if (tokenizer->end_ >= sizeof(kBom) && std::memcmp(data, kBom, sizeof(kBom)) == 0) {
    tokenizer->pos_ = sizeof(kBom);
  }
  return tokenizer;
}

Status CsvTokenizer::Refill() {
  char* base = buffer_.data();
  if (pos_ > 0) {
    std::memmove(base, base + pos_, end_ - pos_);
    buffer_offset_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  size_t capacity = buffer_.size() - 1 - kPadding;
  if (end_ == capacity) {
    // One record fills the whole buffer: grow it, within reason.
    if (capacity >= kMaxRecordBytes) {
      return InvalidArgumentError(
          path_ + ":" + std::to_string(line_) + ": a record starting here is longer than " +
          std::to_string(kMaxRecordBytes >> 20) + " MiB; is a quoted field left unterminated?");
    }
    capacity = std::min(capacity * 2, kMaxRecordBytes);
    buffer_.resize(capacity + 1 + kPadding);
    base = buffer_.data();
  }
  while (end_ < capacity) {
    const size_t n = std::fread(base + end_, 1, capacity - end_, file_.get());
    if (n == 0) {
      if (std::ferror(file_.get())) {
        return UnavailableError(path_ + ": read failed: " + ErrnoMessage(errno));
      }
      eof_ = true;
      break;
    }
    end_ += n;
  }
  base[end_] = '\n';  // sentinel: stops both scanning loops
  return OkStatus();
}

Status CsvTokenizer::Seek(const CsvMark& mark) {
  if (fseeko(file_.get(), static_cast<off_t>(mark.offset), SEEK_SET) != 0) {
    return UnavailableError(path_ + ": cannot seek: " + ErrnoMessage(errno));
  }
  buffer_offset_ = mark.offset;
  pos_ = end_ = 0;
  line_ = mark.line;
  eof_ = false;
  fields_.clear();
  return Refill();
}

const char* CsvTokenizer::FindUnquotedStop(const char* p) const {
  // Eight bytes at a time: most fields end within the first word.
  for (;;) {
    uint64_t w = 0;
    std::memcpy(&w, p, sizeof(w));
    const uint64_t stops = BytesEqual(w, static_cast<uint8_t>(delimiter_)) | BytesEqual(w, '\n') |
                           BytesEqual(w, '\r') | (w & kHighBits);
    if (stops != 0) return p + std::countr_zero(stops) / 8;
    p += sizeof(w);
  }
}

int CsvTokenizer::Utf8SequenceLength(const char* p) const {
  const auto* s = reinterpret_cast<const unsigned char*>(p);
  const size_t avail = static_cast<size_t>(buffer_.data() + end_ - p);
  const unsigned c = s[0];
  int need = 0;
  unsigned lo = 0x80;
  unsigned hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c == 0xE0) {
    need = 3;
    lo = 0xA0;  // no overlong forms
  } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    need = 3;
  } else if (c == 0xED) {
    need = 3;
    hi = 0x9F;  // no surrogates
  } else if (c == 0xF0) {
    need = 4;
    lo = 0x90;
  } else if (c >= 0xF1 && c <= 0xF3) {
    need = 4;
  } else if (c == 0xF4) {
    need = 4;
    hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  for (int i = 1; i < need; ++i) {
    if (static_cast<size_t>(i) >= avail) return -1;
    const unsigned b = s[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return need;
}

std::string CsvTokenizer::ColumnLabel(size_t i) const {
  if (i < column_names_.size()) return "column '" + column_names_[i] + "'";
  return "field " + std::to_string(i + 1);
}

void CsvTokenizer::SetError(int64_t line, const std::string& what) {
  error_ = InvalidArgumentError(path_ + ":" + std::to_string(line) + ": " + what);
}

void CsvTokenizer::SetUtf8Error(const char* p, int64_t line) {
  const char* line_start = p;
  const char* record_start = buffer_.data() + pos_;
  while (line_start > record_start && line_start[-1] != '\n') --line_start;
  SetError(line, ColumnLabel(fields_.size()) + ", byte " + std::to_string(p - line_start + 1) +
                     " of the line: invalid UTF-8 " + DescribeByte(static_cast<unsigned char>(*p)) +
                     "; the file must be UTF-8 (convert it, e.g. with iconv)");
}

CsvTokenizer::Scan CsvTokenizer::ScanRecord() {
  char* const base = buffer_.data();
  const char* const end = base + end_;
  const char* p = base + pos_;
  int64_t line = line_;
  fields_.clear();

  // Blank lines between records are skipped; they belong to no record, so skipping them is final.
  for (;;) {
    if (p == end) {
      pos_ = end_;
      line_ = line;
      return eof_ ? Scan::kDone : Scan::kNeedMore;
    }
    if (*p == '\n') {
      ++p;
      ++line;
    } else if (*p == '\r') {
      if (p + 1 == end && !eof_) {  // CR LF may straddle the block end: look again after a refill
        pos_ = static_cast<size_t>(p - base);
        line_ = line;
        return Scan::kNeedMore;
      }
      ++p;
      if (p < end && *p == '\n') ++p;
      ++line;
    } else {
      break;
    }
  }
  pos_ = static_cast<size_t>(p - base);
  line_ = line;
  record_line_ = line;
  bool any_escaped = false;

  for (;;) {
    const char* const field_start = p;
    if (*p == '"') {
      ++p;
      const char* const content = p;
      const int64_t open_line = line;
      bool escaped = false;
      for (;;) {
        while (quoted_stop_[static_cast<unsigned char>(*p)] == 0) ++p;
        if (*p == '"') {
          if (p + 1 == end && !eof_) return Scan::kNeedMore;
          if (p + 1 < end && p[1] == '"') {
            escaped = true;
            any_escaped = true;
            p += 2;
            continue;
          }
          break;  // the closing quote
        }
        if (*p == '\n') {
          if (p == end) {
            if (!eof_) return Scan::kNeedMore;
            SetError(open_line, "unterminated quoted field in " + ColumnLabel(fields_.size()) +
                                    ": the quote opened on line " + std::to_string(open_line) +
                                    " is never closed before the end of the file");
            return Scan::kError;
          }
          ++p;
          ++line;
          continue;
        }
        const int n = Utf8SequenceLength(p);
        if (n > 0) {
          p += n;
          continue;
        }
        if (n < 0 && !eof_) return Scan::kNeedMore;
        SetUtf8Error(p, line);
        return Scan::kError;
      }
      fields_.push_back({content, static_cast<size_t>(p - content), field_start, escaped});
      ++p;
      if (p == end) {
        if (!eof_) return Scan::kNeedMore;
        break;
      }
      if (*p == delimiter_) {
        ++p;
        continue;
      }
      if (*p != '\n' && *p != '\r') {
        SetError(line,
                 ColumnLabel(fields_.size() - 1) + ": unexpected " +
                     DescribeByte(static_cast<unsigned char>(*p)) +
                     " after the closing quote of a quoted field (write a quote inside a quoted "
                     "field as \"\")");
        return Scan::kError;
      }
    } else {
      for (;;) {
        p = FindUnquotedStop(p);
        if ((static_cast<unsigned char>(*p) & 0x80) == 0) break;
        const int n = Utf8SequenceLength(p);
        if (n > 0) {
          p += n;
          continue;
        }
        if (n < 0 && !eof_) return Scan::kNeedMore;
        SetUtf8Error(p, line);
        return Scan::kError;
      }
      fields_.push_back({field_start, static_cast<size_t>(p - field_start), field_start, false});
      if (*p == delimiter_) {
        ++p;
        continue;
      }
      if (p == end) {
        if (!eof_) return Scan::kNeedMore;
        break;
      }
    }
    // At a line break that ends the record.
    if (*p == '\r') {
      if (p + 1 == end && !eof_) return Scan::kNeedMore;
      ++p;
      if (p < end && *p == '\n') ++p;
    } else {
      ++p;
    }
    ++line;
    break;
  }
  record_start_ = pos_;
  pos_ = static_cast<size_t>(p - base);
  line_ = line;
  if (any_escaped) Unescape();
  return Scan::kDone;
}

void CsvTokenizer::Unescape() {
  if (unescaped_.size() < fields_.size()) unescaped_.resize(fields_.size());
  for (size_t i = 0; i < fields_.size(); ++i) {
    FieldRef& f = fields_[i];
    if (!f.escaped) continue;
    std::string& out = unescaped_[i];
    out.clear();
    for (size_t j = 0; j < f.size; ++j) {
      out.push_back(f.data[j]);
      if (f.data[j] == '"') ++j;  // the second quote of a doubled pair
    }
    f.data = out.data();
    f.size = out.size();
  }
}

int64_t CsvTokenizer::FieldLine(size_t i) const {
  const char* begin = buffer_.data() + record_start_;
  return record_line_ + std::count(begin, fields_[i].raw, '\n');
}

StatusOr<bool> CsvTokenizer::NextRecord() {
  for (;;) {
    switch (ScanRecord()) {
      case Scan::kDone: return !fields_.empty();
      case Scan::kError: return error_;
      case Scan::kNeedMore: RETURN_IF_ERROR(Refill()); break;
    }
  }
}

}  // namespace staycast::data::internal

namespace staycast::data::internal {

std::optional<CsvMark> FindRecordSplit(const std::string& path, const CsvMark& from,
                                       uint64_t file_bytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (file == nullptr || fseeko(file.get(), static_cast<off_t>(from.offset), SEEK_SET) != 0) {
    return std::nullopt;
  }
  const uint64_t middle = from.offset + (file_bytes - from.offset) / 2;
  std::vector<char> block(size_t{1} << 20);
  uint64_t offset = from.offset;  // of block[0]
  uint64_t quotes = 0;
  int64_t line = from.line;
  for (;;) {
    const size_t n = std::fread(block.data(), 1, block.size(), file.get());
    if (n == 0) return std::nullopt;  // the end (or a read error) before any boundary
    const char* const begin = block.data();
    const char* const end = begin + n;
    // Before the middle only the counts matter; from it on, the first even-quoted line break.
    const char* const from_here = begin + std::min<uint64_t>(n, middle - std::min(middle, offset));
    quotes += static_cast<uint64_t>(std::count(begin, from_here, '"'));
    line += std::count(begin, from_here, '\n');
    for (const char* p = from_here; p < end; ++p) {
      if (*p == '"') {
        ++quotes;
      } else if (*p == '\n') {
        ++line;
        if (quotes % 2 == 0) return CsvMark{offset + static_cast<uint64_t>(p + 1 - begin), line};
      }
    }
    offset += n;
  }
}

}  // namespace staycast::data::internal
