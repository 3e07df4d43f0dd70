// ColumnBuilder and the value parsers behind it: the per-value work of the CSV reader, kept free of
// per-value allocation for numbers, timestamps and repeated categories.
#include "src/data/csv_column_builder.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace staycast::data::internal {
namespace {

// Categories are interned in batches of this many (see Column::AppendCategories).
constexpr size_t kPendingCategories = 256;

}  // namespace

MissingTokens::MissingTokens(const std::vector<std::string>& tokens) : tokens_(tokens) {
  for (const std::string& t : tokens_) {
    if (!t.empty()) first_bytes_[static_cast<unsigned char>(t[0])] = true;
    if (t.size() < kMaxMaskedLength) {
      length_mask_ |= uint64_t{1} << t.size();
    } else {
      has_long_ = true;
    }
  }
}

bool ParseCsvNumber(std::string_view text, double* out) {
  // Fast path for short unsigned integers (counts, flags, ages): exact in a double.
  constexpr size_t kMaxFastDigits = 15;
  if (!text.empty() && text.size() <= kMaxFastDigits) {
    uint64_t v = 0;
    size_t i = 0;
    for (; i < text.size(); ++i) {
      const unsigned d = static_cast<unsigned char>(text[i]) - '0';
      if (d > 9) break;
      v = v * 10 + d;
    }
    if (i == text.size()) {
      *out = static_cast<double>(v);
      return true;
    }
  }
  const char* first = text.data();
  const char* last = first + text.size();
  while (first < last && (*first == ' ' || *first == '\t')) ++first;
  while (last > first && (last[-1] == ' ' || last[-1] == '\t')) --last;
  if (first < last && *first == '+') {
    ++first;
    if (first < last && (*first == '+' || *first == '-')) return false;
  }
  if (first == last) return false;
  double value = 0;
  const fast_float::from_chars_result result = fast_float::from_chars(first, last, value);
  if (result.ec != std::errc() || result.ptr != last) return false;
  *out = std::isfinite(value) ? value : std::numeric_limits<double>::quiet_NaN();
  return true;
}

std::vector<std::string> SplitList(std::string_view text, char separator) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  items.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), separator)) + 1);
  size_t start = 0;
  for (;;) {
    const size_t stop = text.find(separator, start);
    if (stop == std::string_view::npos) {
      items.emplace_back(text.substr(start));
      return items;
    }
    items.emplace_back(text.substr(start, stop - start));
    start = stop + 1;
  }
}

ColumnBuilder::ColumnBuilder(std::string name, std::optional<ColumnType> type, char list_separator)
    : name_(std::move(name)),
      state_(State::kUnknown),
      infer_(!type.has_value()),
      list_separator_(list_separator),
      categorical_(name_, ColumnType::kCategorical) {
  if (type.has_value()) {
    switch (*type) {
      case ColumnType::kNumeric: state_ = State::kNumeric; break;
      case ColumnType::kTimestamp: state_ = State::kTimestamp; break;
      case ColumnType::kCategorical: state_ = State::kCategorical; break;
      case ColumnType::kStringList: state_ = State::kStringList; break;
    }
  }
}

void ColumnBuilder::FlushCategories() {
  if (pending_ends_.empty()) return;
  pending_views_.clear();
  size_t begin = 0;
  for (const size_t end : pending_ends_) {
    pending_views_.emplace_back(pending_text_.data() + begin, end - begin);
    begin = end;
  }
  categorical_.AppendCategories(pending_views_);
  pending_text_.clear();
  pending_ends_.clear();
}

bool ColumnBuilder::Append(std::string_view text) {
  if (skip_) return true;
  switch (state_) {
    case State::kNumeric: {
      double v = 0;
      if (ParseCsvNumber(text, &v)) {
        numeric_.push_back(v);
        return true;
      }
      break;
    }
    case State::kTimestamp: {
      Timestamp t = 0;
      if (ParseTimestamp(text, &t)) {
        timestamps_.push_back(t);
        return true;
      }
      break;
    }
    case State::kCategorical:
      pending_text_.append(text);
      pending_ends_.push_back(pending_text_.size());
      if (pending_ends_.size() == kPendingCategories) FlushCategories();
      return true;
    case State::kStringList: lists_.push_back(SplitList(text, list_separator_)); return true;
    case State::kUnknown: Decide(text); return true;
    case State::kDemoted: return true;
  }
  if (!infer_) return false;
  // The guess was wrong: the values so far were parsed as the wrong type, so the column must be
  // read again as categorical.
  state_ = State::kDemoted;
  numeric_ = {};
  timestamps_ = {};
  return true;
}

void ColumnBuilder::Decide(std::string_view text) {
  double v = 0;
  Timestamp t = 0;
  if (ParseCsvNumber(text, &v)) {
    state_ = State::kNumeric;
    numeric_.assign(leading_missing_, std::numeric_limits<double>::quiet_NaN());
    numeric_.push_back(v);
  } else if (ParseTimestamp(text, &t)) {
    state_ = State::kTimestamp;
    timestamps_.assign(leading_missing_, kMissingTime);
    timestamps_.push_back(t);
  } else {
    state_ = State::kCategorical;
    categorical_.codes().assign(leading_missing_, kMissingCode);
    categorical_.AppendCategory(text);
  }
  leading_missing_ = 0;
}

void ColumnBuilder::AppendMissing() {
  if (skip_) return;
  switch (state_) {
    case State::kNumeric: numeric_.push_back(std::numeric_limits<double>::quiet_NaN()); break;
    case State::kTimestamp: timestamps_.push_back(kMissingTime); break;
    case State::kCategorical:
      FlushCategories();
      categorical_.AppendMissing();
      break;
    case State::kStringList: lists_.emplace_back(); break;
    case State::kUnknown: ++leading_missing_; break;
    case State::kDemoted: break;
  }
}

void ColumnBuilder::FixType(bool from_prefix) {
  infer_ = false;
  from_prefix_ = from_prefix;
  if (state_ == State::kUnknown) {
    state_ = State::kNumeric;
    numeric_.assign(leading_missing_, std::numeric_limits<double>::quiet_NaN());
    leading_missing_ = 0;
  } else if (state_ == State::kDemoted) {
    state_ = State::kCategorical;
  }
}

ColumnType ColumnBuilder::type() const {
  switch (state_) {
    case State::kTimestamp: return ColumnType::kTimestamp;
    case State::kCategorical:
    case State::kDemoted: return ColumnType::kCategorical;
    case State::kStringList: return ColumnType::kStringList;
    case State::kUnknown:
    case State::kNumeric: return ColumnType::kNumeric;
  }
  return ColumnType::kNumeric;
}

std::string ColumnBuilder::Expected() const {
  switch (state_) {
    case State::kNumeric: return "a number";
    case State::kTimestamp:
      return "a timestamp (YYYY-MM-DD, optionally with HH:MM[:SS] and offset)";
    default: return "text";
  }
}

void ColumnBuilder::Reserve(size_t rows) {
  switch (state_) {
    case State::kNumeric: numeric_.reserve(rows); break;
    case State::kTimestamp: timestamps_.reserve(rows); break;
    case State::kCategorical: {
      categorical_.Reserve(rows);
      // A column of mostly distinct values (ids) will need a dictionary of about its row count:
      // sizing it now saves rebuilding the index at every doubling.
      FlushCategories();
      const size_t seen = categorical_.size();
      const size_t distinct = categorical_.dictionary().size();
      if (seen > 0 && rows > seen && distinct * 2 > seen) {
        categorical_.ReserveCategories(static_cast<size_t>(
            static_cast<double>(rows) * static_cast<double>(distinct) / static_cast<double>(seen)));
      }
      break;
    }
    case State::kStringList: lists_.reserve(rows); break;
    default: break;
  }
}

StatusOr<Column> ColumnBuilder::Finish() {
  if (infer_) FixType(from_prefix_);
  Column column(name_, type());
  switch (state_) {
    case State::kNumeric: column.numeric() = std::move(numeric_); break;
    case State::kTimestamp: column.timestamps() = std::move(timestamps_); break;
    case State::kStringList: column.lists() = std::move(lists_); break;
    case State::kCategorical:
      FlushCategories();
      column = std::move(categorical_);
      categorical_ = Column(name_, ColumnType::kCategorical);
      break;
    default: return InternalError("column '" + name_ + "' finished before its type was fixed");
  }
  numeric_ = {};
  timestamps_ = {};
  lists_ = {};
  return column;
}

}  // namespace staycast::data::internal
