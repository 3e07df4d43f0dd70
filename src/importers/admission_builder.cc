// Builds the admissions table from per-stay records: ordering, length of stay, persistent chronic
// flags and the 30-day readmission label.
#include "src/importers/admission_builder.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "src/data/admissions.h"

namespace staycast::importers {
namespace {

namespace adm = data::admissions;

void AppendCategoryOrMissing(data::Column& column, const std::string& value) {
  if (value.empty()) {
    column.AppendMissing();
  } else {
    column.AppendCategory(value);
  }
}

bool IsReadmission(Timestamp discharge, Timestamp next_admit) {
  if (discharge == kMissingTime || next_admit == kMissingTime) return false;
  const int64_t gap = next_admit - discharge;
  return gap >= 0 && gap <= kReadmissionWindowSeconds;
}

}  // namespace

StatusOr<data::Table> BuildAdmissionsTable(std::vector<AdmissionRecord> records) {
  std::set<std::string> ids;
  for (const AdmissionRecord& r : records) {
    if (r.admission_id.empty()) return InvalidArgumentError("a stay has no admission id");
    if (r.patient_id.empty()) {
      return InvalidArgumentError("admission " + r.admission_id + " has no patient id");
    }
    if (r.admit_time == kMissingTime) {
      return InvalidArgumentError("admission " + r.admission_id + " has no admit time");
    }
    if (!ids.insert(r.admission_id).second) {
      return InvalidArgumentError("admission id " + r.admission_id + " appears more than once");
    }
  }
  std::sort(records.begin(), records.end(), [](const AdmissionRecord& a, const AdmissionRecord& b) {
    return std::tie(a.patient_id, a.admit_time, a.admission_id) <
           std::tie(b.patient_id, b.admit_time, b.admission_id);
  });

  data::Table table = data::Table::FromSchema(adm::AdmissionsSchema());
  auto col = [&table](const char* name) -> data::Column& { return *table.FindMutableColumn(name); };
  for (size_t c = 0; c < table.num_columns(); ++c) table.mutable_column(c).Reserve(records.size());
  ChronicFlags history = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const AdmissionRecord& r = records[i];
    const bool first_of_patient = i == 0 || records[i - 1].patient_id != r.patient_id;
    const bool has_next = i + 1 < records.size() && records[i + 1].patient_id == r.patient_id;
    if (first_of_patient) history = 0;
    history |= r.chronic;

    col(adm::kAdmissionId).AppendCategory(r.admission_id);
    col(adm::kPatientId).AppendCategory(r.patient_id);
    col(adm::kAdmitTime).AppendTimestamp(r.admit_time);
    col(adm::kDischargeTime).AppendTimestamp(r.discharge_time);
    col(adm::kAge).AppendNumeric(r.age);
    AppendCategoryOrMissing(col(adm::kGender), r.gender);
    AppendCategoryOrMissing(col(adm::kInsuranceType), r.insurance_type);
    AppendCategoryOrMissing(col(adm::kDepartment), r.department);
    AppendCategoryOrMissing(col(adm::kAdmissionType), r.admission_type);
    AppendCategoryOrMissing(col(adm::kDiagnosisPrimary),
                            r.diagnosis_codes.empty() ? std::string() : r.diagnosis_codes.front());
    col(adm::kDiagnosisCodes).AppendList(r.diagnosis_codes);
    col(adm::kProcedureCodes).AppendList(r.procedure_codes);
    col(adm::kSeverity).AppendNumeric(r.severity);
    col(adm::kDiabetes).AppendNumeric(HasChronic(history, Chronic::kDiabetes) ? 1 : 0);
    col(adm::kHypertension).AppendNumeric(HasChronic(history, Chronic::kHypertension) ? 1 : 0);
    col(adm::kHeartDisease).AppendNumeric(HasChronic(history, Chronic::kHeartDisease) ? 1 : 0);
    col(adm::kCopd).AppendNumeric(HasChronic(history, Chronic::kCopd) ? 1 : 0);
    col(adm::kCkd).AppendNumeric(HasChronic(history, Chronic::kCkd) ? 1 : 0);
    AppendCategoryOrMissing(col(adm::kDischargeDisposition), r.discharge_disposition);

    double los = std::nan("");
    if (r.discharge_time != kMissingTime && r.discharge_time >= r.admit_time) {
      los = static_cast<double>(r.discharge_time - r.admit_time) / kSecondsPerDay;
    }
    col(adm::kLengthOfStay).AppendNumeric(los);

    double readmitted = 0;
    if (r.died) {
      readmitted = 0;
    } else if (r.discharge_time == kMissingTime) {
      readmitted = std::nan("");
    } else if (has_next) {
      readmitted = IsReadmission(r.discharge_time, records[i + 1].admit_time) ? 1 : 0;
    }
    col(adm::kReadmitted30d).AppendNumeric(readmitted);
  }
  RETURN_IF_ERROR(table.SyncRowCount());
  return table;
}

StatusOr<size_t> CountFollowedWithin30Days(const data::Table& table) {
  ASSIGN_OR_RETURN(const data::Column* patient, table.GetColumn(adm::kPatientId));
  ASSIGN_OR_RETURN(const data::Column* admit, table.GetColumn(adm::kAdmitTime));
  ASSIGN_OR_RETURN(const data::Column* discharge, table.GetColumn(adm::kDischargeTime));
  std::vector<size_t> order(table.num_rows());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::forward_as_tuple(patient->CategoryAt(a), admit->timestamps()[a]) <
           std::forward_as_tuple(patient->CategoryAt(b), admit->timestamps()[b]);
  });
  size_t count = 0;
  for (size_t k = 0; k + 1 < order.size(); ++k) {
    const size_t i = order[k];
    const size_t j = order[k + 1];
    if (patient->codes()[i] != patient->codes()[j]) continue;
    count += IsReadmission(discharge->timestamps()[i], admit->timestamps()[j]) ? 1 : 0;
  }
  return count;
}

}  // namespace staycast::importers
