// Helpers shared by the generator tests: cached generated tables and small statistics over rows.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "src/data/admissions.h"
#include "src/synth/generator.h"

namespace staycast::synth::testing {

// Generates (once per process and key) a table; fails the test if generation fails.
inline const data::Table& CachedTable(int64_t rows, uint64_t seed, Timestamp drift_start) {
  struct Entry {
    int64_t rows;
    uint64_t seed;
    Timestamp drift;
    data::Table table;
  };
  static std::vector<std::unique_ptr<Entry>> cache;
  for (const auto& e : cache) {
    if (e->rows == rows && e->seed == seed && e->drift == drift_start) return e->table;
  }
  GeneratorOptions options;
  options.rows = rows;
  options.seed = seed;
  options.drift_start = drift_start;
  options.chunk_rows = static_cast<size_t>(rows);  // one chunk: no appending
  StatusOr<data::Table> table = GenerateTable(options);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  cache.push_back(std::make_unique<Entry>(
      Entry{rows, seed, drift_start, table.ok() ? std::move(table).value() : data::Table()}));
  return cache.back()->table;
}

// The standard table of the effect tests: 100k rows, seed 11, no drift.
inline const data::Table& StandardTable() { return CachedTable(100000, 11, kMissingTime); }

inline const data::Column& Col(const data::Table& t, const char* name) {
  const data::Column* c = t.FindColumn(name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

// Mean and standard deviation of f(row) over rows where keep(row).
struct Moments {
  double n = 0;
  double mean = 0;
  double sd = 0;
};
inline Moments MomentsOf(const data::Table& t, const std::function<bool(size_t)>& keep,
                         const std::function<double(size_t)>& f) {
  double n = 0;
  double sum = 0;
  double sum2 = 0;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    if (!keep(r)) continue;
    const double x = f(r);
    n += 1;
    sum += x;
    sum2 += x * x;
  }
  Moments m;
  m.n = n;
  if (n > 0) m.mean = sum / n;
  if (n > 1) m.sd = std::sqrt(std::max(0.0, (sum2 - n * m.mean * m.mean) / (n - 1)));
  return m;
}

inline double LogLos(const data::Table& t, size_t r) {
  return std::log(Col(t, data::admissions::kLengthOfStay).numeric()[r]);
}

inline int ChronicCount(const data::Table& t, size_t r) {
  namespace adm = data::admissions;
  int n = 0;
  for (const char* name :
       {adm::kDiabetes, adm::kHypertension, adm::kHeartDisease, adm::kCopd, adm::kCkd}) {
    n += Col(t, name).numeric()[r] > 0.5 ? 1 : 0;
  }
  return n;
}

inline bool HasSurgicalProcedure(const data::Table& t, size_t r) {
  for (const std::string& code : Col(t, data::admissions::kProcedureCodes).lists()[r]) {
    if (!code.empty() && code[0] == '0') return true;
  }
  return false;
}

}  // namespace staycast::synth::testing
