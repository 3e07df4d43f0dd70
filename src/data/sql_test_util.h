// Test helpers for the SQL round trips: seeded random tables with every column type and awkward
// values, and an exact comparison of two tables.
#pragma once

#include <cstdint>
#include <string>

#include "src/data/table.h"

namespace staycast::data::testing {

// A table of `rows` rows with numeric, categorical, timestamp and string-list columns (and awkward
// column names): missing values, unicode, quotes, backslashes, tabs and newlines in text, "NA" and
// "" as real categories, numeric-looking categories, timestamps from year 1 to 9999, extreme and
// random-bit doubles, infinities. Deterministic for a seed.
Table RandomTable(uint64_t seed, size_t rows);

// "" when the tables are equal value for value (doubles bit for bit, except that +0 equals -0:
// SQLite does not keep the sign of zero), else a description of the first difference.
std::string TableDifference(const Table& expected, const Table& actual);

}  // namespace staycast::data::testing
