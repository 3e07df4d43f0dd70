// Tests that the generated data have realistic marginals and the effects that
// docs/synthetic-data.md promises a model can find (on 100k rows, seed 11), and that
// --drift-start measurably shifts case mix, coding intensity and the weekend LOS effect.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "src/data/admissions.h"
#include "src/synth/generator_test_util.h"

namespace staycast::synth {
namespace {

namespace adm = data::admissions;
using testing::ChronicCount;
using testing::Col;
using testing::LogLos;
using testing::Moments;
using testing::MomentsOf;

auto All() {
  return [](size_t) { return true; };
}

bool IsWeekend(Timestamp t) { return ToCivil(t).weekday >= 5; }
bool IsWinter(Timestamp t) {
  const unsigned m = ToCivil(t).month;
  return m == 12 || m <= 2;
}
bool IsSummer(Timestamp t) {
  const unsigned m = ToCivil(t).month;
  return m >= 6 && m <= 8;
}

TEST(GeneratorEffectsTest, LengthOfStayIsRightSkewedWithMeanFourToSixDays) {
  const data::Table& t = testing::StandardTable();
  std::vector<double> los = Col(t, adm::kLengthOfStay).numeric();
  const Moments m = MomentsOf(t, All(), [&](size_t r) { return los[r]; });
  std::nth_element(los.begin(), los.begin() + los.size() / 2, los.end());
  const double median = los[los.size() / 2];
  EXPECT_GE(m.mean, 4.0);
  EXPECT_LE(m.mean, 6.0);
  EXPECT_GT(m.mean, median * 1.15);
}

TEST(GeneratorEffectsTest, ReadmissionRateIsEightToFifteenPercent) {
  const data::Table& t = testing::StandardTable();
  const auto& y = Col(t, adm::kReadmitted30d).numeric();
  const Moments m = MomentsOf(t, All(), [&](size_t r) { return y[r]; });
  EXPECT_GE(m.mean, 0.08);
  EXPECT_LE(m.mean, 0.15);
}

TEST(GeneratorEffectsTest, AgeIsSometimesMissingMoreOftenInEmergencies) {
  const data::Table& t = testing::StandardTable();
  const auto& age = Col(t, adm::kAge).numeric();
  const auto& type = Col(t, adm::kAdmissionType);
  auto missing = [&](size_t r) { return std::isnan(age[r]) ? 1.0 : 0.0; };
  const double overall = MomentsOf(t, All(), missing).mean;
  const double emergency =
      MomentsOf(
          t, [&](size_t r) { return type.CategoryAt(r) == "Emergency"; }, missing)
          .mean;
  const double elective =
      MomentsOf(
          t, [&](size_t r) { return type.CategoryAt(r) == "Elective"; }, missing)
          .mean;
  EXPECT_GT(overall, 0.01);
  EXPECT_LT(overall, 0.08);
  EXPECT_GT(emergency, 2 * elective);
}

TEST(GeneratorEffectsTest, EmergencyStaysAreLongerThanElectiveOnes) {
  const data::Table& t = testing::StandardTable();
  const auto& type = Col(t, adm::kAdmissionType);
  auto los = [&](size_t r) { return Col(t, adm::kLengthOfStay).numeric()[r]; };
  const double emergency = MomentsOf(
                               t, [&](size_t r) { return type.CategoryAt(r) == "Emergency"; }, los)
                               .mean;
  const double elective = MomentsOf(
                              t, [&](size_t r) { return type.CategoryAt(r) == "Elective"; }, los)
                              .mean;
  EXPECT_GT(emergency, 1.3 * elective);
}

TEST(GeneratorEffectsTest, StaysLengthenWithSeverity) {
  const data::Table& t = testing::StandardTable();
  const auto& severity = Col(t, adm::kSeverity).numeric();
  double previous = -1e9;
  for (int level = 1; level <= 4; ++level) {
    const Moments m = MomentsOf(
        t, [&](size_t r) { return severity[r] == level; }, [&](size_t r) { return LogLos(t, r); });
    EXPECT_GT(m.n, 0.03 * t.num_rows()) << "severity " << level;
    EXPECT_GT(m.mean, previous + 0.1) << "severity " << level;
    previous = m.mean;
  }
}

TEST(GeneratorEffectsTest, ChronicConditionsLengthenStaysAndWidenTheirSpread) {
  const data::Table& t = testing::StandardTable();
  auto medical_with = [&](int lo, int hi) {
    return [&t, lo, hi](size_t r) {
      const int n = ChronicCount(t, r);
      return n >= lo && n <= hi && !testing::HasSurgicalProcedure(t, r);
    };
  };
  auto log_los = [&](size_t r) { return LogLos(t, r); };
  const Moments none = MomentsOf(t, medical_with(0, 0), log_los);
  const Moments many = MomentsOf(t, medical_with(3, 5), log_los);
  ASSERT_GT(many.n, 1000);
  EXPECT_GT(many.mean, none.mean + 0.2);
  EXPECT_GT(many.sd, none.sd + 0.05);
}

TEST(GeneratorEffectsTest, OperatedStaysAreMorePredictableGivenTheDiagnosis) {
  // Pooled within-diagnosis standard deviation of log(LOS) (about the coefficient of variation
  // of LOS): operated stays against the others.
  const data::Table& t = testing::StandardTable();
  const auto& primary = Col(t, adm::kDiagnosisPrimary);
  struct Sums {
    double n = 0, sum = 0, sum2 = 0;
  };
  std::map<std::pair<int32_t, bool>, Sums> groups;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    Sums& s = groups[{primary.codes()[r], testing::HasSurgicalProcedure(t, r)}];
    const double x = LogLos(t, r);
    s.n += 1, s.sum += x, s.sum2 += x * x;
  }
  double ss[2] = {0, 0}, dof[2] = {0, 0};
  for (const auto& [key, s] : groups) {
    if (s.n < 2) continue;
    ss[key.second] += s.sum2 - s.sum * s.sum / s.n;
    dof[key.second] += s.n - 1;
  }
  ASSERT_GT(dof[1], 5000);
  const double surgical_sd = std::sqrt(ss[1] / dof[1]);
  const double medical_sd = std::sqrt(ss[0] / dof[0]);
  EXPECT_LT(surgical_sd, 0.85 * medical_sd);
}

TEST(GeneratorEffectsTest, RespiratoryAdmissionsSurgeAndLengthenInWinter) {
  const data::Table& t = testing::StandardTable();
  const auto& admit = Col(t, adm::kAdmitTime).timestamps();
  const auto& department = Col(t, adm::kDepartment);
  auto respiratory = [&](size_t r) {
    return department.CategoryAt(r) == "Pulmonology" ? 1.0 : 0.0;
  };
  const double winter_share = MomentsOf(
                                  t, [&](size_t r) { return IsWinter(admit[r]); }, respiratory)
                                  .mean;
  const double summer_share = MomentsOf(
                                  t, [&](size_t r) { return IsSummer(admit[r]); }, respiratory)
                                  .mean;
  EXPECT_GT(winter_share, 1.4 * summer_share);
  auto log_los = [&](size_t r) { return LogLos(t, r); };
  const double winter_los =
      MomentsOf(
          t, [&](size_t r) { return respiratory(r) > 0 && IsWinter(admit[r]); }, log_los)
          .mean;
  const double summer_los =
      MomentsOf(
          t, [&](size_t r) { return respiratory(r) > 0 && IsSummer(admit[r]); }, log_los)
          .mean;
  EXPECT_GT(winter_los, summer_los + 0.05);
}

TEST(GeneratorEffectsTest, WeekendAdmissionsStayLonger) {
  const data::Table& t = testing::StandardTable();
  const auto& admit = Col(t, adm::kAdmitTime).timestamps();
  const auto& type = Col(t, adm::kAdmissionType);
  auto log_los = [&](size_t r) { return LogLos(t, r); };
  auto emergency_on = [&](bool weekend) {
    return [&, weekend](size_t r) {
      return type.CategoryAt(r) == "Emergency" && IsWeekend(admit[r]) == weekend;
    };
  };
  const double weekend = MomentsOf(t, emergency_on(true), log_los).mean;
  const double weekday = MomentsOf(t, emergency_on(false), log_los).mean;
  EXPECT_GT(weekend - weekday, 0.05);
  EXPECT_LT(weekend - weekday, 0.2);
  // Elective admissions are scheduled on weekdays.
  const double elective_weekend = MomentsOf(
                                      t, [&](size_t r) { return type.CategoryAt(r) == "Elective"; },
                                      [&](size_t r) { return IsWeekend(admit[r]) ? 1.0 : 0.0; })
                                      .mean;
  EXPECT_EQ(elective_weekend, 0.0);
}

TEST(GeneratorEffectsTest, ChronicPrevalenceRisesWithAgeAndMedicareFollowsAge) {
  const data::Table& t = testing::StandardTable();
  const auto& age = Col(t, adm::kAge).numeric();
  for (const char* name :
       {adm::kDiabetes, adm::kHypertension, adm::kHeartDisease, adm::kCopd, adm::kCkd}) {
    auto flag = [&](size_t r) { return Col(t, name).numeric()[r]; };
    const double young = MomentsOf(
                             t, [&](size_t r) { return age[r] < 50; }, flag)
                             .mean;
    const double old = MomentsOf(
                           t, [&](size_t r) { return age[r] >= 70; }, flag)
                           .mean;
    EXPECT_GT(old, young + 0.05) << name;
  }
  const auto& insurance = Col(t, adm::kInsuranceType);
  auto medicare = [&](size_t r) { return insurance.CategoryAt(r) == "Medicare" ? 1.0 : 0.0; };
  EXPECT_GT(MomentsOf(
                t, [&](size_t r) { return age[r] >= 65; }, medicare)
                .mean,
            0.7);
  EXPECT_LT(MomentsOf(
                t, [&](size_t r) { return age[r] < 65; }, medicare)
                .mean,
            0.15);
}

TEST(GeneratorEffectsTest, ReadmissionRisesWithChronicConditionsAndDisposition) {
  const data::Table& t = testing::StandardTable();
  const auto& y = Col(t, adm::kReadmitted30d).numeric();
  const auto& disposition = Col(t, adm::kDischargeDisposition);
  auto label = [&](size_t r) { return y[r]; };
  const double none = MomentsOf(
                          t, [&](size_t r) { return ChronicCount(t, r) == 0; }, label)
                          .mean;
  const double many = MomentsOf(
                          t, [&](size_t r) { return ChronicCount(t, r) >= 3; }, label)
                          .mean;
  EXPECT_GT(many, 1.5 * none);
  const double home = MomentsOf(
                          t, [&](size_t r) { return disposition.CategoryAt(r) == "Home"; }, label)
                          .mean;
  const double snf = MomentsOf(
                         t, [&](size_t r) { return disposition.CategoryAt(r) == "SNF"; }, label)
                         .mean;
  EXPECT_GT(snf, 1.3 * home);
}

TEST(GeneratorEffectsTest, HistoryIsInformativeThroughFrailty) {
  const data::Table& t = testing::StandardTable();
  const auto& patient = Col(t, adm::kPatientId).codes();
  const auto& y = Col(t, adm::kReadmitted30d).numeric();
  // Consecutive stays of one patient: correlated LOS; an earlier readmission predicts another.
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  double after_readmit = 0, after_readmit_n = 0, after_none = 0, after_none_n = 0;
  for (size_t r = 1; r < t.num_rows(); ++r) {
    if (patient[r] != patient[r - 1]) continue;
    const double x = LogLos(t, r - 1);
    const double z = LogLos(t, r);
    n += 1, sx += x, sy += z, sxx += x * x, syy += z * z, sxy += x * z;
    if (y[r - 1] > 0.5) {
      after_readmit += y[r], after_readmit_n += 1;
    } else {
      after_none += y[r], after_none_n += 1;
    }
  }
  const double corr = (sxy / n - sx / n * sy / n) /
                      std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
  EXPECT_GT(corr, 0.1);
  EXPECT_GT(after_readmit / after_readmit_n, 1.3 * after_none / after_none_n);
}

TEST(GeneratorEffectsTest, VolumeAndCaseMixAreSteadyWithoutDrift) {
  const data::Table& t = testing::StandardTable();
  std::map<int, double> per_year;
  for (Timestamp a : Col(t, adm::kAdmitTime).timestamps()) per_year[ToCivil(a).year] += 1;
  ASSERT_EQ(per_year.size(), 5u);
  const double mean = t.num_rows() / 5.0;
  for (const auto& [year, n] : per_year) {
    EXPECT_NEAR(n, mean, 0.05 * mean) << year;
  }
}

TEST(GeneratorEffectsTest, DriftShiftsCaseMixCodingAndWeekendEffect) {
  const Timestamp drift = DaysFromCivil(2021, 7, 1) * kSecondsPerDay;
  const data::Table& t = testing::CachedTable(100000, 11, drift);
  const auto& admit = Col(t, adm::kAdmitTime).timestamps();
  const auto& type = Col(t, adm::kAdmissionType);
  const auto& dx = Col(t, adm::kDiagnosisCodes).lists();
  auto before = [&](size_t r) { return admit[r] < drift; };
  auto after = [&](size_t r) { return admit[r] >= drift; };
  auto elective = [&](size_t r) { return type.CategoryAt(r) == "Elective" ? 1.0 : 0.0; };
  EXPECT_LT(MomentsOf(t, after, elective).mean, MomentsOf(t, before, elective).mean - 0.04);
  auto codes = [&](size_t r) { return static_cast<double>(dx[r].size()); };
  EXPECT_GT(MomentsOf(t, after, codes).mean, MomentsOf(t, before, codes).mean + 0.5);
  auto weekend_gap = [&](const std::function<bool(size_t)>& period) {
    auto log_los = [&](size_t r) { return LogLos(t, r); };
    auto emergency_on = [&](bool weekend) {
      return [&, weekend](size_t r) {
        return period(r) && type.CategoryAt(r) == "Emergency" && IsWeekend(admit[r]) == weekend;
      };
    };
    return MomentsOf(t, emergency_on(true), log_los).mean -
           MomentsOf(t, emergency_on(false), log_los).mean;
  };
  EXPECT_GT(weekend_gap(after), weekend_gap(before) + 0.12);
  // Before the drift start the process is the undrifted one.
  const data::Table& plain = testing::StandardTable();
  const auto& plain_type = Col(plain, adm::kAdmissionType);
  const double plain_elective = MomentsOf(plain, All(), [&](size_t r) {
                                  return plain_type.CategoryAt(r) == "Elective" ? 1.0 : 0.0;
                                }).mean;
  EXPECT_NEAR(MomentsOf(t, before, elective).mean, plain_elective, 0.015);
}

}  // namespace
}  // namespace staycast::synth
