// The importers on the real demo data in ../shared/data (MIMIC-IV demo, Synthea sample): counts and
// facts from that folder's README. Fails, saying where the data was expected, when it is absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "src/core/status_matchers.h"
#include "src/data/admissions.h"
#include "src/importers/admission_builder.h"
#include "src/importers/mimic_iv.h"
#include "src/importers/synthea.h"
#include "src/importers/test_tables.h"

namespace staycast::importers {
namespace {

namespace adm = data::admissions;
using ::testing::ElementsAre;
using testing::List;
using testing::Num;
using testing::RowOf;
using testing::Text;

// $STAYCAST_SHARED_DATA, else $STAYCAST_SOURCE_DIR/../shared/data (the source folder this test was
// built from when the variable is unset).
std::string SharedDataDir() {
  if (const char* dir = std::getenv("STAYCAST_SHARED_DATA"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  const char* source = std::getenv("STAYCAST_SOURCE_DIR");
  if (source == nullptr || *source == '\0') source = STAYCAST_SOURCE_DIR_FALLBACK;
  return std::string(source) + "/../shared/data";
}

// Fails the test (returning "") unless `sub` and its SHA256SUMS are there.
std::string DataSet(const std::string& sub) {
  std::string dir = SharedDataDir() + "/" + sub;
  if (!std::filesystem::is_directory(dir)) {
    ADD_FAILURE() << "real data set not found: expected it at " << dir
                  << " (set STAYCAST_SHARED_DATA to the folder holding mimic-iv-demo/ and "
                     "synthea-sample/)";
    return "";
  }
  if (!std::filesystem::exists(dir + "/SHA256SUMS")) {
    ADD_FAILURE() << dir << " has no SHA256SUMS: is it the published data set?";
    return "";
  }
  return dir;
}

double Mean(const data::Column& column) {
  double sum = 0;
  size_t n = 0;
  for (double v : column.numeric()) {
    if (std::isnan(v)) continue;
    sum += v;
    ++n;
  }
  return n == 0 ? std::nan("") : sum / static_cast<double>(n);
}

double Sum(const data::Column& column) {
  double sum = 0;
  for (double v : column.numeric()) sum += std::isnan(v) ? 0 : v;
  return sum;
}

// For every patient in admit-time order, each chronic flag never goes from 1 back to 0.
void ExpectPersistentFlags(const data::Table& table) {
  const data::Column& patient = *table.FindColumn(adm::kPatientId);
  const data::Column& admit = *table.FindColumn(adm::kAdmitTime);
  for (const char* flag :
       {adm::kDiabetes, adm::kHypertension, adm::kHeartDisease, adm::kCopd, adm::kCkd}) {
    std::map<std::string, std::map<Timestamp, double>> by_patient;
    for (size_t row = 0; row < table.num_rows(); ++row) {
      by_patient[patient.CategoryAt(row)][admit.timestamps()[row]] = Num(table, flag, row);
    }
    for (const auto& [id, stays] : by_patient) {
      double previous = 0;
      for (const auto& [when, value] : stays) {
        EXPECT_GE(value, previous) << flag << " dropped for patient " << id;
        previous = value;
      }
    }
  }
}

TEST(RealDataTest, MimicIvDemo) {
  const std::string dir = DataSet("mimic-iv-demo");
  if (dir.empty()) return;
  ASSERT_OK_AND_ASSIGN(data::Table table, ImportMimicIv(dir));  // the release folder, with hosp/
  EXPECT_EQ(table.schema(), adm::AdmissionsSchema());
  EXPECT_EQ(table.num_rows(), 275u);
  EXPECT_EQ(table.FindColumn(adm::kPatientId)->dictionary().size(), 100u);

  // README: mean LOS 6.9 days; 53 of 275 admissions followed by another within 30 days.
  EXPECT_NEAR(Mean(*table.FindColumn(adm::kLengthOfStay)), 6.9, 0.05);
  ASSERT_OK_AND_ASSIGN(size_t followed, CountFollowedWithin30Days(table));
  EXPECT_EQ(followed, 53u);
  // None of those 53 ended in death, so excluding deaths leaves the label count unchanged.
  EXPECT_EQ(Sum(*table.FindColumn(adm::kReadmitted30d)), 53);
  size_t deaths = 0;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if (Text(table, adm::kDischargeDisposition, row) != adm::kDied) continue;
    ++deaths;
    EXPECT_EQ(Num(table, adm::kReadmitted30d, row), 0);
  }
  EXPECT_EQ(deaths, 15u);  // hospital_expire_flag = 1

  // A known stay: codes in seq_num order, dotted; APR-DRG severity 2; cardiac surgery.
  const size_t cabg = RowOf(table, adm::kAdmissionId, "22580999");
  const std::vector<std::string>& codes = List(table, adm::kDiagnosisCodes, cabg);
  ASSERT_EQ(codes.size(), 11u);
  EXPECT_THAT(std::vector<std::string>(codes.begin(), codes.begin() + 3),
              ElementsAre("414.01", "250.02", "413.9"));
  EXPECT_EQ(Text(table, adm::kDiagnosisPrimary, cabg), "414.01");
  EXPECT_THAT(List(table, adm::kProcedureCodes, cabg), ElementsAre("36.13", "36.15", "39.61"));
  EXPECT_EQ(Num(table, adm::kSeverity, cabg), 2);
  EXPECT_EQ(Num(table, adm::kDiabetes, cabg), 1);
  EXPECT_EQ(Num(table, adm::kHeartDisease, cabg), 1);
  EXPECT_EQ(Text(table, adm::kDepartment, cabg), "Cardiac Surgery");
  EXPECT_EQ(Text(table, adm::kAdmissionType, cabg), "Urgent");

  // Age: patient 10019003, anchor_age 65 in anchor_year 2148, admitted in 2155.
  EXPECT_EQ(Num(table, adm::kAge, RowOf(table, adm::kAdmissionId, "26226543")), 72);

  ExpectPersistentFlags(table);
  // Every stay has a department, an admission type and at least one diagnosis.
  EXPECT_EQ(table.FindColumn(adm::kDepartment)->CountMissing(), 0u);
  EXPECT_EQ(table.FindColumn(adm::kAdmissionType)->CountMissing(), 0u);
  EXPECT_EQ(table.FindColumn(adm::kDiagnosisPrimary)->CountMissing(), 0u);
  EXPECT_EQ(table.FindColumn(adm::kSeverity)->CountMissing(), 275u - 221u);  // APR-DRG rows
}

TEST(RealDataTest, SyntheaSample) {
  const std::string dir = DataSet("synthea-sample");
  if (dir.empty()) return;
  ASSERT_OK_AND_ASSIGN(data::Table table, ImportSynthea(dir));
  EXPECT_EQ(table.schema(), adm::AdmissionsSchema());
  EXPECT_EQ(table.num_rows(), 49u);  // README: 49 inpatient encounters
  EXPECT_EQ(table.FindColumn(adm::kPatientId)->dictionary().size(), 29u);
  EXPECT_NEAR(Mean(*table.FindColumn(adm::kLengthOfStay)), 2.75, 0.005);
  // 9 inpatient encounters are followed by the patient's next one within 30 days of STOP, but 7 of
  // those next encounters start before STOP: ICU transfers and ward stays of one hospitalisation
  // (Synthea's cardiac chains), not readmissions. 2 remain.
  ASSERT_OK_AND_ASSIGN(size_t followed, CountFollowedWithin30Days(table));
  EXPECT_EQ(followed, 2u);
  EXPECT_EQ(Sum(*table.FindColumn(adm::kReadmitted30d)), 2);
  size_t deaths = 0;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if (Text(table, adm::kDischargeDisposition, row) != adm::kDied) continue;
    ++deaths;
    EXPECT_EQ(Num(table, adm::kReadmitted30d, row), 0);
  }
  EXPECT_EQ(deaths, 2u);
  // A known stay: NSTEMI via the emergency department, died the next day, born 1953-10-27.
  const size_t nstemi = RowOf(table, adm::kAdmissionId, "b9e30353-40a1-8160-cbf6-505ab269b010");
  EXPECT_EQ(Num(table, adm::kAge, nstemi), 62);
  EXPECT_EQ(Text(table, adm::kAdmissionType, nstemi), "Emergency");
  EXPECT_EQ(Text(table, adm::kDiagnosisPrimary, nstemi), "401314000");
  EXPECT_EQ(Text(table, adm::kDischargeDisposition, nstemi), adm::kDied);
  EXPECT_EQ(Num(table, adm::kHeartDisease, nstemi), 1);
  ExpectPersistentFlags(table);
  EXPECT_EQ(table.FindColumn(adm::kAdmissionType)->CountMissing(), 0u);
  EXPECT_EQ(table.FindColumn(adm::kAge)->CountMissing(), 0u);
}

}  // namespace
}  // namespace staycast::importers
