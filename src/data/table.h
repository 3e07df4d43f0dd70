// Table and Column: Staycast's typed, columnar in-memory data. Numeric columns use NaN for missing,
// categorical columns are dictionary-encoded (code -1 = missing), timestamps are UTC seconds
// (kMissingTime = missing), string lists hold code lists such as diagnoses (empty list = missing).
// Not thread-safe for mutation; concurrent const access is fine.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/core/status.h"
#include "src/core/time.h"

namespace staycast::data {

enum class ColumnType { kNumeric, kCategorical, kTimestamp, kStringList };

// "numeric", "categorical", "timestamp", "string_list".
const char* ColumnTypeName(ColumnType type);
// Accepts the names above (and "number", "category", "datetime", "list" as synonyms).
StatusOr<ColumnType> ParseColumnType(std::string_view name);

inline constexpr int32_t kMissingCode = -1;

namespace internal {
// Backs large blocks with transparent huge pages (2 MiB). A big category index is probed at random;
// with 4 KiB pages nearly every probe would also miss the TLB. Small blocks come from malloc.
void* AllocateMaybeHuge(size_t bytes);
void FreeMaybeHuge(void* p);

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) {}
  T* allocate(size_t n) { return static_cast<T*>(AllocateMaybeHuge(n * sizeof(T))); }
  void deallocate(T* p, size_t /*n*/) { FreeMaybeHuge(p); }
  bool operator==(const HugePageAllocator& /*other*/) const { return true; }
};
}  // namespace internal

class Column {
 public:
  Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {}

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  ColumnType type() const { return type_; }
  size_t size() const;

  // Typed storage; only the vector matching type() is used.
  std::vector<double>& numeric() { return numeric_; }
  const std::vector<double>& numeric() const { return numeric_; }
  std::vector<int32_t>& codes() { return codes_; }
  const std::vector<int32_t>& codes() const { return codes_; }
  const std::vector<std::string>& dictionary() const { return dictionary_; }
  std::vector<Timestamp>& timestamps() { return timestamps_; }
  const std::vector<Timestamp>& timestamps() const { return timestamps_; }
  std::vector<std::vector<std::string>>& lists() { return lists_; }
  const std::vector<std::vector<std::string>>& lists() const { return lists_; }

  // Returns the code of a category, adding it to the dictionary when new.
  int32_t InternCategory(std::string_view value);
  // Makes room for n categories (readers that know how many there will be, appends of whole
  // columns); grows geometrically, so repeated calls stay amortised O(1) per category.
  void ReserveCategories(size_t n);
  // The code of an existing category, if any.
  std::optional<int32_t> FindCategory(std::string_view value) const;
  // The category string of a row ("" when missing). Categorical only.
  const std::string& CategoryAt(size_t row) const;

  void Reserve(size_t n);
  void AppendMissing();
  void AppendNumeric(double v) { numeric_.push_back(v); }
  void AppendCategory(std::string_view v) { codes_.push_back(InternCategory(v)); }
  // Appends many categories in order; faster than one at a time when the dictionary is large (the
  // lookups are prefetched in batches).
  void AppendCategories(std::span<const std::string_view> values);
  void AppendTimestamp(Timestamp t) { timestamps_.push_back(t); }
  void AppendList(std::vector<std::string> v) { lists_.push_back(std::move(v)); }
  // Appends row `row` of `other`, which must have the same type.
  void AppendFrom(const Column& other, size_t row);
  // Appends rows `rows` of `other` (same type), in that order; the same as AppendFrom for each,
  // but each of other's categories is looked up once, not once per row.
  void AppendRowsFrom(const Column& other, std::span<const size_t> rows);
  // Appends every row of `other` (same type), the same way.
  void AppendAllFrom(const Column& other);
  // The same, moving code lists out of `other` rather than copying them.
  void AppendAllFrom(Column&& other);

  bool IsMissing(size_t row) const;
  // Text form of a value as written to CSV: numbers in shortest round-trip form, timestamps as
  // "YYYY-MM-DD HH:MM:SS", lists joined with `list_separator`; "" when missing.
  std::string ValueAsString(size_t row, char list_separator = ';') const;
  // Number of missing values.
  size_t CountMissing() const;

 private:
  std::string name_;
  ColumnType type_;
  std::vector<double> numeric_;
  std::vector<int32_t> codes_;
  std::vector<std::string> dictionary_;
  // Category -> code: open addressing over dictionary_ (no allocation per category), at most half
  // full. A slot holds the low 32 bits of the category's hash and its code (-1: empty).
  struct IndexSlot {
    uint32_t hash = 0;
    int32_t code = -1;
  };
  void GrowIndex(size_t min_slots);
  int32_t InternHashed(std::string_view value, uint32_t hash);
  std::vector<IndexSlot, internal::HugePageAllocator<IndexSlot>> index_;
  std::vector<Timestamp> timestamps_;
  std::vector<std::vector<std::string>> lists_;
};

struct Field {
  std::string name;
  ColumnType type;
  bool operator==(const Field&) const = default;
};

struct Schema {
  std::vector<Field> fields;
  // Index of the named field, or -1.
  int Find(std::string_view name) const;
  bool operator==(const Schema&) const = default;
};

class Table {
 public:
  Table() = default;
  // An empty table with the given columns.
  static Table FromSchema(const Schema& schema);

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const Column& column(size_t i) const { return columns_[i]; }
  Column& mutable_column(size_t i) { return columns_[i]; }
  const std::vector<Column>& columns() const { return columns_; }

  // The named column, or nullptr.
  const Column* FindColumn(std::string_view name) const;
  Column* FindMutableColumn(std::string_view name);
  // The named column, or NotFound listing the columns that exist.
  StatusOr<const Column*> GetColumn(std::string_view name) const;

  // Adds a column; its size must equal num_rows() unless the table has no columns yet, and its name
  // must be new.
  Status AddColumn(Column column);
  // Removes the named column if present.
  void RemoveColumn(std::string_view name);
  // Call after appending the same number of values to every column directly; checks sizes agree.
  Status SyncRowCount();

  Schema schema() const;
  // A new table with the given rows, in that order.
  Table Take(const std::vector<size_t>& rows) const;
  // Appends all rows of `other`, whose schema must equal this table's (categories are re-interned).
  Status Append(const Table& other);

 private:
  std::vector<Column> columns_;
  size_t num_rows_ = 0;
};

}  // namespace staycast::data
