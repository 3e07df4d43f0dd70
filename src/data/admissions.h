// The admissions table: the one shape that the generator and every importer produce, and that the
// examples read. Column names and types in one place.
#pragma once

#include "src/data/table.h"

namespace staycast::data::admissions {

inline constexpr const char* kAdmissionId = "admission_id";      // categorical
inline constexpr const char* kPatientId = "patient_id";          // categorical
inline constexpr const char* kAdmitTime = "admit_time";          // timestamp
inline constexpr const char* kDischargeTime = "discharge_time";  // timestamp
inline constexpr const char* kAge = "age";                       // numeric, years; may be missing
inline constexpr const char* kGender = "gender";                 // categorical: F, M
inline constexpr const char* kInsuranceType = "insurance_type";  // categorical
inline constexpr const char* kDepartment = "department";         // categorical
inline constexpr const char* kAdmissionType = "admission_type";  // Emergency, Urgent, Elective
inline constexpr const char* kDiagnosisPrimary = "diagnosis_primary";  // categorical ICD code
inline constexpr const char* kDiagnosisCodes = "diagnosis_codes";  // string list, sequence order
inline constexpr const char* kProcedureCodes = "procedure_codes";  // string list, sequence order
inline constexpr const char* kSeverity = "severity";               // numeric 1..4
inline constexpr const char* kDiabetes = "diabetes";               // numeric 0/1
inline constexpr const char* kHypertension = "hypertension";       // numeric 0/1
inline constexpr const char* kHeartDisease = "heart_disease";      // numeric 0/1
inline constexpr const char* kCopd = "copd";                       // numeric 0/1
inline constexpr const char* kCkd = "ckd";                         // numeric 0/1
inline constexpr const char* kDischargeDisposition =
    "discharge_disposition";                                     // categorical; "Died"
inline constexpr const char* kLengthOfStay = "length_of_stay";   // numeric, days (fractional)
inline constexpr const char* kReadmitted30d = "readmitted_30d";  // numeric 0/1

// The disposition value that marks an in-hospital death (never readmitted).
inline constexpr const char* kDied = "Died";

inline Schema AdmissionsSchema() {
  using T = ColumnType;
  return Schema{{
      {kAdmissionId, T::kCategorical},
      {kPatientId, T::kCategorical},
      {kAdmitTime, T::kTimestamp},
      {kDischargeTime, T::kTimestamp},
      {kAge, T::kNumeric},
      {kGender, T::kCategorical},
      {kInsuranceType, T::kCategorical},
      {kDepartment, T::kCategorical},
      {kAdmissionType, T::kCategorical},
      {kDiagnosisPrimary, T::kCategorical},
      {kDiagnosisCodes, T::kStringList},
      {kProcedureCodes, T::kStringList},
      {kSeverity, T::kNumeric},
      {kDiabetes, T::kNumeric},
      {kHypertension, T::kNumeric},
      {kHeartDisease, T::kNumeric},
      {kCopd, T::kNumeric},
      {kCkd, T::kNumeric},
      {kDischargeDisposition, T::kCategorical},
      {kLengthOfStay, T::kNumeric},
      {kReadmitted30d, T::kNumeric},
  }};
}

}  // namespace staycast::data::admissions
