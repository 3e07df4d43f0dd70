// Tests that every generated patient history is internally consistent: time order, the 30-day
// readmission label recomputed from the next admission, deaths, persistent chronic flags, and
// codes that agree with the department and the flags.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "src/data/admissions.h"
#include "src/synth/catalog.h"
#include "src/synth/generator_test_util.h"

namespace staycast::synth {
namespace {

namespace adm = data::admissions;
using testing::Col;

constexpr int64_t kThirtyDays = 30 * kSecondsPerDay;

TEST(GeneratorHistoryTest, RowsAreOrderedByPatientThenTimeWithoutOverlaps) {
  const data::Table& t = testing::StandardTable();
  const auto& patient = Col(t, adm::kPatientId);
  const auto& admit = Col(t, adm::kAdmitTime).timestamps();
  const auto& discharge = Col(t, adm::kDischargeTime).timestamps();
  std::set<std::string> finished;
  for (size_t r = 1; r < t.num_rows(); ++r) {
    const std::string& id = patient.CategoryAt(r);
    if (id == patient.CategoryAt(r - 1)) {
      ASSERT_GT(admit[r], discharge[r - 1]) << "row " << r;
    } else {
      ASSERT_TRUE(finished.insert(patient.CategoryAt(r - 1)).second)
          << "patient " << patient.CategoryAt(r - 1) << " appears in two runs of rows";
    }
  }
}

TEST(GeneratorHistoryTest, ReadmittedIsExactlyAnUnplannedNextAdmissionWithin30Days) {
  const data::Table& t = testing::StandardTable();
  const auto& patient = Col(t, adm::kPatientId);
  const auto& type = Col(t, adm::kAdmissionType);
  const auto& admit = Col(t, adm::kAdmitTime).timestamps();
  const auto& discharge = Col(t, adm::kDischargeTime).timestamps();
  const auto& label = Col(t, adm::kReadmitted30d).numeric();
  int64_t positives = 0;
  int64_t planned_within_30 = 0;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    const bool has_next = r + 1 < t.num_rows() && patient.codes()[r + 1] == patient.codes()[r];
    bool expected = false;
    if (has_next && admit[r + 1] - discharge[r] <= kThirtyDays) {
      expected = type.CategoryAt(r + 1) != "Elective";
      planned_within_30 += expected ? 0 : 1;
    }
    ASSERT_EQ(label[r], expected ? 1.0 : 0.0) << "row " << r;
    positives += expected ? 1 : 0;
  }
  EXPECT_GT(positives, 0);
  // Planned returns within 30 days exist and are correctly not counted.
  EXPECT_GT(planned_within_30, 0);
}

TEST(GeneratorHistoryTest, DeathsAreNeverReadmittedNorFollowedByAnotherAdmission) {
  const data::Table& t = testing::StandardTable();
  const auto& patient = Col(t, adm::kPatientId);
  const auto& disposition = Col(t, adm::kDischargeDisposition);
  const auto& label = Col(t, adm::kReadmitted30d).numeric();
  int64_t deaths = 0;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    if (disposition.CategoryAt(r) != adm::kDied) continue;
    ++deaths;
    EXPECT_EQ(label[r], 0.0) << "row " << r;
    if (r + 1 < t.num_rows()) {
      ASSERT_NE(patient.codes()[r + 1], patient.codes()[r]) << "admission after death, row " << r;
    }
  }
  EXPECT_GT(deaths, 0.005 * t.num_rows());
  EXPECT_LT(deaths, 0.04 * t.num_rows());
}

TEST(GeneratorHistoryTest, ChronicFlagsPersistAndAreCodedAndPatientFieldsAreStable) {
  const data::Table& t = testing::StandardTable();
  const auto& patient = Col(t, adm::kPatientId);
  const auto& gender = Col(t, adm::kGender);
  const auto& age = Col(t, adm::kAge).numeric();
  const auto& dx = Col(t, adm::kDiagnosisCodes).lists();
  for (size_t r = 0; r < t.num_rows(); ++r) {
    for (const Chronic& c : ChronicConditions()) {
      const double flag = Col(t, c.column).numeric()[r];
      ASSERT_TRUE(flag == 0.0 || flag == 1.0);
      const bool coded = std::find(dx[r].begin(), dx[r].end(), c.code) != dx[r].end();
      ASSERT_EQ(flag == 1.0, coded) << c.column << " row " << r;
      if (r > 0 && patient.codes()[r] == patient.codes()[r - 1]) {
        ASSERT_GE(flag, Col(t, c.column).numeric()[r - 1]) << c.column << " went 1 -> 0, row " << r;
      }
    }
    if (r > 0 && patient.codes()[r] == patient.codes()[r - 1]) {
      ASSERT_EQ(gender.codes()[r], gender.codes()[r - 1]);
      if (!std::isnan(age[r]) && !std::isnan(age[r - 1])) {
        ASSERT_GE(age[r], age[r - 1]);
      }
    }
  }
}

TEST(GeneratorHistoryTest, DiagnosesMatchTheDepartment) {
  const data::Table& t = testing::StandardTable();
  std::map<std::string, std::string> department_of;
  for (const Condition& c : Conditions()) department_of[c.code] = Departments()[c.department].name;
  const auto& primary = Col(t, adm::kDiagnosisPrimary);
  const auto& department = Col(t, adm::kDepartment);
  const auto& dx = Col(t, adm::kDiagnosisCodes).lists();
  std::set<std::string> seen_departments;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    const std::string& code = primary.CategoryAt(r);
    ASSERT_EQ(department_of.count(code), 1u) << code;
    ASSERT_EQ(department_of[code], department.CategoryAt(r)) << code << " row " << r;
    ASSERT_FALSE(dx[r].empty());
    ASSERT_EQ(dx[r][0], code) << "row " << r;
    ASSERT_EQ(std::set<std::string>(dx[r].begin(), dx[r].end()).size(), dx[r].size());
    seen_departments.insert(department.CategoryAt(r));
    // A COPD exacerbation needs COPD.
    if (code == "J44.1") {
      ASSERT_EQ(Col(t, adm::kCopd).numeric()[r], 1.0);
    }
  }
  EXPECT_EQ(seen_departments.size(), static_cast<size_t>(kNumDepartments));
}

TEST(GeneratorHistoryTest, SurgicalProceduresOnlyInSurgicalDepartments) {
  const data::Table& t = testing::StandardTable();
  const auto& department = Col(t, adm::kDepartment);
  std::map<std::string, bool> surgical_department;
  for (const Department& d : Departments()) surgical_department[d.name] = d.surgical;
  double surgical_rows = 0;
  double operated = 0;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    const bool in_surgical = surgical_department[department.CategoryAt(r)];
    const bool has_operation = testing::HasSurgicalProcedure(t, r);
    if (has_operation) {
      ASSERT_TRUE(in_surgical) << department.CategoryAt(r) << " row " << r;
    }
    surgical_rows += in_surgical ? 1 : 0;
    operated += has_operation ? 1 : 0;
  }
  EXPECT_GT(operated / surgical_rows, 0.6);
  EXPECT_GT(surgical_rows / static_cast<double>(t.num_rows()), 0.15);
}

}  // namespace
}  // namespace staycast::synth
