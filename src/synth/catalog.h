// The synthetic hospital's vocabulary: departments, conditions (primary ICD-10-CM diagnoses with
// their department, admission-type mix and typical stay), procedures (ICD-10-PCS), chronic
// conditions, insurances and discharge dispositions. Plain constant data; see catalog.cc.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace staycast::synth {

// Admission types, in the order used by Condition::weight.
enum AdmissionTypeIndex : int { kEmergency = 0, kUrgent = 1, kElective = 2 };
inline constexpr int kNumAdmissionTypes = 3;
inline constexpr std::array<const char*, kNumAdmissionTypes> kAdmissionTypeNames = {
    "Emergency", "Urgent", "Elective"};

inline constexpr std::array<const char*, 2> kGenderNames = {"F", "M"};

enum InsuranceIndex : int { kMedicare = 0, kMedicaid = 1, kPrivate = 2, kSelfPay = 3 };
inline constexpr std::array<const char*, 4> kInsuranceNames = {"Medicare", "Medicaid", "Private",
                                                               "Self-pay"};

enum DispositionIndex : int {
  kHome = 0,
  kHomeHealth = 1,
  kSnf = 2,
  kRehab = 3,
  kAma = 4,
  kDied = 5
};
inline constexpr std::array<const char*, 6> kDispositionNames = {"Home",  "Home health", "SNF",
                                                                 "Rehab", "AMA",         "Died"};

enum DepartmentIndex : int {
  kCardiology = 0,
  kPulmonology,
  kGeneralMedicine,
  kNeurology,
  kGastroenterology,
  kOrthopedics,
  kGeneralSurgery,
};
inline constexpr int kNumDepartments = 7;

struct Department {
  const char* name;
  // Surgical departments are the only ones whose stays may carry Medical-and-Surgical section
  // ("0...") procedure codes.
  bool surgical;
  // Non-surgical procedures (imaging, transfusion, ventilation, ...) typical of the department.
  std::array<const char*, 3> procedures;
};

// Chronic conditions: one flag column each, persistent per patient once acquired.
enum ChronicIndex : int { kDiabetes = 0, kHypertension, kHeartDisease, kCopd, kCkd };
inline constexpr int kNumChronic = 5;

struct Chronic {
  const char* column;     // admissions column name
  const char* code;       // ICD-10-CM code listed among diagnosis_codes while the flag is 1
  double lifetime_share;  // share of (average-frailty) patients who ever develop it
  double onset_mean;      // onset age ~ Normal(onset_mean, onset_sd), years
  double onset_sd;
};

inline constexpr int kNoChronic = -1;

struct Condition {
  const char* code;  // primary diagnosis, ICD-10-CM
  int department;
  // Relative frequency within each admission type (Emergency, Urgent, Elective); 0 = never.
  std::array<double, kNumAdmissionTypes> weight;
  double median_los;  // days, before the LOS model's other effects
  bool respiratory;   // subject to the winter surge
  // Frequency multipliers when the patient has / lacks chronic condition `linked_chronic` (a COPD
  // exacerbation needs COPD: without = 0).
  int linked_chronic;
  double with_linked;
  double without_linked;
  // Frequency multiplier at age >= 70 (fractures, joint disease) and below 40 (appendicitis...).
  double old_multiplier;
  double young_multiplier;
  double severity_shift;  // added to the latent severity score
  // The operation (ICD-10-PCS section 0) and the probability that it is done; nullptr = none.
  const char* surgery;
  double surgery_probability;
  // A procedure specific to the condition (ventilation, thrombolysis, cardioversion) and its
  // probability at severity 1; rises with severity.
  const char* specific_procedure;
  double specific_probability;
};

std::span<const Department> Departments();
std::span<const Condition> Conditions();
std::span<const Chronic> ChronicConditions();
// Common secondary diagnoses added by coding (not tied to the chronic flags).
std::span<const char* const> SecondaryCodes();

// True for ICD-10-PCS Medical and Surgical section codes (first character '0'), which the
// generator puts only in surgical departments.
inline bool IsSurgicalProcedure(std::string_view code) { return !code.empty() && code[0] == '0'; }

}  // namespace staycast::synth
