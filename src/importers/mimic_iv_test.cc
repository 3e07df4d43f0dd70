// Tests for the MIMIC-IV mapping on small hand-made tables: joins, code order and format, chronic
// flags across ICD versions, age, severity, department, admission type, deaths and missing inputs.
#include "src/importers/mimic_iv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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

// Patient 1: an ICD-9 stay with diabetes (101), a stay 10 days later with ICD-10 codes only (102),
// and a stay ending in death (103) 5 days after that. Patient 2: one observation stay (201).
MimicIvTables SmallMimicTables() {
  MimicIvTables t;
  t.admissions = MakeSource(
      "admissions.csv",
      {{"subject_id", T::kCategorical, {"1", "1", "1", "2"}},
       {"hadm_id", T::kCategorical, {"102", "101", "103", "201"}},
       {"admittime",
        T::kTimestamp,
        {"2150-01-20 10:00:00", "2150-01-01 08:00:00", "2150-02-04 09:00:00",
         "2161-07-01 12:00:00"}},
       {"dischtime",
        T::kTimestamp,
        {"2150-01-30 10:00:00", "2150-01-10 08:00:00", "2150-02-06 09:00:00",
         "2161-07-02 00:00:00"}},
       {"admission_type", T::kCategorical, {"EW EMER.", "ELECTIVE", "URGENT", "OBSERVATION ADMIT"}},
       {"admission_location",
        T::kCategorical,
        {"EMERGENCY ROOM", "PHYSICIAN REFERRAL", "TRANSFER FROM HOSPITAL", "EMERGENCY ROOM"}},
       {"discharge_location", T::kCategorical, {"HOME", "HOME HEALTH CARE", "DIED", ""}},
       {"insurance", T::kCategorical, {"Medicare", "Medicare", "Medicare", "Other"}},
       {"hospital_expire_flag", T::kNumeric, {"0", "0", "1", "0"}}});
  t.patients = MakeSource("patients.csv", {{"subject_id", T::kCategorical, {"1", "2"}},
                                           {"gender", T::kCategorical, {"F", "M"}},
                                           {"anchor_age", T::kNumeric, {"60", "40"}},
                                           {"anchor_year", T::kNumeric, {"2148", "2161"}}});
  t.diagnoses =
      MakeSource("diagnoses_icd.csv",
                 {{"hadm_id", T::kCategorical, {"101", "101", "101", "102", "102", "999"}},
                  {"seq_num", T::kNumeric, {"3", "1", "2", "2", "1", "1"}},
                  {"icd_code", T::kCategorical, {"4019", "41401", "25000", "N183", "J189", "E119"}},
                  {"icd_version", T::kNumeric, {"9", "9", "9", "10", "10", "10"}}});
  t.procedures =
      MakeSource("procedures_icd.csv", {{"hadm_id", T::kCategorical, {"101", "101"}},
                                        {"seq_num", T::kNumeric, {"2", "1"}},
                                        {"icd_code", T::kCategorical, {"3615", "02HV33Z"}},
                                        {"icd_version", T::kNumeric, {"9", "10"}}});
  t.services = MakeSource("services.csv",
                          {{"hadm_id", T::kCategorical, {"101", "101", "102"}},
                           {"transfertime",
                            T::kTimestamp,
                            {"2150-01-02 08:00:00", "2150-01-01 08:05:00", "2150-01-20 10:05:00"}},
                           {"curr_service", T::kCategorical, {"MED", "CSURG", "XYZ"}}});
  t.drgcodes = MakeSource("drgcodes.csv", {{"hadm_id", T::kCategorical, {"101", "101", "102"}},
                                           {"drg_type", T::kCategorical, {"APR", "HCFA", "APR"}},
                                           {"drg_severity", T::kNumeric, {"2", "", "4"}}});
  return t;
}

TEST(MimicIvTest, MapsAdmissions) {
  ASSERT_OK_AND_ASSIGN(data::Table table, BuildMimicIvAdmissions(SmallMimicTables()));
  EXPECT_EQ(table.schema(), adm::AdmissionsSchema());
  ASSERT_EQ(table.num_rows(), 4u);
  const size_t a101 = RowOf(table, adm::kAdmissionId, "101");
  const size_t a102 = RowOf(table, adm::kAdmissionId, "102");
  const size_t a103 = RowOf(table, adm::kAdmissionId, "103");
  const size_t a201 = RowOf(table, adm::kAdmissionId, "201");
  EXPECT_EQ(a101, 0u);  // ordered by patient, then admit time

  // Codes in seq_num order, dotted; the primary is seq_num 1; unknown hadm_id 999 ignored.
  EXPECT_THAT(List(table, adm::kDiagnosisCodes, a101), ElementsAre("414.01", "250.00", "401.9"));
  EXPECT_EQ(Text(table, adm::kDiagnosisPrimary, a101), "414.01");
  EXPECT_THAT(List(table, adm::kDiagnosisCodes, a102), ElementsAre("J18.9", "N18.3"));
  EXPECT_THAT(List(table, adm::kProcedureCodes, a101), ElementsAre("02HV33Z", "36.15"));
  EXPECT_TRUE(List(table, adm::kProcedureCodes, a102).empty());
  EXPECT_TRUE(List(table, adm::kDiagnosisCodes, a103).empty());

  // Chronic flags: ICD-9 at 101, ICD-10 CKD at 102, all persisting to 103.
  EXPECT_EQ(Num(table, adm::kDiabetes, a101), 1);
  EXPECT_EQ(Num(table, adm::kHypertension, a101), 1);
  EXPECT_EQ(Num(table, adm::kHeartDisease, a101), 1);
  EXPECT_EQ(Num(table, adm::kCkd, a101), 0);
  EXPECT_EQ(Num(table, adm::kCkd, a102), 1);
  EXPECT_EQ(Num(table, adm::kDiabetes, a102), 1);
  EXPECT_EQ(Num(table, adm::kDiabetes, a103), 1);
  EXPECT_EQ(Num(table, adm::kCkd, a103), 1);
  EXPECT_EQ(Num(table, adm::kCopd, a103), 0);
  EXPECT_EQ(Num(table, adm::kDiabetes, a201), 0);

  // Age = anchor_age + (admit year - anchor_year).
  EXPECT_EQ(Num(table, adm::kAge, a101), 62);
  EXPECT_EQ(Num(table, adm::kAge, a201), 40);
  EXPECT_EQ(Text(table, adm::kGender, a201), "M");

  // LOS and readmission: 101 -> 102 after 10 days; 102 -> 103 after 5 days; 103 died.
  EXPECT_DOUBLE_EQ(Num(table, adm::kLengthOfStay, a101), 9.0);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, a101), 1);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, a102), 1);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, a103), 0);
  EXPECT_EQ(Num(table, adm::kReadmitted30d, a201), 0);

  EXPECT_EQ(Text(table, adm::kDischargeDisposition, a101), "Home health");
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, a103), "Died");
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, a201), "");

  EXPECT_EQ(Text(table, adm::kAdmissionType, a101), "Elective");
  EXPECT_EQ(Text(table, adm::kAdmissionType, a102), "Emergency");
  EXPECT_EQ(Text(table, adm::kAdmissionType, a103), "Urgent");
  EXPECT_EQ(Text(table, adm::kAdmissionType, a201), "Emergency");

  // Department: the earliest service; unknown service codes kept as given.
  EXPECT_EQ(Text(table, adm::kDepartment, a101), "Cardiac Surgery");
  EXPECT_EQ(Text(table, adm::kDepartment, a102), "XYZ");
  EXPECT_EQ(Text(table, adm::kDepartment, a103), "");

  // Severity: APR-DRG only.
  EXPECT_EQ(Num(table, adm::kSeverity, a101), 2);
  EXPECT_EQ(Num(table, adm::kSeverity, a102), 4);
  EXPECT_TRUE(std::isnan(Num(table, adm::kSeverity, a103)));
  EXPECT_EQ(Text(table, adm::kInsuranceType, a201), "Other");
}

TEST(MimicIvTest, MissingColumnNamesTheFile) {
  MimicIvTables t = SmallMimicTables();
  t.admissions.table.RemoveColumn("dischtime");
  EXPECT_THAT(BuildMimicIvAdmissions(t),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("admissions.csv: missing required column(s) dischtime")));
  t = SmallMimicTables();
  t.diagnoses.table.RemoveColumn("seq_num");
  t.diagnoses.table.RemoveColumn("icd_version");
  EXPECT_THAT(BuildMimicIvAdmissions(t),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("diagnoses_icd.csv: missing required column(s) seq_num, "
                                 "icd_version")));
}

TEST(MimicIvTest, BadValuesNameFileLineAndColumn) {
  MimicIvTables t = SmallMimicTables();
  t.diagnoses = MakeSource("diagnoses_icd.csv", {{"hadm_id", T::kCategorical, {"101", "101"}},
                                                 {"seq_num", T::kNumeric, {"1", "2"}},
                                                 {"icd_code", T::kCategorical, {"4019", "I10"}},
                                                 {"icd_version", T::kNumeric, {"9", "11"}}});
  EXPECT_THAT(BuildMimicIvAdmissions(t),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("diagnoses_icd.csv line 3, column 'icd_version': expected 9 or "
                                 "10, got '11'")));
  t = SmallMimicTables();
  t.admissions.table.RemoveColumn("admittime");
  ASSERT_OK(t.admissions.table.AddColumn(
      testing::MakeTable(
          {{"admittime", T::kCategorical, {"2150-01-20", "yesterday", "2150-02-04", "2161-07-01"}}})
          .column(0)));
  EXPECT_THAT(BuildMimicIvAdmissions(t),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("admissions.csv line 3, column 'admittime': expected a date")));
}

TEST(MimicIvTest, DuplicateAdmission) {
  MimicIvTables t = SmallMimicTables();
  t.admissions.table = t.admissions.table.Take({0, 1, 1});
  EXPECT_THAT(
      BuildMimicIvAdmissions(t),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("admissions.csv line 4, column 'hadm_id': admission 101 appears")));
}

TEST(MimicIvTest, Mappings) {
  EXPECT_EQ(MapMimicAdmissionType("DIRECT EMER.", "CLINIC REFERRAL"), "Emergency");
  EXPECT_EQ(MapMimicAdmissionType("EU OBSERVATION", "PHYSICIAN REFERRAL"), "Emergency");
  EXPECT_EQ(MapMimicAdmissionType("DIRECT OBSERVATION", "PHYSICIAN REFERRAL"), "Urgent");
  EXPECT_EQ(MapMimicAdmissionType("SURGICAL SAME DAY ADMISSION", ""), "Elective");
  EXPECT_EQ(MapMimicAdmissionType("AMBULATORY OBSERVATION", "PACU"), "Elective");
  EXPECT_EQ(MapMimicAdmissionType("NEWBORN", ""), "");
  EXPECT_EQ(MapMimicDisposition("HOME", true), "Died");
  EXPECT_EQ(MapMimicDisposition("SKILLED NURSING FACILITY", false), "SNF");
  EXPECT_EQ(MapMimicDisposition("SOMEWHERE NEW", false), "Other");
  EXPECT_EQ(MapMimicService("OMED"), "Oncology");
}

// A fresh empty directory under the test's temporary folder.
std::string TempDir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = std::string(base != nullptr ? base : "/tmp") + "/staycast_mimic_" + name + "_" +
                    std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(MimicIvTest, MissingDirectoryOrFile) {
  EXPECT_THAT(ImportMimicIv("/nonexistent/mimic"),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("MIMIC-IV hosp directory '/nonexistent/mimic' does not exist")));
  const std::string dir = TempDir("files");
  EXPECT_THAT(ImportMimicIv(dir),
              StatusIs(StatusCode::kNotFound, HasSubstr("missing " + dir + "/admissions.csv")));
  std::ofstream(dir + "/admissions.csv.gz") << "x";
  EXPECT_THAT(ImportMimicIv(dir), StatusIs(StatusCode::kNotFound, HasSubstr("decompress it")));
  // A header without a required column is reported before any row is read.
  std::ofstream(dir + "/admissions.csv")
      << "subject_id,hadm_id,admittime,admission_type,admission_location,discharge_location,"
         "insurance,hospital_expire_flag\n1,2,2150-01-01,URGENT,,HOME,Other,0\n";
  EXPECT_THAT(ImportMimicIv(dir),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("admissions.csv: missing required column(s) dischtime")));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace staycast::importers
