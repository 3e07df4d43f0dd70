// Synthea CSVs to admissions: inpatient encounters as stays, with the patient's conditions,
// procedures, payer and surrounding encounters mapped onto the admissions columns.
#include "src/importers/synthea.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "src/core/env.h"
#include "src/importers/admission_builder.h"
#include "src/importers/chronic_codes.h"

namespace staycast::importers {
namespace {

using T = data::ColumnType;

constexpr const char* kSyntheaSource = "a Synthea CSV export";

// An emergency encounter starting up to this long before an inpatient one makes it an emergency
// admission (Synthea starts the admission at, or within the hour after, the emergency visit).
constexpr int64_t kEmergencyLeadSeconds = 6 * 3600;
// A skilled-nursing or hospice encounter starting within this long after discharge is where the
// patient was discharged to.
constexpr int64_t kDischargeToSeconds = kSecondsPerDay;

const std::vector<SourceColumn>& EncountersColumns() {
  static const std::vector<SourceColumn> kColumns = {
      {"Id", T::kCategorical},    {"START", T::kTimestamp},
      {"STOP", T::kTimestamp},    {"PATIENT", T::kCategorical},
      {"PAYER", T::kCategorical}, {"ENCOUNTERCLASS", T::kCategorical},
      {"CODE", T::kCategorical},  {"REASONCODE", T::kCategorical}};
  return kColumns;
}
const std::vector<SourceColumn>& SyntheaPatientsColumns() {
  static const std::vector<SourceColumn> kColumns = {{"Id", T::kCategorical},
                                                     {"BIRTHDATE", T::kTimestamp},
                                                     {"DEATHDATE", T::kTimestamp},
                                                     {"GENDER", T::kCategorical}};
  return kColumns;
}
const std::vector<SourceColumn>& ClinicalColumns() {
  static const std::vector<SourceColumn> kColumns = {{"START", T::kTimestamp},
                                                     {"PATIENT", T::kCategorical},
                                                     {"ENCOUNTER", T::kCategorical},
                                                     {"CODE", T::kCategorical}};
  return kColumns;
}
const std::vector<SourceColumn>& PayersColumns() {
  static const std::vector<SourceColumn> kColumns = {
      {"Id", T::kCategorical}, {"NAME", T::kCategorical}, {"OWNERSHIP", T::kCategorical}};
  return kColumns;
}

// Planned admissions: surgical-department and non-urgent admissions not preceded by an emergency
// visit (in Synthea these are sterilisations, lung-volume surgery, transplants, orthopaedics).
bool IsPlannedAdmissionCode(std::string_view code) {
  return code == "305408004" || code == "305411003" || code == "305432006" || code == "183495009";
}

// Whole years from birth to `when`.
double AgeInYears(Timestamp birth, Timestamp when) {
  if (birth == kMissingTime || when == kMissingTime) return std::nan("");
  const CivilTime b = ToCivil(birth);
  const CivilTime w = ToCivil(when);
  int years = w.year - b.year;
  if (w.month < b.month || (w.month == b.month && w.day < b.day)) --years;
  return years;
}

int64_t DayOf(Timestamp t) {
  return t >= 0 ? t / kSecondsPerDay : (t - kSecondsPerDay + 1) / kSecondsPerDay;
}

struct TimedCode {
  Timestamp start;
  size_t row;
  std::string code;
};

// Codes in START order (ties keep file order), each code once.
std::vector<std::string> OrderedUnique(std::vector<TimedCode> items, std::vector<std::string> out) {
  std::stable_sort(items.begin(), items.end(),
                   [](const TimedCode& a, const TimedCode& b) { return a.start < b.start; });
  std::set<std::string> seen(out.begin(), out.end());
  for (TimedCode& item : items) {
    if (seen.insert(item.code).second) out.push_back(std::move(item.code));
  }
  return out;
}

// Per-encounter code lists from conditions.csv or procedures.csv.
Status CollectByEncounter(const SourceTable& source,
                          const std::unordered_map<std::string, size_t>& index,
                          std::vector<std::vector<TimedCode>>* items) {
  for (size_t row = 0; row < source.table.num_rows(); ++row) {
    auto it = index.find(TextAt(Col(source, "ENCOUNTER"), row));
    if (it == index.end() || Col(source, "CODE").IsMissing(row)) continue;
    ASSIGN_OR_RETURN(Timestamp start, TimeAt(source, Col(source, "START"), row));
    (*items)[it->second].push_back({start, row, TextAt(Col(source, "CODE"), row)});
  }
  return OkStatus();
}

}  // namespace

std::string MapSyntheaDepartment(std::string_view encounter_code) {
  static const std::map<std::string_view, const char*> kMap = {
      {"305408004", "General Surgery"},     // Admission to surgical department
      {"305411003", "Thoracic Surgery"},    // Admission to thoracic surgery department
      {"305432006", "Transplant Surgery"},  // Admission to surgical transplant department
      {"305351004", "Intensive Care"},      // Admission to intensive care unit
      {"397821002", "Intensive Care"},      // Patient transfer to intensive care unit
      {"183495009", "Orthopedics"},         // Non-urgent orthopedic admission
      {"56876005", "Psychiatry"},           // Drug rehabilitation and detoxification
  };
  auto it = kMap.find(encounter_code);
  return it != kMap.end() ? it->second : "General Medicine";
}

std::string MapSyntheaInsurance(std::string_view payer_name, std::string_view ownership) {
  if (payer_name == "Medicare" || payer_name == "Dual Eligible") return "Medicare";
  if (payer_name == "Medicaid") return "Medicaid";
  if (payer_name == "NO_INSURANCE" || ownership == "NO_INSURANCE") return "Self-pay";
  if (ownership == "PRIVATE") return "Private";
  return payer_name.empty() ? "" : "Other";
}

StatusOr<SyntheaTables> ReadSyntheaTables(const std::string& dir) {
  RETURN_IF_ERROR(RequireDirectory(dir, "Synthea CSV"));
  std::string csv = dir;
  if (!Env::Default()->FileExists(dir + "/encounters.csv") &&
      Env::Default()->IsDirectory(dir + "/csv")) {
    csv = dir + "/csv";
  }
  SyntheaTables t;
  ASSIGN_OR_RETURN(t.encounters,
                   ReadSourceCsv(csv, "encounters.csv", EncountersColumns(), kSyntheaSource));
  ASSIGN_OR_RETURN(t.patients,
                   ReadSourceCsv(csv, "patients.csv", SyntheaPatientsColumns(), kSyntheaSource));
  ASSIGN_OR_RETURN(t.conditions,
                   ReadSourceCsv(csv, "conditions.csv", ClinicalColumns(), kSyntheaSource));
  ASSIGN_OR_RETURN(t.procedures,
                   ReadSourceCsv(csv, "procedures.csv", ClinicalColumns(), kSyntheaSource));
  ASSIGN_OR_RETURN(t.payers, ReadSourceCsv(csv, "payers.csv", PayersColumns(), kSyntheaSource));
  return t;
}

StatusOr<data::Table> BuildSyntheaAdmissions(const SyntheaTables& t) {
  RETURN_IF_ERROR(RequireColumns(t.encounters, EncountersColumns()));
  RETURN_IF_ERROR(RequireColumns(t.patients, SyntheaPatientsColumns()));
  RETURN_IF_ERROR(RequireColumns(t.conditions, ClinicalColumns()));
  RETURN_IF_ERROR(RequireColumns(t.procedures, ClinicalColumns()));
  RETURN_IF_ERROR(RequireColumns(t.payers, PayersColumns()));

  struct Patient {
    Timestamp birth;
    Timestamp death;
    std::string gender;
  };
  std::unordered_map<std::string, Patient> patients;
  for (size_t row = 0; row < t.patients.table.num_rows(); ++row) {
    const SourceTable& p = t.patients;
    ASSIGN_OR_RETURN(Timestamp birth, TimeAt(p, Col(p, "BIRTHDATE"), row));
    ASSIGN_OR_RETURN(Timestamp death, TimeAt(p, Col(p, "DEATHDATE"), row));
    patients[TextAt(Col(p, "Id"), row)] = {birth, death, TextAt(Col(p, "GENDER"), row)};
  }
  std::unordered_map<std::string, std::string> insurance;
  for (size_t row = 0; row < t.payers.table.num_rows(); ++row) {
    const SourceTable& p = t.payers;
    insurance[TextAt(Col(p, "Id"), row)] =
        MapSyntheaInsurance(TextAt(Col(p, "NAME"), row), TextAt(Col(p, "OWNERSHIP"), row));
  }

  // One pass over encounters: the inpatient ones become records; emergency, skilled-nursing and
  // hospice starts are kept per patient to set admission type and disposition.
  const SourceTable& e = t.encounters;
  std::vector<AdmissionRecord> records;
  std::unordered_map<std::string, size_t> index;
  std::vector<std::string> encounter_codes;
  std::map<std::string, std::vector<Timestamp>> emergency_starts;
  std::map<std::string, std::vector<std::pair<Timestamp, std::string>>> aftercare_starts;
  std::vector<std::string> reasons;
  for (size_t row = 0; row < e.table.num_rows(); ++row) {
    const std::string cls = TextAt(Col(e, "ENCOUNTERCLASS"), row);
    if (cls != "inpatient" && cls != "emergency" && cls != "snf" && cls != "hospice") continue;
    const std::string patient = TextAt(Col(e, "PATIENT"), row);
    ASSIGN_OR_RETURN(Timestamp start, TimeAt(e, Col(e, "START"), row));
    if (cls == "emergency") {
      emergency_starts[patient].push_back(start);
      continue;
    }
    if (cls != "inpatient") {
      aftercare_starts[patient].emplace_back(start, cls == "snf" ? "SNF" : "Hospice");
      continue;
    }
    AdmissionRecord r;
    r.admission_id = TextAt(Col(e, "Id"), row);
    r.patient_id = patient;
    if (r.admission_id.empty() || patient.empty()) {
      return InvalidArgumentError(e.file + " line " + std::to_string(row + 2) +
                                  ": an inpatient encounter needs Id and PATIENT");
    }
    if (start == kMissingTime) {
      return InvalidArgumentError(Where(e, Col(e, "START"), row) + ": missing start time");
    }
    if (!index.emplace(r.admission_id, records.size()).second) {
      return InvalidArgumentError(Where(e, Col(e, "Id"), row) + ": encounter " + r.admission_id +
                                  " appears more than once");
    }
    r.admit_time = start;
    ASSIGN_OR_RETURN(r.discharge_time, TimeAt(e, Col(e, "STOP"), row));
    const std::string payer = TextAt(Col(e, "PAYER"), row);
    if (auto it = insurance.find(payer); it != insurance.end()) r.insurance_type = it->second;
    encounter_codes.push_back(TextAt(Col(e, "CODE"), row));
    r.department = MapSyntheaDepartment(encounter_codes.back());
    reasons.push_back(TextAt(Col(e, "REASONCODE"), row));
    records.push_back(std::move(r));
  }

  // Per-encounter diagnoses (the encounter's reason first, then its conditions) and procedures.
  std::vector<std::vector<TimedCode>> conditions(records.size());
  std::vector<std::vector<TimedCode>> procedures(records.size());
  RETURN_IF_ERROR(CollectByEncounter(t.conditions, index, &conditions));
  RETURN_IF_ERROR(CollectByEncounter(t.procedures, index, &procedures));

  // Chronic conditions per patient, from every condition row (any encounter), with its start.
  std::map<std::string, std::vector<std::pair<Timestamp, ChronicFlags>>> chronic;
  for (size_t row = 0; row < t.conditions.table.num_rows(); ++row) {
    const SourceTable& c = t.conditions;
    const ChronicFlags flags = SnomedChronicFlags(TextAt(Col(c, "CODE"), row));
    if (flags == 0) continue;
    ASSIGN_OR_RETURN(Timestamp start, TimeAt(c, Col(c, "START"), row));
    chronic[TextAt(Col(c, "PATIENT"), row)].emplace_back(start, flags);
  }

  // The last inpatient encounter of each patient (for in-hospital death).
  std::unordered_map<std::string, Timestamp> last_admit;
  for (const AdmissionRecord& r : records) {
    auto [it, inserted] = last_admit.emplace(r.patient_id, r.admit_time);
    if (!inserted) it->second = std::max(it->second, r.admit_time);
  }

  for (size_t i = 0; i < records.size(); ++i) {
    AdmissionRecord& r = records[i];
    std::vector<std::string> first;
    if (!reasons[i].empty()) first.push_back(reasons[i]);
    r.diagnosis_codes = OrderedUnique(std::move(conditions[i]), std::move(first));
    r.procedure_codes = OrderedUnique(std::move(procedures[i]), {});

    const Timestamp known_by = r.discharge_time != kMissingTime ? r.discharge_time : r.admit_time;
    for (const auto& [start, flags] : chronic[r.patient_id]) {
      if (start != kMissingTime && start <= known_by) r.chronic |= flags;
    }

    bool emergency = false;
    for (Timestamp s : emergency_starts[r.patient_id]) {
      emergency |= s <= r.admit_time && r.admit_time - s <= kEmergencyLeadSeconds;
    }
    r.admission_type = emergency                                    ? "Emergency"
                       : IsPlannedAdmissionCode(encounter_codes[i]) ? "Elective"
                                                                    : "Urgent";

    auto p = patients.find(r.patient_id);
    if (p != patients.end()) {
      r.gender = p->second.gender;
      r.age = AgeInYears(p->second.birth, r.admit_time);
      const Timestamp death = p->second.death;
      const Timestamp end = r.discharge_time != kMissingTime ? r.discharge_time : r.admit_time;
      r.died = death != kMissingTime && r.admit_time == last_admit[r.patient_id] &&
               DayOf(death) >= DayOf(r.admit_time) && DayOf(death) <= DayOf(end);
    }
    if (r.died) {
      r.discharge_disposition = "Died";
    } else {
      r.discharge_disposition = "Home";
      for (const auto& [start, place] : aftercare_starts[r.patient_id]) {
        if (r.discharge_time != kMissingTime && start >= r.discharge_time &&
            start - r.discharge_time <= kDischargeToSeconds) {
          r.discharge_disposition = place;
        }
      }
    }
  }
  return BuildAdmissionsTable(std::move(records));
}

StatusOr<data::Table> ImportSynthea(const std::string& dir) {
  ASSIGN_OR_RETURN(SyntheaTables tables, ReadSyntheaTables(dir));
  return BuildSyntheaAdmissions(tables);
}

}  // namespace staycast::importers
