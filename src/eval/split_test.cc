// Tests for splits: temporal order, no patient on both sides, determinism, K-fold balance.
#include "src/eval/split.h"

#include <random>
#include <set>

#include "src/core/status_matchers.h"

namespace staycast::eval {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

// n rows of `patients` patients with random times over ~4 years.
data::Table MakeTable(size_t n, int patients, uint64_t seed) {
  std::mt19937_64 rng(seed);
  data::Column pid("patient_id", data::ColumnType::kCategorical);
  data::Column t("admit_time", data::ColumnType::kTimestamp);
  for (size_t i = 0; i < n; ++i) {
    pid.AppendCategory("P" + std::to_string(rng() % static_cast<uint64_t>(patients)));
    t.AppendTimestamp(1'500'000'000 + static_cast<Timestamp>(rng() % 126'000'000));
  }
  data::Table table;
  EXPECT_OK(table.AddColumn(std::move(pid)));
  EXPECT_OK(table.AddColumn(std::move(t)));
  return table;
}

std::set<std::string> Patients(const data::Table& table, const std::vector<size_t>& rows) {
  std::set<std::string> out;
  for (size_t r : rows) out.insert(table.column(0).CategoryAt(r));
  return out;
}

TEST(SplitTest, TemporalTestsOnTheFutureWithNoSharedPatients) {
  const data::Table table = MakeTable(5000, 800, 1);
  SplitConfig c;
  c.time_column = "admit_time";
  c.group_column = "patient_id";
  ASSERT_OK_AND_ASSIGN(SplitIndices s, MakeSplit(table, c));
  const auto& times = table.column(1).timestamps();
  Timestamp latest_train = kMissingTime;
  for (const auto* part : {&s.train, &s.valid, &s.calibration}) {
    for (size_t r : *part) latest_train = std::max(latest_train, times[r]);
  }
  for (size_t r : s.test) EXPECT_GE(times[r], latest_train);
  EXPECT_EQ(s.test.size(), 1000u);
  const auto test_patients = Patients(table, s.test);
  for (const auto* part : {&s.train, &s.valid, &s.calibration}) {
    for (const std::string& p : Patients(table, *part)) EXPECT_EQ(test_patients.count(p), 0u) << p;
  }
  EXPECT_GT(s.dropped_shared, 0u);
  EXPECT_EQ(
      s.train.size() + s.valid.size() + s.calibration.size() + s.test.size() + s.dropped_shared,
      5000u);
}

TEST(SplitTest, TemporalCanKeepSharedPatientsWhenAskedExplicitly) {
  const data::Table table = MakeTable(2000, 300, 2);
  SplitConfig c;
  c.time_column = "admit_time";
  c.group_column = "patient_id";
  c.allow_shared_groups = true;
  ASSERT_OK_AND_ASSIGN(SplitIndices s, MakeSplit(table, c));
  EXPECT_EQ(s.dropped_shared, 0u);
  EXPECT_EQ(s.train.size() + s.valid.size() + s.calibration.size() + s.test.size(), 2000u);
}

TEST(SplitTest, GroupSplitIsDisjointDeterministicAndOrderFree) {
  const data::Table table = MakeTable(4000, 600, 3);
  SplitConfig c;
  c.kind = SplitKind::kGroup;
  c.group_column = "patient_id";
  ASSERT_OK_AND_ASSIGN(SplitIndices a, MakeSplit(table, c));
  ASSERT_OK_AND_ASSIGN(SplitIndices b, MakeSplit(table, c));
  EXPECT_EQ(a.test, b.test);
  const auto test_patients = Patients(table, a.test);
  for (const std::string& p : Patients(table, a.train)) EXPECT_EQ(test_patients.count(p), 0u);
  // Reversing the rows sends each patient to the same side.
  std::vector<size_t> reversed(table.num_rows());
  for (size_t i = 0; i < reversed.size(); ++i) reversed[i] = reversed.size() - 1 - i;
  ASSERT_OK_AND_ASSIGN(SplitIndices r, MakeSplit(table.Take(reversed), c));
  EXPECT_EQ(Patients(table.Take(reversed), r.test), test_patients);
  c.seed = 99;
  ASSERT_OK_AND_ASSIGN(SplitIndices other, MakeSplit(table, c));
  EXPECT_NE(Patients(table, other.test), test_patients);
}

TEST(SplitTest, ErrorsNameTheProblem) {
  const data::Table table = MakeTable(100, 20, 4);
  SplitConfig c;
  c.time_column = "discharge_time";
  EXPECT_THAT(MakeSplit(table, c), StatusIs(StatusCode::kNotFound, HasSubstr("discharge_time")));
  c.time_column = "patient_id";
  EXPECT_THAT(MakeSplit(table, c), StatusIs(StatusCode::kInvalidArgument,
                                            HasSubstr("must be timestamp, it is categorical")));
  c.time_column = "admit_time";
  c.test_fraction = 0.7;
  c.valid_fraction = 0.2;
  EXPECT_THAT(MakeSplit(table, c), StatusIs(StatusCode::kInvalidArgument, HasSubstr("under 10%")));
  c = SplitConfig{};
  c.kind = SplitKind::kGroup;
  EXPECT_THAT(MakeSplit(table, c),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("entity column")));
  EXPECT_THAT(ParseSplitKind("stratified"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("temporal")));
  EXPECT_THAT(MakeSplit(data::Table(), SplitConfig{}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no rows")));
}

TEST(SplitTest, GroupKFoldKeepsGroupsTogetherAndBalances) {
  const data::Table table = MakeTable(3000, 400, 5);
  ASSERT_OK_AND_ASSIGN(std::vector<int> folds, GroupKFold(table, "patient_id", 5, 7));
  std::map<std::string, int> fold_of;
  std::vector<size_t> counts(5, 0);
  for (size_t r = 0; r < folds.size(); ++r) {
    const std::string& p = table.column(0).CategoryAt(r);
    auto [it, inserted] = fold_of.emplace(p, folds[r]);
    EXPECT_EQ(it->second, folds[r]) << p;
    ++counts[static_cast<size_t>(folds[r])];
  }
  for (size_t c : counts) EXPECT_NEAR(static_cast<double>(c), 600.0, 30.0);
  EXPECT_THAT(GroupKFold(table, "patient_id", 1, 7),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at least 2")));
}

}  // namespace
}  // namespace staycast::eval
