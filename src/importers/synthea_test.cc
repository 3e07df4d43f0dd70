// Tests for the Synthea mapping on small hand-made tables: inpatient selection, admission type from
// a preceding emergency visit, chronic flags from earlier conditions, deaths, aftercare, payers.
#include "src/importers/synthea.h"

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
using testing::List;
using testing::MakeSource;
using testing::Num;
using testing::RowOf;
using testing::Text;
using T = data::ColumnType;

constexpr const char* kMedicare = "pay-medicare";
constexpr const char* kPrivate = "pay-aetna";

// Patient A (born 1950-06-15): wellness visit with diabetes in 1999; emergency visit then
// inpatient I1 on 2000-06-14; hypertension diagnosed 2000-06-20; planned surgical admission I2 on
// 2000-07-01, then a skilled-nursing stay from the day of discharge. Patient B: died on the day of
// the second of two inpatient stays (I3, I4).
SyntheaTables SmallSyntheaTables() {
  SyntheaTables t;
  t.encounters = MakeSource(
      "encounters.csv",
      {{"Id", T::kCategorical, {"W1", "E1", "I1", "I2", "S1", "I3", "I4"}},
       {"START",
        T::kTimestamp,
        {"1999-03-01T09:00:00Z", "2000-06-14T10:00:00Z", "2000-06-14T10:30:00Z",
         "2000-07-01T08:00:00Z", "2000-07-03T12:00:00Z", "2010-01-01T00:00:00Z",
         "2010-03-01T00:00:00Z"}},
       {"STOP",
        T::kTimestamp,
        {"1999-03-01T09:15:00Z", "2000-06-14T11:00:00Z", "2000-06-16T10:30:00Z",
         "2000-07-03T08:00:00Z", "2000-07-20T12:00:00Z", "2010-01-03T00:00:00Z",
         "2010-03-02T12:00:00Z"}},
       {"PATIENT", T::kCategorical, {"A", "A", "A", "A", "A", "B", "B"}},
       {"PAYER",
        T::kCategorical,
        {kMedicare, kMedicare, kMedicare, kPrivate, kPrivate, "pay-none", "unknown-payer"}},
       {"ENCOUNTERCLASS",
        T::kCategorical,
        {"wellness", "emergency", "inpatient", "inpatient", "snf", "inpatient", "inpatient"}},
       {"CODE",
        T::kCategorical,
        {"410620009", "50849002", "185347001", "305408004", "", "32485007", "305351004"}},
       {"REASONCODE", T::kCategorical, {"", "", "74400008", "", "", "", "88805009"}}});
  t.patients =
      MakeSource("patients.csv", {{"Id", T::kCategorical, {"A", "B"}},
                                  {"BIRTHDATE", T::kTimestamp, {"1950-06-15", "1930-01-01"}},
                                  {"DEATHDATE", T::kTimestamp, {"", "2010-03-02"}},
                                  {"GENDER", T::kCategorical, {"F", "M"}}});
  t.conditions = MakeSource(
      "conditions.csv",
      {{"START",
        T::kTimestamp,
        {"1999-03-01", "2000-06-14", "2000-06-14", "2000-06-20", "2010-01-01"}},
       {"PATIENT", T::kCategorical, {"A", "A", "A", "A", "B"}},
       {"ENCOUNTER", T::kCategorical, {"W1", "I1", "I1", "X", "I3"}},
       {"CODE", T::kCategorical, {"44054006", "74400008", "233604007", "59621000", "10509002"}}});
  t.procedures = MakeSource(
      "procedures.csv", {{"START",
                          T::kTimestamp,
                          {"2000-06-15T10:00:00Z", "2000-06-14T11:00:00Z", "2000-06-15T12:00:00Z"}},
                         {"PATIENT", T::kCategorical, {"A", "A", "A"}},
                         {"ENCOUNTER", T::kCategorical, {"I1", "I1", "I1"}},
                         {"CODE", T::kCategorical, {"80146002", "371908008", "80146002"}}});
  t.payers = MakeSource(
      "payers.csv", {{"Id", T::kCategorical, {kMedicare, kPrivate, "pay-none"}},
                     {"NAME", T::kCategorical, {"Medicare", "Aetna", "NO_INSURANCE"}},
                     {"OWNERSHIP", T::kCategorical, {"GOVERNMENT", "PRIVATE", "NO_INSURANCE"}}});
  return t;
}

TEST(SyntheaTest, MapsInpatientEncounters) {
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildSyntheaAdmissions(SmallSyntheaTables()));
  EXPECT_EQ(table.schema(), adm::AdmissionsSchema());
  ASSERT_EQ(table.num_rows(), 4u);  // only the inpatient encounters
  const size_t i1 = RowOf(table, adm::kAdmissionId, "I1");
  const size_t i2 = RowOf(table, adm::kAdmissionId, "I2");
  const size_t i3 = RowOf(table, adm::kAdmissionId, "I3");
  const size_t i4 = RowOf(table, adm::kAdmissionId, "I4");

  EXPECT_EQ(Text(table, adm::kAdmissionType, i1), "Emergency");
  EXPECT_EQ(Text(table, adm::kAdmissionType, i2), "Elective");
  EXPECT_EQ(Text(table, adm::kAdmissionType, i3), "Urgent");
  EXPECT_EQ(Text(table, adm::kDepartment, i2), "General Surgery");
  EXPECT_EQ(Text(table, adm::kDepartment, i3), "General Medicine");
  EXPECT_EQ(Text(table, adm::kDepartment, i4), "Intensive Care");

  // Reason first, then the encounter's conditions, each once; procedures in time order, each once.
  EXPECT_THAT(List(table, adm::kDiagnosisCodes, i1), ElementsAre("74400008", "233604007"));
  EXPECT_EQ(Text(table, adm::kDiagnosisPrimary, i1), "74400008");
  EXPECT_THAT(List(table, adm::kProcedureCodes, i1), ElementsAre("371908008", "80146002"));
  EXPECT_TRUE(List(table, adm::kDiagnosisCodes, i2).empty());

  // Chronic flags from conditions of any encounter known by discharge, persistent.
  EXPECT_EQ(Num(table, adm::kDiabetes, i1), 1);
  EXPECT_EQ(Num(table, adm::kHypertension, i1), 0);
  EXPECT_EQ(Num(table, adm::kHypertension, i2), 1);
  EXPECT_EQ(Num(table, adm::kDiabetes, i2), 1);
  EXPECT_EQ(Num(table, adm::kDiabetes, i3), 0);

  // Age in whole years: one day before the 50th birthday.
  EXPECT_EQ(Num(table, adm::kAge, i1), 49);
  EXPECT_EQ(Text(table, adm::kGender, i3), "M");

  EXPECT_DOUBLE_EQ(Num(table, adm::kLengthOfStay, i1), 2.0);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, i1), 1);  // I2 starts 15 days after
  EXPECT_EQ(Num(table, adm::kReadmitted30d, i2), 0);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, i3), 0);  // I4 starts 57 days after
  EXPECT_EQ(Num(table, adm::kReadmitted30d, i4), 0);

  EXPECT_EQ(Text(table, adm::kDischargeDisposition, i1), "Home");
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, i2), "SNF");
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, i3), "Home");
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, i4), adm::kDied);

  EXPECT_EQ(Text(table, adm::kInsuranceType, i1), "Medicare");
  EXPECT_EQ(Text(table, adm::kInsuranceType, i2), "Private");
  EXPECT_EQ(Text(table, adm::kInsuranceType, i3), "Self-pay");
  EXPECT_EQ(Text(table, adm::kInsuranceType, i4), "");
  EXPECT_TRUE(std::isnan(Num(table, adm::kSeverity, i1)));
}

TEST(SyntheaTest, DeathAfterDischargeIsNotAnInHospitalDeath) {
  SyntheaTables t = SmallSyntheaTables();
  Timestamp later = kMissingTime;
  ASSERT_TRUE(ParseTimestamp("2010-05-01", &later));
  t.patients.table.FindMutableColumn("DEATHDATE")->timestamps()[1] = later;
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildSyntheaAdmissions(t));
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, RowOf(table, adm::kAdmissionId, "I4")), "Home");
}

TEST(SyntheaTest, MissingColumnNamesTheFile) {
  SyntheaTables t = SmallSyntheaTables();
  t.encounters.table.RemoveColumn("ENCOUNTERCLASS");
  EXPECT_THAT(BuildSyntheaAdmissions(t),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("encounters.csv: missing required column(s) ENCOUNTERCLASS")));
}

TEST(SyntheaTest, MissingDirectory) {
  EXPECT_THAT(
      ImportSynthea("/nonexistent/synthea"),
      StatusIs(StatusCode::kNotFound, HasSubstr("Synthea CSV directory '/nonexistent/synthea'")));
}

TEST(SyntheaTest, Mappings) {
  EXPECT_EQ(MapSyntheaInsurance("Dual Eligible", "GOVERNMENT"), "Medicare");
  EXPECT_EQ(MapSyntheaInsurance("Medicaid", "GOVERNMENT"), "Medicaid");
  EXPECT_EQ(MapSyntheaInsurance("Humana", "PRIVATE"), "Private");
  EXPECT_EQ(MapSyntheaInsurance("Tribal", "GOVERNMENT"), "Other");
  EXPECT_EQ(MapSyntheaDepartment("397821002"), "Intensive Care");
  EXPECT_EQ(MapSyntheaDepartment("1505002"), "General Medicine");
}

}  // namespace
}  // namespace staycast::importers
