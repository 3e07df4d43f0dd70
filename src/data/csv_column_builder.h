// Text to typed column values for the CSV reader: missing tokens, numbers (fast_float), timestamps,
// categories, string lists, and type inference from the values seen. Internal; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/status.h"
#include "src/core/time.h"
#include "src/data/table.h"

namespace staycast::data::internal {

// The configured missing-value tokens, compared exactly.
class MissingTokens {
 public:
  explicit MissingTokens(const std::vector<std::string>& tokens);
  bool Contains(std::string_view v) const {
    const size_t n = v.size();
    if (n < kMaxMaskedLength ? ((length_mask_ >> n) & 1U) == 0 : !has_long_) return false;
    if (n > 0 && !first_bytes_[static_cast<unsigned char>(v[0])]) return false;
    for (const std::string& t : tokens_) {
      if (t == v) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kMaxMaskedLength = 64;
  std::vector<std::string> tokens_;
  uint64_t length_mask_ = 0;    // bit n set when some token has length n
  bool first_bytes_[256] = {};  // the first bytes of the non-empty tokens
  bool has_long_ = false;
};

// Parses a whole field as a number (fast_float; surrounding spaces and a leading '+' allowed).
// "inf", "nan" and out-of-range values parse but are stored as NaN, i.e. missing.
bool ParseCsvNumber(std::string_view text, double* out);

// Splits a string-list value on `separator`; "" is the empty list.
std::vector<std::string> SplitList(std::string_view text, char separator);

// Builds one column from the text values of a CSV column. With a fixed type, a value that does not
// fit is rejected (the caller reports it). Without one, the type is inferred: the first non-missing
// value picks numeric, else timestamp, else categorical; a later value that does not fit marks the
// column "demoted" (it must be read again as categorical). string_list is never inferred.
class ColumnBuilder {
 public:
  ColumnBuilder(std::string name, std::optional<ColumnType> type, char list_separator);

  // Appends a value that is not a missing token. False if it does not fit the fixed type.
  bool Append(std::string_view text);
  void AppendMissing();

  bool inferring() const { return infer_; }
  bool demoted() const { return state_ == State::kDemoted; }
  // Ends inference: the inferred type (numeric if every value was missing), or categorical with no
  // values after a demotion. `from_prefix` records that only part of the file was seen.
  void FixType(bool from_prefix);
  // While skipping, values are ignored and the values built so far are kept.
  void set_skip(bool skip) { skip_ = skip; }
  bool skip() const { return skip_; }
  // The type so far (numeric while still undecided).
  ColumnType type() const;
  bool type_from_prefix() const { return from_prefix_; }
  const std::string& name() const { return name_; }
  // "a number", "a timestamp (...)": what a fixed column expects, for error messages.
  std::string Expected() const;

  // Moves the values out as a Column; the builder keeps its type and starts again empty.
  StatusOr<Column> Finish();
  void Reserve(size_t rows);

 private:
  enum class State { kUnknown, kNumeric, kTimestamp, kCategorical, kStringList, kDemoted };
  void Decide(std::string_view text);
  // Hands the buffered categories to the column (see Column::AppendCategories).
  void FlushCategories();

  std::string name_;
  State state_;
  bool infer_;
  bool from_prefix_ = false;
  bool skip_ = false;
  char list_separator_;
  size_t leading_missing_ = 0;  // rows seen while kUnknown
  std::vector<double> numeric_;
  std::vector<Timestamp> timestamps_;
  Column categorical_;
  // Categories not yet interned: copies of the text (field views do not outlive their record).
  std::string pending_text_;
  std::vector<size_t> pending_ends_;
  std::vector<std::string_view> pending_views_;
  std::vector<std::vector<std::string>> lists_;
};

}  // namespace staycast::data::internal
