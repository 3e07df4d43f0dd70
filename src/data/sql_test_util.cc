// Seeded random tables and exact table comparison for the SQL round-trip tests.
#include "src/data/sql_test_util.h"

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace staycast::data::testing {
namespace {

const std::vector<std::string>& Categories() {
  static const std::vector<std::string> kValues = {
      "ICU",        "general ward", "Zoë",        "日本語",     "🚑 emergency", "O'Brien",
      "say \"hi\"", "back\\slash",  "tab\there",  "two\nlines", "NA",          "",
      "007",        "1e5",          "2020-01-01", "NULL",       "semi;colon",  "comma, too"};
  return kValues;
}

const std::vector<std::string>& Codes() {
  static const std::vector<std::string> kValues = {"I10",  "E11.9", "J18.9",  "Ü-12",
                                                   "x\"y", "a'b",   "tab\tc", "back\\d"};
  return kValues;
}

double RandomDouble(std::mt19937_64& rng) {
  static const double kSpecial[] = {0.0,
                                    -0.0,
                                    1.0,
                                    -2.5,
                                    0.1,
                                    1.0 / 3.0,
                                    1e308,
                                    -1.7976931348623157e308,
                                    5e-324,
                                    2.2250738585072014e-308,
                                    9007199254740993.0,
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity()};
  switch (rng() % 4) {
    case 0: return kSpecial[rng() % std::size(kSpecial)];
    case 1: return static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000);
    case 2: return std::normal_distribution<double>(50.0, 30.0)(rng);
    default: {
      double v = std::numeric_limits<double>::quiet_NaN();
      while (std::isnan(v)) v = std::bit_cast<double>(rng());  // Any bit pattern but NaN.
      return v;
    }
  }
}

Timestamp RandomTime(std::mt19937_64& rng) {
  static const Timestamp kSpecial[] = {
      DaysFromCivil(1, 1, 1) * kSecondsPerDay,          // the first second Staycast can store
      DaysFromCivil(10000, 1, 1) * kSecondsPerDay - 1,  // 9999-12-31 23:59:59
      -1,                                               // 1969-12-31 23:59:59
      0,
      DaysFromCivil(1900, 2, 28) * kSecondsPerDay + 12 * 3600,
      DaysFromCivil(2000, 2, 29) * kSecondsPerDay};
  if (rng() % 4 == 0) return kSpecial[rng() % std::size(kSpecial)];
  const Timestamp lo = DaysFromCivil(1, 1, 1) * kSecondsPerDay;
  const Timestamp hi = DaysFromCivil(9999, 12, 31) * kSecondsPerDay;
  return std::uniform_int_distribution<Timestamp>(lo, hi)(rng);
}

}  // namespace

Table RandomTable(uint64_t seed, size_t rows) {
  std::mt19937_64 rng(seed);
  Column num("length_of_stay", ColumnType::kNumeric);
  Column cat("ward", ColumnType::kCategorical);
  Column code_like("code \"quoted\" name", ColumnType::kCategorical);
  Column when("admit_time", ColumnType::kTimestamp);
  Column codes("diagnoses", ColumnType::kStringList);
  Column size("größe", ColumnType::kNumeric);
  const auto missing = [&rng] { return rng() % 10 == 0; };
  for (size_t r = 0; r < rows; ++r) {
    missing() ? num.AppendMissing() : num.AppendNumeric(RandomDouble(rng));
    missing() ? cat.AppendMissing() : cat.AppendCategory(Categories()[rng() % Categories().size()]);
    missing() ? code_like.AppendMissing() : code_like.AppendCategory(std::to_string(rng() % 1000));
    missing() ? when.AppendMissing() : when.AppendTimestamp(RandomTime(rng));
    if (missing()) {
      codes.AppendMissing();
    } else if (rng() % 20 == 0) {
      codes.AppendList(rng() % 2 == 0 ? std::vector<std::string>{""}
                                      : std::vector<std::string>{"I10", ""});
    } else {
      std::vector<std::string> items(1 + rng() % 4);
      for (std::string& item : items) item = Codes()[rng() % Codes().size()];
      codes.AppendList(std::move(items));
    }
    missing() ? size.AppendMissing() : size.AppendNumeric(static_cast<double>(rng() % 100));
  }
  Table table;
  for (Column* c : {&num, &cat, &code_like, &when, &codes, &size}) {
    if (!table.AddColumn(std::move(*c)).ok()) return Table();
  }
  return table;
}

std::string TableDifference(const Table& expected, const Table& actual) {
  if (expected.num_columns() != actual.num_columns()) {
    return "column count " + std::to_string(expected.num_columns()) + " vs " +
           std::to_string(actual.num_columns());
  }
  for (size_t c = 0; c < expected.num_columns(); ++c) {
    const Column& e = expected.column(c);
    const Column& a = actual.column(c);
    if (e.name() != a.name())
      return "column " + std::to_string(c) + " name '" + e.name() + "' vs '" + a.name() + "'";
    if (e.type() != a.type()) {
      return "column '" + e.name() + "' type " + ColumnTypeName(e.type()) + " vs " +
             ColumnTypeName(a.type());
    }
  }
  if (expected.num_rows() != actual.num_rows()) {
    return "row count " + std::to_string(expected.num_rows()) + " vs " +
           std::to_string(actual.num_rows());
  }
  for (size_t c = 0; c < expected.num_columns(); ++c) {
    const Column& e = expected.column(c);
    const Column& a = actual.column(c);
    for (size_t r = 0; r < expected.num_rows(); ++r) {
      bool same = e.IsMissing(r) == a.IsMissing(r);
      if (same && !e.IsMissing(r)) {
        switch (e.type()) {
          case ColumnType::kNumeric: {
            const double x = e.numeric()[r];
            const double y = a.numeric()[r];
            same = std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(y) || (x == 0 && y == 0);
            break;
          }
          case ColumnType::kCategorical: same = e.CategoryAt(r) == a.CategoryAt(r); break;
          case ColumnType::kTimestamp: same = e.timestamps()[r] == a.timestamps()[r]; break;
          case ColumnType::kStringList: same = e.lists()[r] == a.lists()[r]; break;
        }
      }
      if (!same) {
        return "column '" + e.name() + "' row " + std::to_string(r) + ": expected [" +
               (e.IsMissing(r) ? "missing" : e.ValueAsString(r)) + "], got [" +
               (a.IsMissing(r) ? "missing" : a.ValueAsString(r)) + "]";
      }
    }
  }
  return "";
}

}  // namespace staycast::data::testing
