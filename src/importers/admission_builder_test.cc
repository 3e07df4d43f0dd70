// Tests for the shared admissions builder: ordering, length of stay, persistent chronic flags and
// the 30-day readmission rule (deaths, same-day returns, overlaps, the 30-day edge).
#include "src/importers/admission_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "src/core/status_matchers.h"
#include "src/data/admissions.h"
#include "src/importers/test_tables.h"

namespace staycast::importers {
namespace {

namespace adm = data::admissions;
using ::staycast::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Num;
using testing::RowOf;
using testing::Text;

constexpr Timestamp kDay = kSecondsPerDay;
constexpr Timestamp kT0 = 1'600'000'000;  // 2020-09-13

AdmissionRecord Stay(const std::string& id, const std::string& patient, Timestamp admit,
                     Timestamp discharge) {
  AdmissionRecord r;
  r.admission_id = id;
  r.patient_id = patient;
  r.admit_time = admit;
  r.discharge_time = discharge;
  return r;
}

TEST(BuildAdmissionsTableTest, SchemaAndOrder) {
  std::vector<AdmissionRecord> records = {Stay("b2", "p2", kT0, kT0 + kDay),
                                          Stay("a2", "p1", kT0 + 50 * kDay, kT0 + 51 * kDay),
                                          Stay("a1", "p1", kT0, kT0 + 2 * kDay)};
  records[2].diagnosis_codes = {"I10", "E11.9"};
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildAdmissionsTable(records));
  EXPECT_EQ(table.schema(), adm::AdmissionsSchema());
  ASSERT_EQ(table.num_rows(), 3u);
  EXPECT_EQ(Text(table, adm::kAdmissionId, 0), "a1");
  EXPECT_EQ(Text(table, adm::kAdmissionId, 1), "a2");
  EXPECT_EQ(Text(table, adm::kAdmissionId, 2), "b2");
  EXPECT_EQ(Text(table, adm::kDiagnosisPrimary, 0), "I10");
  EXPECT_THAT(testing::List(table, adm::kDiagnosisCodes, 0), ElementsAre("I10", "E11.9"));
  EXPECT_TRUE(table.FindColumn(adm::kDiagnosisPrimary)->IsMissing(1));
  EXPECT_DOUBLE_EQ(Num(table, adm::kLengthOfStay, 0), 2.0);
}

TEST(BuildAdmissionsTableTest, SingleStayIsNotReadmitted) {
  ASSERT_OK_AND_ASSIGN(data::Table table,
                       BuildAdmissionsTable({Stay("a", "p", kT0, kT0 + kDay / 2)}));
  EXPECT_EQ(Num(table, adm::kReadmitted30d, 0), 0);
  EXPECT_DOUBLE_EQ(Num(table, adm::kLengthOfStay, 0), 0.5);
}

TEST(BuildAdmissionsTableTest, ReadmissionWindow) {
  const Timestamp d = kT0 + kDay;
  ASSERT_OK_AND_ASSIGN(data::Table table,
                       BuildAdmissionsTable({
                           Stay("same-day", "p1", kT0, d),
                           Stay("next", "p1", d + 3 * 3600, d + 2 * kDay),
                           Stay("edge", "p2", kT0, d),
                           Stay("edge-next", "p2", d + 30 * kDay, d + 31 * kDay),
                           Stay("late", "p3", kT0, d),
                           Stay("late-next", "p3", d + 30 * kDay + 1, d + 32 * kDay),
                       }));
  EXPECT_EQ(Num(table, adm::kReadmitted30d, RowOf(table, adm::kAdmissionId, "same-day")), 1);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, RowOf(table, adm::kAdmissionId, "next")), 0);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, RowOf(table, adm::kAdmissionId, "edge")), 1);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, RowOf(table, adm::kAdmissionId, "late")), 0);
  ASSERT_OK_AND_ASSIGN(size_t followed, CountFollowedWithin30Days(table));
  EXPECT_EQ(followed, 2u);
}

TEST(BuildAdmissionsTableTest, DeathIsNeverReadmitted) {
  std::vector<AdmissionRecord> records = {Stay("died", "p", kT0, kT0 + kDay),
                                          Stay("after", "p", kT0 + 2 * kDay, kT0 + 3 * kDay)};
  records[0].died = true;
  records[0].discharge_disposition = adm::kDied;
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildAdmissionsTable(records));
  EXPECT_EQ(Num(table, adm::kReadmitted30d, RowOf(table, adm::kAdmissionId, "died")), 0);
  // The raw count still sees the stay that follows.
  ASSERT_OK_AND_ASSIGN(size_t followed, CountFollowedWithin30Days(table));
  EXPECT_EQ(followed, 1u);
}

TEST(BuildAdmissionsTableTest, OverlappingStayIsATransferNotAReadmission) {
  ASSERT_OK_AND_ASSIGN(data::Table table,
                       BuildAdmissionsTable({Stay("ward", "p", kT0, kT0 + 2 * kDay),
                                             Stay("icu", "p", kT0 + kDay, kT0 + 3 * kDay)}));
  EXPECT_EQ(Num(table, adm::kReadmitted30d, RowOf(table, adm::kAdmissionId, "ward")), 0);
}

TEST(BuildAdmissionsTableTest, ChronicFlagsPersistWithinAPatient) {
  std::vector<AdmissionRecord> records = {Stay("a1", "p1", kT0, kT0 + kDay),
                                          Stay("a2", "p1", kT0 + 100 * kDay, kT0 + 101 * kDay),
                                          Stay("a0", "p1", kT0 - 100 * kDay, kT0 - 99 * kDay),
                                          Stay("b1", "p2", kT0 + 200 * kDay, kT0 + 201 * kDay)};
  records[0].chronic = static_cast<ChronicFlags>(Chronic::kDiabetes);
  records[1].chronic = static_cast<ChronicFlags>(Chronic::kCkd);
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildAdmissionsTable(records));
  const size_t a0 = RowOf(table, adm::kAdmissionId, "a0");
  const size_t a1 = RowOf(table, adm::kAdmissionId, "a1");
  const size_t a2 = RowOf(table, adm::kAdmissionId, "a2");
  const size_t b1 = RowOf(table, adm::kAdmissionId, "b1");
  EXPECT_EQ(Num(table, adm::kDiabetes, a0), 0);  // before the diagnosis
  EXPECT_EQ(Num(table, adm::kDiabetes, a1), 1);
  EXPECT_EQ(Num(table, adm::kDiabetes, a2), 1);  // persists
  EXPECT_EQ(Num(table, adm::kCkd, a1), 0);
  EXPECT_EQ(Num(table, adm::kCkd, a2), 1);
  EXPECT_EQ(Num(table, adm::kDiabetes, b1), 0);  // never leaks to another patient
  EXPECT_EQ(Num(table, adm::kCopd, a2), 0);
}

TEST(BuildAdmissionsTableTest, MissingOrBackwardsDischarge) {
  ASSERT_OK_AND_ASSIGN(data::Table table,
                       BuildAdmissionsTable({Stay("open", "p", kT0, kMissingTime),
                                             Stay("backwards", "q", kT0, kT0 - 3600)}));
  const size_t open = RowOf(table, adm::kAdmissionId, "open");
  EXPECT_TRUE(std::isnan(Num(table, adm::kLengthOfStay, open)));
  EXPECT_TRUE(std::isnan(Num(table, adm::kReadmitted30d, open)));
  EXPECT_TRUE(
      std::isnan(Num(table, adm::kLengthOfStay, RowOf(table, adm::kAdmissionId, "backwards"))));
}

TEST(BuildAdmissionsTableTest, Errors) {
  EXPECT_THAT(BuildAdmissionsTable({Stay("a", "p", kT0, kT0), Stay("a", "q", kT0, kT0)}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("admission id a appears more")));
  EXPECT_THAT(BuildAdmissionsTable({Stay("a", "p", kMissingTime, kT0)}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("admission a has no admit time")));
  EXPECT_THAT(BuildAdmissionsTable({Stay("a", "", kT0, kT0)}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no patient id")));
}

TEST(BuildAdmissionsTableTest, EmptyInputGivesAnEmptyTable) {
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildAdmissionsTable({}));
  EXPECT_EQ(table.num_rows(), 0u);
  EXPECT_EQ(table.schema(), adm::AdmissionsSchema());
}

}  // namespace
}  // namespace staycast::importers
