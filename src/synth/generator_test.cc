// Tests of the generator's contract: options, schema, determinism, chunking, and the internal
// consistency of every patient's history (readmissions, deaths, chronic flags, codes).
#include "src/synth/generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "src/core/status_matchers.h"
#include "src/data/admissions.h"
#include "src/synth/catalog.h"
#include "src/synth/generator_test_util.h"

namespace staycast::synth {
namespace {

namespace adm = data::admissions;
using ::staycast::testing::StatusIs;
using testing::Col;
using ::testing::HasSubstr;

Timestamp Day(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d) * kSecondsPerDay; }

GeneratorOptions Small(int64_t rows, uint64_t seed) {
  GeneratorOptions o;
  o.rows = rows;
  o.seed = seed;
  return o;
}

// True when both tables hold the same values, compared as written to CSV.
::testing::AssertionResult SameValues(const data::Table& a, const data::Table& b) {
  if (a.num_rows() != b.num_rows() || a.num_columns() != b.num_columns()) {
    return ::testing::AssertionFailure()
           << "shapes differ: " << a.num_rows() << " vs " << b.num_rows() << " rows";
  }
  for (size_t c = 0; c < a.num_columns(); ++c) {
    for (size_t r = 0; r < a.num_rows(); ++r) {
      if (a.column(c).ValueAsString(r) != b.column(c).ValueAsString(r)) {
        return ::testing::AssertionFailure()
               << a.column(c).name() << " row " << r << ": " << a.column(c).ValueAsString(r)
               << " vs " << b.column(c).ValueAsString(r);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(GeneratorOptionsTest, RejectsBadOptionsNamingTheOption) {
  GeneratorOptions o = Small(0, 1);
  EXPECT_THAT(ValidateGeneratorOptions(o),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--rows must be a positive")));
  o = Small(10, 1);
  o.years = 0;
  EXPECT_THAT(ValidateGeneratorOptions(o),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--years")));
  o = Small(10, 1);
  o.drift_start = Day(2030, 1, 1);  // default window is 2019-01-01 .. 2024-01-01
  EXPECT_THAT(
      ValidateGeneratorOptions(o),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("--drift-start 2030-01-01 must lie strictly inside the generated period "
                         "2019-01-01 .. 2024-01-01")));
  o.drift_start = o.start;
  EXPECT_THAT(Generator::Create(o).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--drift-start")));
  o.drift_start = Day(2021, 6, 1);
  EXPECT_OK(ValidateGeneratorOptions(o));
}

TEST(GeneratorOptionsTest, WindowEndAddsCalendarYears) {
  EXPECT_EQ(WindowEnd(Day(2019, 1, 1), 5), Day(2024, 1, 1));
  EXPECT_EQ(WindowEnd(Day(2019, 3, 15) + 3600, 1), Day(2020, 3, 15) + 3600);
}

TEST(GeneratorTest, ProducesExactlyTheAdmissionsSchemaAndRowCount) {
  ASSERT_OK_AND_ASSIGN(data::Table t, GenerateTable(Small(1234, 3)));
  EXPECT_EQ(t.schema(), adm::AdmissionsSchema());
  EXPECT_EQ(t.num_rows(), 1234u);
}

TEST(GeneratorTest, SameSeedGivesIdenticalTables) {
  ASSERT_OK_AND_ASSIGN(data::Table a, GenerateTable(Small(5000, 42)));
  ASSERT_OK_AND_ASSIGN(data::Table b, GenerateTable(Small(5000, 42)));
  EXPECT_TRUE(SameValues(a, b));
}

// Every row as one line of text, read chunk by chunk (no appending, so tiny chunks stay cheap).
std::vector<std::string> RowsAsText(const GeneratorOptions& options) {
  std::vector<std::string> rows;
  StatusOr<std::unique_ptr<Generator>> generator = Generator::Create(options);
  EXPECT_TRUE(generator.ok()) << generator.status().ToString();
  if (!generator.ok()) return rows;
  data::Table chunk;
  while ((*generator)->Next(&chunk)) {
    for (size_t r = 0; r < chunk.num_rows(); ++r) {
      std::string line;
      for (size_t c = 0; c < chunk.num_columns(); ++c)
        line += chunk.column(c).ValueAsString(r) + ",";
      rows.push_back(std::move(line));
    }
  }
  return rows;
}

TEST(GeneratorTest, ChunkSizeDoesNotChangeTheData) {
  GeneratorOptions o = Small(3000, 42);
  const std::vector<std::string> whole = RowsAsText(o);
  ASSERT_EQ(whole.size(), 3000u);
  for (size_t chunk : {13u, 1000u, 100000u}) {
    o.chunk_rows = chunk;
    EXPECT_EQ(RowsAsText(o), whole) << "chunk_rows " << chunk;
  }
}

TEST(GeneratorTest, FewerRowsArePrefixOfMoreRows) {
  ASSERT_OK_AND_ASSIGN(data::Table small, GenerateTable(Small(700, 5)));
  ASSERT_OK_AND_ASSIGN(data::Table large, GenerateTable(Small(3000, 5)));
  std::vector<size_t> prefix(700);
  for (size_t i = 0; i < prefix.size(); ++i) prefix[i] = i;
  // The last patient of the small table is cut, so only its readmission flag may differ.
  data::Table head = large.Take(prefix);
  const size_t last = 699;
  for (size_t c = 0; c < head.num_columns(); ++c) {
    if (head.column(c).name() == adm::kReadmitted30d) continue;
    for (size_t r = 0; r < prefix.size(); ++r) {
      ASSERT_EQ(head.column(c).ValueAsString(r), small.column(c).ValueAsString(r))
          << head.column(c).name() << " row " << r;
    }
  }
  EXPECT_EQ(Col(small, adm::kReadmitted30d).numeric()[last], 0.0);
}

TEST(GeneratorTest, DifferentSeedsGiveDifferentTables) {
  ASSERT_OK_AND_ASSIGN(data::Table a, GenerateTable(Small(2000, 1)));
  ASSERT_OK_AND_ASSIGN(data::Table b, GenerateTable(Small(2000, 2)));
  EXPECT_FALSE(SameValues(a, b));
  const auto& la = Col(a, adm::kLengthOfStay).numeric();
  const auto& lb = Col(b, adm::kLengthOfStay).numeric();
  size_t equal = 0;
  for (size_t r = 0; r < la.size(); ++r) equal += la[r] == lb[r] ? 1 : 0;
  EXPECT_LT(equal, la.size() / 10);
}

TEST(GeneratorTest, NextReturnsFalseWithAnEmptyChunkWhenDoneAndStatsMatch) {
  GeneratorOptions o = Small(2500, 9);
  o.chunk_rows = 1000;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Generator> g, Generator::Create(o));
  data::Table chunk;
  std::vector<size_t> sizes;
  double los = 0;
  int64_t readmissions = 0;
  std::set<std::string> patients;
  while (g->Next(&chunk)) {
    sizes.push_back(chunk.num_rows());
    for (size_t r = 0; r < chunk.num_rows(); ++r) {
      los += Col(chunk, adm::kLengthOfStay).numeric()[r];
      readmissions += Col(chunk, adm::kReadmitted30d).numeric()[r] > 0.5 ? 1 : 0;
      patients.insert(Col(chunk, adm::kPatientId).CategoryAt(r));
    }
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{1000, 1000, 500}));
  EXPECT_EQ(chunk.num_rows(), 0u);
  EXPECT_FALSE(g->Next(&chunk));
  EXPECT_EQ(g->stats().rows, 2500);
  EXPECT_EQ(g->stats().patients, static_cast<int64_t>(patients.size()));
  EXPECT_EQ(g->stats().readmissions, readmissions);
  EXPECT_NEAR(g->stats().total_los, los, 1e-6);
}

TEST(GeneratorTest, IdsAreUniqueAndTimesInsideTheWindow) {
  const data::Table& t = testing::StandardTable();
  const auto& ids = Col(t, adm::kAdmissionId);
  std::set<std::string> unique;
  for (size_t r = 0; r < t.num_rows(); ++r) unique.insert(ids.CategoryAt(r));
  EXPECT_EQ(unique.size(), t.num_rows());
  EXPECT_EQ(ids.CategoryAt(0), "A000000001");
  EXPECT_EQ(Col(t, adm::kPatientId).CategoryAt(0), "P00000001");
  const GeneratorOptions defaults;
  const Timestamp end = WindowEnd(defaults.start, defaults.years);
  const auto& admit = Col(t, adm::kAdmitTime).timestamps();
  const auto& discharge = Col(t, adm::kDischargeTime).timestamps();
  const auto& los = Col(t, adm::kLengthOfStay).numeric();
  for (size_t r = 0; r < t.num_rows(); ++r) {
    ASSERT_GE(admit[r], defaults.start);
    ASSERT_LT(admit[r], end);
    // discharge_time = admit_time + length_of_stay, exactly (LOS is in hundredths of a day).
    ASSERT_EQ(static_cast<double>(discharge[r] - admit[r]) / kSecondsPerDay, los[r]) << r;
    ASSERT_GE(los[r], 0.1);
  }
}

}  // namespace
}  // namespace staycast::synth
