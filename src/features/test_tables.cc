// Seeded admissions-like tables for the feature tests.
#include "src/features/test_tables.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "src/data/admissions.h"

namespace staycast::features::testing {

namespace {
const char* const kCodes[] = {"I10",   "E11.9", "I50.9", "J44.1", "N18.3", "C78.0", "I21.4",
                              "K70.3", "F32.9", "Z99.2", "A41.9", "S72.0", "E66.9", "I48.0"};
const char* const kDepartments[] = {"Medicine",    "Cardiology", "Surgery",
                                    "Orthopedics", "Neurology",  "Oncology"};
const char* const kInsurance[] = {"Medicare", "Medicaid", "Private", "SelfPay"};
const char* const kTypes[] = {"Emergency", "Urgent", "Elective"};
const char* const kDispositions[] = {"Home", "Home", "Home", "SNF", "Rehab"};
}  // namespace

data::Table MakeAdmissions(const AdmissionsOptions& options) {
  namespace a = data::admissions;
  data::Schema schema = a::AdmissionsSchema();
  for (data::Field& f : schema.fields) {
    if (f.name == a::kSeverity) f.type = data::ColumnType::kCategorical;
  }
  data::Table t = data::Table::FromSchema(schema);
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> normal(0, 1);
  auto col = [&](const char* name) { return t.FindMutableColumn(name); };
  auto pick = [&](auto& arr) {
    return arr[static_cast<size_t>(unit(rng) * std::size(arr)) % std::size(arr)];
  };
  const Timestamp start = DaysFromCivil(2021, 1, 1) * kSecondsPerDay;
  int admission = 0;
  for (int p = 0; p < options.patients; ++p) {
    const std::string patient = "P" + std::to_string(100000 + p);
    const double base_age = 20 + unit(rng) * 70;
    const int stays = 1 + static_cast<int>(-std::log(1 - unit(rng)) * 1.5);
    Timestamp admit = start + static_cast<Timestamp>(unit(rng) * 700 * kSecondsPerDay);
    std::vector<Timestamp> admits;
    std::vector<Timestamp> discharges;
    for (int s = 0; s < stays; ++s) {
      const int severity = 1 + static_cast<int>(unit(rng) * 4) % 4;
      const double los_days =
          std::exp(0.3 * severity + 0.15 * s + 0.01 * (base_age - 50) + 0.4 * normal(rng));
      const Timestamp discharge = admit + static_cast<Timestamp>(los_days * kSecondsPerDay);
      col(a::kAdmissionId)->AppendCategory("A" + std::to_string(admission++));
      col(a::kPatientId)->AppendCategory(patient);
      col(a::kAdmitTime)->AppendTimestamp(admit);
      col(a::kDischargeTime)->AppendTimestamp(discharge);
      if (unit(rng) < options.missing_age) {
        col(a::kAge)->AppendMissing();
      } else {
        col(a::kAge)->AppendNumeric(
            std::floor(base_age + static_cast<double>(admit - start) / (365.25 * kSecondsPerDay)));
      }
      col(a::kGender)->AppendCategory(p % 2 == 0 ? "F" : "M");
      col(a::kInsuranceType)->AppendCategory(pick(kInsurance));
      col(a::kDepartment)->AppendCategory(pick(kDepartments));
      col(a::kAdmissionType)->AppendCategory(pick(kTypes));
      std::vector<std::string> codes;
      const int n_codes = 1 + static_cast<int>(unit(rng) * 5);
      codes.reserve(static_cast<size_t>(n_codes));
      for (int c = 0; c < n_codes; ++c) codes.emplace_back(pick(kCodes));
      col(a::kDiagnosisPrimary)->AppendCategory(codes.front());
      col(a::kDiagnosisCodes)->AppendList(codes);
      std::vector<std::string> procedures;
      if (unit(rng) < 0.3) procedures.emplace_back("0SR9019");
      col(a::kProcedureCodes)->AppendList(procedures);
      col(a::kSeverity)->AppendCategory(std::to_string(severity));
      for (const char* flag :
           {a::kDiabetes, a::kHypertension, a::kHeartDisease, a::kCopd, a::kCkd}) {
        col(flag)->AppendNumeric(unit(rng) < 0.2 ? 1 : 0);
      }
      col(a::kDischargeDisposition)->AppendCategory(pick(kDispositions));
      col(a::kLengthOfStay)->AppendNumeric(los_days);
      admits.push_back(admit);
      discharges.push_back(discharge);
      // Next stay: often within 30 days, otherwise months later.
      const double gap = unit(rng) < 0.25 ? 1 + unit(rng) * 29 : 31 + unit(rng) * 300;
      admit = discharge + static_cast<Timestamp>(gap * kSecondsPerDay);
    }
    for (int s = 0; s < stays; ++s) {
      const bool readmitted = s + 1 < stays && admits[static_cast<size_t>(s) + 1] -
                                                       discharges[static_cast<size_t>(s)] <=
                                                   30 * kSecondsPerDay;
      col(a::kReadmitted30d)->AppendNumeric(readmitted ? 1 : 0);
    }
  }
  (void)t.SyncRowCount();
  if (!options.shuffle) return t;
  std::vector<size_t> order(t.num_rows());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  return t.Take(order);
}

std::string ReadExample(const std::string& name) {
  std::ifstream in(std::string(STAYCAST_SOURCE_DIR) + "/examples/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace staycast::features::testing
