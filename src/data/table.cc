// Table and Column implementation.
#include "src/data/table.h"

#include <sys/mman.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>

namespace staycast::data {

namespace internal {

namespace {
constexpr size_t kHugePageBytes = size_t{2} << 20;
}  // namespace

void* AllocateMaybeHuge(size_t bytes) {
  void* p = nullptr;
  if (bytes >= kHugePageBytes) {
    const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    p = std::aligned_alloc(kHugePageBytes, rounded);
    if (p != nullptr) ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint; failure is harmless
  } else {
    p = std::malloc(bytes);
  }
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void FreeMaybeHuge(void* p) { std::free(p); }

}  // namespace internal

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kNumeric: return "numeric";
    case ColumnType::kCategorical: return "categorical";
    case ColumnType::kTimestamp: return "timestamp";
    case ColumnType::kStringList: return "string_list";
  }
  return "unknown";
}

StatusOr<ColumnType> ParseColumnType(std::string_view name) {
  if (name == "numeric" || name == "number") return ColumnType::kNumeric;
  if (name == "categorical" || name == "category") return ColumnType::kCategorical;
  if (name == "timestamp" || name == "datetime") return ColumnType::kTimestamp;
  if (name == "string_list" || name == "list") return ColumnType::kStringList;
  return InvalidArgumentError("unknown column type \"" + std::string(name) +
                              "\"; expected one of numeric, categorical, timestamp, string_list");
}

size_t Column::size() const {
  switch (type_) {
    case ColumnType::kNumeric: return numeric_.size();
    case ColumnType::kCategorical: return codes_.size();
    case ColumnType::kTimestamp: return timestamps_.size();
    case ColumnType::kStringList: return lists_.size();
  }
  return 0;
}

namespace {

// A fast 32-bit hash of a category (a splitmix64 finish over 8-byte words); not for adversaries.
uint32_t HashCategory(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w = 0;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h ^= w;
  }
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return static_cast<uint32_t>(h);
}

constexpr size_t kMinIndexSlots = 16;

}  // namespace

int32_t Column::InternCategory(std::string_view value) {
  return InternHashed(value, HashCategory(value));
}

int32_t Column::InternHashed(std::string_view value, uint32_t hash) {
  if ((dictionary_.size() + 1) * 2 > index_.size()) GrowIndex((dictionary_.size() + 1) * 2);
  const size_t mask = index_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    IndexSlot& slot = index_[i];
    if (slot.code < 0) {
      slot.hash = hash;
      slot.code = static_cast<int32_t>(dictionary_.size());
      dictionary_.emplace_back(value);
      return slot.code;
    }
    if (slot.hash == hash && dictionary_[static_cast<size_t>(slot.code)] == value) return slot.code;
  }
}

void Column::AppendCategories(std::span<const std::string_view> values) {
  // With a dictionary larger than the caches, each lookup waits on memory; looking a batch up in
  // stages (hash and prefetch the slots, then prefetch the strings they point to, then compare)
  // overlaps those waits.
  constexpr size_t kBatch = 16;
  GrowIndex((dictionary_.size() + values.size()) * 2);
  codes_.reserve(codes_.size() + values.size());
  uint32_t hashes[kBatch];
  for (size_t start = 0; start < values.size(); start += kBatch) {
    const size_t n = std::min(kBatch, values.size() - start);
    const size_t mask = index_.size() - 1;
    for (size_t i = 0; i < n; ++i) {
      hashes[i] = HashCategory(values[start + i]);
      __builtin_prefetch(&index_[hashes[i] & mask]);
    }
    int32_t candidates[kBatch];
    for (size_t i = 0; i < n; ++i) {
      const IndexSlot& slot = index_[hashes[i] & mask];
      candidates[i] = slot.code >= 0 && slot.hash == hashes[i] ? slot.code : -1;
      if (candidates[i] >= 0) __builtin_prefetch(&dictionary_[static_cast<size_t>(candidates[i])]);
    }
    for (size_t i = 0; i < n; ++i) {  // strings too long to be stored inline live elsewhere
      if (candidates[i] >= 0) {
        __builtin_prefetch(dictionary_[static_cast<size_t>(candidates[i])].data());
      }
    }
    for (size_t i = 0; i < n; ++i) codes_.push_back(InternHashed(values[start + i], hashes[i]));
  }
}

void Column::GrowIndex(size_t min_slots) {
  size_t size = std::max(index_.size(), kMinIndexSlots);
  while (size < min_slots) size *= 2;
  if (size == index_.size()) return;
  auto old = std::move(index_);
  index_.assign(size, IndexSlot{});
  const size_t mask = size - 1;
  for (const IndexSlot& slot : old) {
    if (slot.code < 0) continue;
    size_t i = slot.hash & mask;
    while (index_[i].code >= 0) i = (i + 1) & mask;
    index_[i] = slot;
  }
}

void Column::ReserveCategories(size_t n) {
  // Geometric growth, as push_back's: callers that append table after table (Table::Append) ask
  // for a little more each time, and an exact reserve would copy the dictionary every time.
  if (n > dictionary_.capacity()) dictionary_.reserve(std::max(n, 2 * dictionary_.capacity()));
  GrowIndex(n * 2);
}

std::optional<int32_t> Column::FindCategory(std::string_view value) const {
  if (index_.empty()) return std::nullopt;
  const uint32_t hash = HashCategory(value);
  const size_t mask = index_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const IndexSlot& slot = index_[i];
    if (slot.code < 0) return std::nullopt;
    if (slot.hash == hash && dictionary_[static_cast<size_t>(slot.code)] == value) return slot.code;
  }
}

const std::string& Column::CategoryAt(size_t row) const {
  static const std::string kEmpty;
  const int32_t code = codes_[row];
  return code == kMissingCode ? kEmpty : dictionary_[static_cast<size_t>(code)];
}

void Column::Reserve(size_t n) {
  switch (type_) {
    case ColumnType::kNumeric: numeric_.reserve(n); break;
    case ColumnType::kCategorical: codes_.reserve(n); break;
    case ColumnType::kTimestamp: timestamps_.reserve(n); break;
    case ColumnType::kStringList: lists_.reserve(n); break;
  }
}

void Column::AppendMissing() {
  switch (type_) {
    case ColumnType::kNumeric: numeric_.push_back(std::nan("")); break;
    case ColumnType::kCategorical: codes_.push_back(kMissingCode); break;
    case ColumnType::kTimestamp: timestamps_.push_back(kMissingTime); break;
    case ColumnType::kStringList: lists_.emplace_back(); break;
  }
}

void Column::AppendFrom(const Column& other, size_t row) {
  switch (type_) {
    case ColumnType::kNumeric: numeric_.push_back(other.numeric_[row]); break;
    case ColumnType::kCategorical:
      if (other.codes_[row] == kMissingCode) {
        codes_.push_back(kMissingCode);
      } else {
        codes_.push_back(InternCategory(other.dictionary_[static_cast<size_t>(other.codes_[row])]));
      }
      break;
    case ColumnType::kTimestamp: timestamps_.push_back(other.timestamps_[row]); break;
    case ColumnType::kStringList: lists_.push_back(other.lists_[row]); break;
  }
}

namespace {

// Appends the rows row_at(0..n-1) of `src` to `dst` (same type). A categorical value's code in
// `dst` is found once per code of `src` (first use), so the dictionary grows in the same order as
// appending row by row.
template <typename RowAt>
void AppendRows(const Column& src, size_t n, RowAt row_at, Column* dst) {
  dst->Reserve(dst->size() + n);
  switch (src.type()) {
    case ColumnType::kNumeric:
      for (size_t i = 0; i < n; ++i) dst->numeric().push_back(src.numeric()[row_at(i)]);
      break;
    case ColumnType::kTimestamp:
      for (size_t i = 0; i < n; ++i) dst->timestamps().push_back(src.timestamps()[row_at(i)]);
      break;
    case ColumnType::kStringList:
      for (size_t i = 0; i < n; ++i) dst->lists().push_back(src.lists()[row_at(i)]);
      break;
    case ColumnType::kCategorical: {
      constexpr int32_t kUnmapped = -2;
      std::vector<int32_t> remap(src.dictionary().size(), kUnmapped);
      for (size_t i = 0; i < n; ++i) {
        const int32_t code = src.codes()[row_at(i)];
        if (code == kMissingCode) {
          dst->codes().push_back(kMissingCode);
          continue;
        }
        int32_t& mapped = remap[static_cast<size_t>(code)];
        if (mapped == kUnmapped) {
          mapped = dst->InternCategory(src.dictionary()[static_cast<size_t>(code)]);
        }
        dst->codes().push_back(mapped);
      }
      break;
    }
  }
}

}  // namespace

void Column::AppendRowsFrom(const Column& other, std::span<const size_t> rows) {
  AppendRows(
      other, rows.size(), [&](size_t i) { return rows[i]; }, this);
}

void Column::AppendAllFrom(const Column& other) {
  // Every category of `other` may be new: size the index once rather than doubling it as it fills.
  if (type_ == ColumnType::kCategorical && other.type_ == ColumnType::kCategorical) {
    ReserveCategories(dictionary_.size() + other.dictionary_.size());
  }
  AppendRows(
      other, other.size(), [](size_t i) { return i; }, this);
}

void Column::AppendAllFrom(Column&& other) {
  if (type_ != ColumnType::kStringList || other.type_ != ColumnType::kStringList) {
    AppendAllFrom(static_cast<const Column&>(other));
    return;
  }
  lists_.insert(lists_.end(), std::make_move_iterator(other.lists_.begin()),
                std::make_move_iterator(other.lists_.end()));
  other.lists_.clear();
}

bool Column::IsMissing(size_t row) const {
  switch (type_) {
    case ColumnType::kNumeric: return std::isnan(numeric_[row]);
    case ColumnType::kCategorical: return codes_[row] == kMissingCode;
    case ColumnType::kTimestamp: return timestamps_[row] == kMissingTime;
    case ColumnType::kStringList: return lists_[row].empty();
  }
  return true;
}

size_t Column::CountMissing() const {
  size_t n = 0;
  const size_t rows = size();
  for (size_t i = 0; i < rows; ++i) n += IsMissing(i) ? 1 : 0;
  return n;
}

std::string Column::ValueAsString(size_t row, char list_separator) const {
  if (IsMissing(row)) return "";
  switch (type_) {
    case ColumnType::kNumeric: {
      char buf[64];
      const auto result = std::to_chars(buf, buf + sizeof(buf), numeric_[row]);
      return std::string(buf, result.ptr);
    }
    case ColumnType::kCategorical: return CategoryAt(row);
    case ColumnType::kTimestamp: return FormatTimestamp(timestamps_[row]);
    case ColumnType::kStringList: {
      std::string out;
      for (size_t i = 0; i < lists_[row].size(); ++i) {
        if (i > 0) out.push_back(list_separator);
        out += lists_[row][i];
      }
      return out;
    }
  }
  return "";
}

int Schema::Find(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Table Table::FromSchema(const Schema& schema) {
  Table t;
  for (const Field& f : schema.fields) t.columns_.emplace_back(f.name, f.type);
  return t;
}

const Column* Table::FindColumn(std::string_view name) const {
  for (const Column& c : columns_) {
    if (c.name() == name) return &c;
  }
  return nullptr;
}

Column* Table::FindMutableColumn(std::string_view name) {
  for (Column& c : columns_) {
    if (c.name() == name) return &c;
  }
  return nullptr;
}

StatusOr<const Column*> Table::GetColumn(std::string_view name) const {
  if (const Column* c = FindColumn(name)) return c;
  std::string have;
  for (const Column& c : columns_) have += (have.empty() ? "" : ", ") + c.name();
  return NotFoundError("no column named '" + std::string(name) + "' (columns: " + have + ")");
}

Status Table::AddColumn(Column column) {
  if (FindColumn(column.name()) != nullptr) {
    return AlreadyExistsError("column '" + column.name() + "' already exists");
  }
  if (!columns_.empty() && column.size() != num_rows_) {
    return InvalidArgumentError("column '" + column.name() + "' has " +
                                std::to_string(column.size()) + " rows, table has " +
                                std::to_string(num_rows_));
  }
  num_rows_ = column.size();
  columns_.push_back(std::move(column));
  return OkStatus();
}

void Table::RemoveColumn(std::string_view name) {
  for (auto it = columns_.begin(); it != columns_.end(); ++it) {
    if (it->name() == name) {
      columns_.erase(it);
      break;
    }
  }
  if (columns_.empty()) num_rows_ = 0;
}

Status Table::SyncRowCount() {
  if (columns_.empty()) {
    num_rows_ = 0;
    return OkStatus();
  }
  const size_t n = columns_[0].size();
  for (const Column& c : columns_) {
    if (c.size() != n) {
      return InternalError("column '" + c.name() + "' has " + std::to_string(c.size()) +
                           " rows, column '" + columns_[0].name() + "' has " + std::to_string(n));
    }
  }
  num_rows_ = n;
  return OkStatus();
}

Schema Table::schema() const {
  Schema s;
  for (const Column& c : columns_) s.fields.push_back({c.name(), c.type()});
  return s;
}

Table Table::Take(const std::vector<size_t>& rows) const {
  Table out;
  for (const Column& c : columns_) {
    Column col(c.name(), c.type());
    col.AppendRowsFrom(c, rows);
    out.columns_.push_back(std::move(col));
  }
  out.num_rows_ = rows.size();
  return out;
}

Status Table::Append(const Table& other) {
  if (columns_.empty() && num_rows_ == 0) {
    *this = other;
    return OkStatus();
  }
  if (other.schema() != schema()) {
    return InvalidArgumentError("cannot append a table with a different schema");
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    columns_[i].AppendAllFrom(other.columns_[i]);
  }
  num_rows_ += other.num_rows_;
  return OkStatus();
}

}  // namespace staycast::data
