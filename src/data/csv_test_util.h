// Test helpers for the CSV tests: temporary files and a value-by-value table comparison.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <string>

#include "src/data/table.h"

namespace staycast::data::testing {

// A fresh path in the test's temporary directory, unique to this process and test.
inline std::string TempPath(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "staycast_" + std::to_string(::getpid()) + "_" +
         info->test_suite_name() + "_" + info->name() + "_" + name;
}

inline void WriteTextFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Equal schemas and equal values: categories compared as text (codes may differ), NaN equals NaN.
inline ::testing::AssertionResult TablesEqual(const Table& a, const Table& b) {
  if (a.schema() != b.schema()) return ::testing::AssertionFailure() << "schemas differ";
  if (a.num_rows() != b.num_rows()) {
    return ::testing::AssertionFailure() << "rows: " << a.num_rows() << " vs " << b.num_rows();
  }
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = a.column(c);
    const Column& y = b.column(c);
    for (size_t r = 0; r < a.num_rows(); ++r) {
      bool same = x.IsMissing(r) == y.IsMissing(r);
      if (same && !x.IsMissing(r)) {
        switch (x.type()) {
          case ColumnType::kNumeric: same = x.numeric()[r] == y.numeric()[r]; break;
          case ColumnType::kCategorical: same = x.CategoryAt(r) == y.CategoryAt(r); break;
          case ColumnType::kTimestamp: same = x.timestamps()[r] == y.timestamps()[r]; break;
          case ColumnType::kStringList: same = x.lists()[r] == y.lists()[r]; break;
        }
      }
      if (!same) {
        return ::testing::AssertionFailure()
               << "column '" << x.name() << "' row " << r << ": [" << x.ValueAsString(r)
               << "] (missing=" << x.IsMissing(r) << ") vs [" << y.ValueAsString(r)
               << "] (missing=" << y.IsMissing(r) << ")";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace staycast::data::testing
