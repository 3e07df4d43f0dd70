// MIMIC-IV hosp tables to admissions: joins patients, diagnoses, procedures, services and DRG
// severity onto each admission and hands the stays to the shared builder.
#include "src/importers/mimic_iv.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "src/core/env.h"
#include "src/importers/admission_builder.h"
#include "src/importers/chronic_codes.h"

namespace staycast::importers {
namespace {

using T = data::ColumnType;

constexpr const char* kMimicSource = "a MIMIC-IV hosp folder";

const std::vector<SourceColumn>& AdmissionsColumns() {
  static const std::vector<SourceColumn> kColumns = {
      {"subject_id", T::kCategorical},
      {"hadm_id", T::kCategorical},
      {"admittime", T::kTimestamp},
      {"dischtime", T::kTimestamp},
      {"admission_type", T::kCategorical},
      {"admission_location", T::kCategorical},
      {"discharge_location", T::kCategorical},
      {"insurance", T::kCategorical},
      {"hospital_expire_flag", T::kNumeric},
  };
  return kColumns;
}
const std::vector<SourceColumn>& MimicPatientsColumns() {
  static const std::vector<SourceColumn> kColumns = {{"subject_id", T::kCategorical},
                                                     {"gender", T::kCategorical},
                                                     {"anchor_age", T::kNumeric},
                                                     {"anchor_year", T::kNumeric}};
  return kColumns;
}
const std::vector<SourceColumn>& CodesColumns() {
  static const std::vector<SourceColumn> kColumns = {{"hadm_id", T::kCategorical},
                                                     {"seq_num", T::kNumeric},
                                                     {"icd_code", T::kCategorical},
                                                     {"icd_version", T::kNumeric}};
  return kColumns;
}
const std::vector<SourceColumn>& ServicesColumns() {
  static const std::vector<SourceColumn> kColumns = {{"hadm_id", T::kCategorical},
                                                     {"transfertime", T::kTimestamp},
                                                     {"curr_service", T::kCategorical}};
  return kColumns;
}
const std::vector<SourceColumn>& DrgColumns() {
  static const std::vector<SourceColumn> kColumns = {
      {"hadm_id", T::kCategorical}, {"drg_type", T::kCategorical}, {"drg_severity", T::kNumeric}};
  return kColumns;
}

// A coded item of a stay, sortable by its sequence number (ties keep file order).
struct SequencedCode {
  double seq_num;
  size_t row;
  std::string code;
};

// Per-admission code lists in seq_num order from diagnoses_icd or procedures_icd; `flags` (when not
// null) collects the chronic flags of diagnosis codes.
Status CollectCodes(const SourceTable& source, bool diagnoses,
                    const std::unordered_map<std::string, size_t>& index,
                    std::vector<std::vector<std::string>>* lists,
                    std::vector<ChronicFlags>* flags) {
  const data::Column& hadm = Col(source, "hadm_id");
  const data::Column& seq = Col(source, "seq_num");
  const data::Column& code = Col(source, "icd_code");
  const data::Column& version = Col(source, "icd_version");
  std::vector<std::vector<SequencedCode>> items(lists->size());
  for (size_t row = 0; row < source.table.num_rows(); ++row) {
    auto it = index.find(TextAt(hadm, row));
    if (it == index.end() || code.IsMissing(row)) continue;
    ASSIGN_OR_RETURN(double seq_num, NumberAt(source, seq, row));
    ASSIGN_OR_RETURN(double v, NumberAt(source, version, row));
    if (v != 9 && v != 10) {
      return InvalidArgumentError(Where(source, version, row) + ": expected 9 or 10, got '" +
                                  TextAt(version, row) + "'");
    }
    const int icd_version = static_cast<int>(v);
    const std::string raw = TextAt(code, row);
    if (diagnoses) {
      (*flags)[it->second] |= IcdChronicFlags(raw, icd_version);
      items[it->second].push_back(
          {std::isnan(seq_num) ? HUGE_VAL : seq_num, row, FormatIcdDiagnosis(raw, icd_version)});
    } else {
      items[it->second].push_back(
          {std::isnan(seq_num) ? HUGE_VAL : seq_num, row, FormatIcdProcedure(raw, icd_version)});
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    std::sort(items[i].begin(), items[i].end(), [](const SequencedCode& a, const SequencedCode& b) {
      return a.seq_num != b.seq_num ? a.seq_num < b.seq_num : a.row < b.row;
    });
    for (SequencedCode& item : items[i]) (*lists)[i].push_back(std::move(item.code));
  }
  return OkStatus();
}

}  // namespace

std::string MapMimicAdmissionType(std::string_view admission_type,
                                  std::string_view admission_location) {
  if (admission_type == "EW EMER." || admission_type == "DIRECT EMER." ||
      admission_type == "EU OBSERVATION") {
    return "Emergency";
  }
  if (admission_type == "URGENT") return "Urgent";
  if (admission_type == "ELECTIVE" || admission_type == "SURGICAL SAME DAY ADMISSION" ||
      admission_type == "AMBULATORY OBSERVATION") {
    return "Elective";
  }
  if (admission_type == "OBSERVATION ADMIT" || admission_type == "DIRECT OBSERVATION") {
    return admission_location == "EMERGENCY ROOM" ? "Emergency" : "Urgent";
  }
  return "";
}

std::string MapMimicDisposition(std::string_view discharge_location, bool died) {
  if (died || discharge_location == "DIED") return "Died";
  static const std::map<std::string_view, const char*> kMap = {
      {"HOME", "Home"},
      {"HOME HEALTH CARE", "Home health"},
      {"SKILLED NURSING FACILITY", "SNF"},
      {"REHAB", "Rehab"},
      {"REHAB/DISTINCT PART HOSP", "Rehab"},
      {"CHRONIC/LONG TERM ACUTE CARE", "Long-term care"},
      {"HOSPICE", "Hospice"},
      {"AGAINST ADVICE", "AMA"},
      {"PSYCH FACILITY", "Psychiatric facility"},
      {"ACUTE HOSPITAL", "Other hospital"},
      {"ASSISTED LIVING", "Other facility"},
      {"HEALTHCARE FACILITY", "Other facility"},
      {"OTHER FACILITY", "Other facility"},
  };
  auto it = kMap.find(discharge_location);
  if (it != kMap.end()) return it->second;
  return discharge_location.empty() ? "" : "Other";
}

std::string MapMimicService(std::string_view curr_service) {
  // The service codes of MIMIC-IV's services table (see its documentation).
  static const std::map<std::string_view, const char*> kMap = {
      {"MED", "General Medicine"},
      {"CMED", "Cardiology"},
      {"OMED", "Oncology"},
      {"NMED", "Neurology"},
      {"SURG", "General Surgery"},
      {"CSURG", "Cardiac Surgery"},
      {"NSURG", "Neurosurgery"},
      {"VSURG", "Vascular Surgery"},
      {"TSURG", "Thoracic Surgery"},
      {"PSURG", "Plastic Surgery"},
      {"ORTHO", "Orthopedics"},
      {"TRAUM", "Trauma"},
      {"GU", "Urology"},
      {"GYN", "Gynecology"},
      {"OBS", "Obstetrics"},
      {"ENT", "ENT"},
      {"EYE", "Ophthalmology"},
      {"DENT", "Dental"},
      {"PSYCH", "Psychiatry"},
      {"NB", "Newborn"},
      {"NBB", "Newborn"},
  };
  auto it = kMap.find(curr_service);
  return it != kMap.end() ? it->second : std::string(curr_service);
}

StatusOr<MimicIvTables> ReadMimicIvTables(const std::string& dir) {
  RETURN_IF_ERROR(RequireDirectory(dir, "MIMIC-IV hosp"));
  std::string hosp = dir;
  if (!Env::Default()->FileExists(dir + "/admissions.csv") &&
      Env::Default()->IsDirectory(dir + "/hosp")) {
    hosp = dir + "/hosp";
  }
  MimicIvTables t;
  ASSIGN_OR_RETURN(t.admissions,
                   ReadSourceCsv(hosp, "admissions.csv", AdmissionsColumns(), kMimicSource));
  ASSIGN_OR_RETURN(t.patients,
                   ReadSourceCsv(hosp, "patients.csv", MimicPatientsColumns(), kMimicSource));
  ASSIGN_OR_RETURN(t.diagnoses,
                   ReadSourceCsv(hosp, "diagnoses_icd.csv", CodesColumns(), kMimicSource));
  ASSIGN_OR_RETURN(t.procedures,
                   ReadSourceCsv(hosp, "procedures_icd.csv", CodesColumns(), kMimicSource));
  ASSIGN_OR_RETURN(t.services,
                   ReadSourceCsv(hosp, "services.csv", ServicesColumns(), kMimicSource));
  ASSIGN_OR_RETURN(t.drgcodes, ReadSourceCsv(hosp, "drgcodes.csv", DrgColumns(), kMimicSource));
  return t;
}

StatusOr<data::Table> BuildMimicIvAdmissions(const MimicIvTables& t) {
  RETURN_IF_ERROR(RequireColumns(t.admissions, AdmissionsColumns()));
  RETURN_IF_ERROR(RequireColumns(t.patients, MimicPatientsColumns()));
  RETURN_IF_ERROR(RequireColumns(t.diagnoses, CodesColumns()));
  RETURN_IF_ERROR(RequireColumns(t.procedures, CodesColumns()));
  RETURN_IF_ERROR(RequireColumns(t.services, ServicesColumns()));
  RETURN_IF_ERROR(RequireColumns(t.drgcodes, DrgColumns()));

  // Patients by subject_id: gender, anchor_age, anchor_year.
  struct Patient {
    std::string gender;
    double anchor_age;
    double anchor_year;
  };
  std::unordered_map<std::string, Patient> patients;
  {
    const SourceTable& p = t.patients;
    for (size_t row = 0; row < p.table.num_rows(); ++row) {
      ASSIGN_OR_RETURN(double age, NumberAt(p, Col(p, "anchor_age"), row));
      ASSIGN_OR_RETURN(double year, NumberAt(p, Col(p, "anchor_year"), row));
      patients[TextAt(Col(p, "subject_id"), row)] = {TextAt(Col(p, "gender"), row), age, year};
    }
  }

  const SourceTable& a = t.admissions;
  const size_t n = a.table.num_rows();
  std::vector<AdmissionRecord> records(n);
  std::unordered_map<std::string, size_t> index;
  for (size_t row = 0; row < n; ++row) {
    AdmissionRecord& r = records[row];
    r.admission_id = TextAt(Col(a, "hadm_id"), row);
    r.patient_id = TextAt(Col(a, "subject_id"), row);
    if (r.admission_id.empty()) {
      return InvalidArgumentError(Where(a, Col(a, "hadm_id"), row) + ": missing admission id");
    }
    if (!index.emplace(r.admission_id, row).second) {
      return InvalidArgumentError(Where(a, Col(a, "hadm_id"), row) + ": admission " +
                                  r.admission_id + " appears more than once");
    }
    if (r.patient_id.empty()) {
      return InvalidArgumentError(Where(a, Col(a, "subject_id"), row) + ": missing patient id");
    }
    ASSIGN_OR_RETURN(r.admit_time, TimeAt(a, Col(a, "admittime"), row));
    if (r.admit_time == kMissingTime) {
      return InvalidArgumentError(Where(a, Col(a, "admittime"), row) + ": missing admit time");
    }
    ASSIGN_OR_RETURN(r.discharge_time, TimeAt(a, Col(a, "dischtime"), row));
    ASSIGN_OR_RETURN(double expire_flag, NumberAt(a, Col(a, "hospital_expire_flag"), row));
    const std::string discharge_location = TextAt(Col(a, "discharge_location"), row);
    r.died = expire_flag == 1 || discharge_location == "DIED";
    r.discharge_disposition = MapMimicDisposition(discharge_location, r.died);
    r.admission_type = MapMimicAdmissionType(TextAt(Col(a, "admission_type"), row),
                                             TextAt(Col(a, "admission_location"), row));
    r.insurance_type = TextAt(Col(a, "insurance"), row);
    auto p = patients.find(r.patient_id);
    if (p != patients.end()) {
      r.gender = p->second.gender;
      r.age = p->second.anchor_age + (ToCivil(r.admit_time).year - p->second.anchor_year);
    }
  }

  // Code lists and chronic flags.
  std::vector<std::vector<std::string>> diagnoses(n);
  std::vector<std::vector<std::string>> procedures(n);
  std::vector<ChronicFlags> flags(n, 0);
  RETURN_IF_ERROR(CollectCodes(t.diagnoses, true, index, &diagnoses, &flags));
  RETURN_IF_ERROR(CollectCodes(t.procedures, false, index, &procedures, nullptr));
  for (size_t i = 0; i < n; ++i) {
    records[i].diagnosis_codes = std::move(diagnoses[i]);
    records[i].procedure_codes = std::move(procedures[i]);
    records[i].chronic = flags[i];
  }

  // Department: the first service of the stay (earliest transfertime; ties keep file order).
  {
    const SourceTable& s = t.services;
    std::vector<Timestamp> first(n, kMissingTime);
    for (size_t row = 0; row < s.table.num_rows(); ++row) {
      auto it = index.find(TextAt(Col(s, "hadm_id"), row));
      if (it == index.end() || Col(s, "curr_service").IsMissing(row)) continue;
      ASSIGN_OR_RETURN(Timestamp when, TimeAt(s, Col(s, "transfertime"), row));
      AdmissionRecord& r = records[it->second];
      if (r.department.empty() || (when != kMissingTime && when < first[it->second])) {
        first[it->second] = when;
        r.department = MapMimicService(TextAt(Col(s, "curr_service"), row));
      }
    }
  }

  // Severity: the APR-DRG severity of illness (1 minor .. 4 extreme); the highest if several.
  {
    const SourceTable& d = t.drgcodes;
    for (size_t row = 0; row < d.table.num_rows(); ++row) {
      auto it = index.find(TextAt(Col(d, "hadm_id"), row));
      if (it == index.end() || TextAt(Col(d, "drg_type"), row) != "APR") continue;
      ASSIGN_OR_RETURN(double severity, NumberAt(d, Col(d, "drg_severity"), row));
      if (std::isnan(severity)) continue;
      if (severity < 1 || severity > 4) {
        return InvalidArgumentError(Where(d, Col(d, "drg_severity"), row) +
                                    ": expected a severity from 1 to 4, got '" +
                                    TextAt(Col(d, "drg_severity"), row) + "'");
      }
      double& current = records[it->second].severity;
      if (std::isnan(current) || severity > current) current = severity;
    }
  }
  return BuildAdmissionsTable(std::move(records));
}

StatusOr<data::Table> ImportMimicIv(const std::string& dir) {
  ASSIGN_OR_RETURN(MimicIvTables tables, ReadMimicIvTables(dir));
  return BuildMimicIvAdmissions(tables);
}

}  // namespace staycast::importers
