// The coefficients of the synthetic admissions process, in one place so that the code and
// docs/synthetic-data.md (which lists them for users) say the same thing.
#pragma once

#include <array>

namespace staycast::synth::model {

// --- Patients -------------------------------------------------------------------------------
// Per-patient frailty u ~ Normal(0, kFrailtySd); it raises every risk below.
inline constexpr double kFrailtySd = 0.30;
// Age at a patient's first simulated admission ~ Normal(kAgeMean, kAgeSd) within [kAgeMin,
// kAgeMax].
inline constexpr double kAgeMean = 57.0;
inline constexpr double kAgeSd = 18.0;
inline constexpr double kAgeMin = 18.0;
inline constexpr double kAgeMax = 95.0;
// A patient's history ends past this age.
inline constexpr double kAgeLimit = 100.0;
inline constexpr double kFemaleShare = 0.52;
// Patients' first admissions start this many years before the window, so that the window sees a
// steady state (admissions before the window are simulated for history but not written).
inline constexpr double kBurnInYears = 15.0;
// Patients leave the hospital's population (move away, die at home, go elsewhere) at a yearly
// hazard kExitBase + kExitMortality * exp(kExitAgeSlope * (age - 70)), and at kAgeLimit at the
// latest; their history ends there.
inline constexpr double kExitBase = 0.25;
inline constexpr double kExitMortality = 0.03;
inline constexpr double kExitAgeSlope = 0.09;
// Lifetime share of a chronic condition is multiplied by exp(kChronicFrailty * u).
inline constexpr double kChronicFrailty = 0.8;
// Insurance below 65: Medicare (disability), Medicaid, Private, Self-pay.
inline constexpr std::array<double, 4> kInsuranceUnder65 = {0.06, 0.24, 0.62, 0.08};
// Share of patients who move to Medicare at 65.
inline constexpr double kMedicareAt65 = 0.85;

// --- Admissions -----------------------------------------------------------------------------
// Type mix (Emergency, Urgent, Elective) of admissions that are not readmissions.
inline constexpr std::array<double, 3> kTypeMix = {0.58, 0.22, 0.20};
// Between admissions (other than readmissions): gap = kMinGapDays + Exponential(365 / rate) days,
// rate = kRateBase * exp(kRateChronic * chronic + kRateAge * (age - 60) + kRateFrailty * u).
inline constexpr double kMinGapDays = 31.0;
inline constexpr double kRateBase = 0.30;
inline constexpr double kRateChronic = 0.18;
inline constexpr double kRateAge = 0.015;
inline constexpr double kRateFrailty = 1.0;
// Share of non-readmitted discharges followed by a planned (Elective) admission 7-29 days later.
inline constexpr double kPlannedReturn = 0.04;
// Unplanned readmissions: Emergency with this probability, else Urgent.
inline constexpr double kReadmissionEmergency = 0.75;
// Conditions flagged respiratory are this much more frequent in December-February.
inline constexpr double kWinterRespiratoryFrequency = 2.2;
// Frequency multiplier of a condition's old_multiplier applies at age >= kOldAge, young_multiplier
// below kYoungAge.
inline constexpr double kOldAge = 70.0;
inline constexpr double kYoungAge = 40.0;
// Age is missing with this probability, by type (Emergency, Urgent, Elective).
inline constexpr std::array<double, 3> kAgeMissing = {0.06, 0.03, 0.01};

// --- Severity (1-4) -------------------------------------------------------------------------
// latent = kSeverityChronic * chronic + kSeverityAge * (age - 60) + kSeverityFrailty * u
//          + condition.severity_shift + kSeverityType[type] + Logistic(0, 1);
// severity = 1 + number of thresholds below latent.
inline constexpr double kSeverityChronic = 0.25;
inline constexpr double kSeverityAge = 0.02;
inline constexpr double kSeverityFrailty = 1.0;
inline constexpr std::array<double, 3> kSeverityType = {0.3, 0.0, -0.5};
inline constexpr std::array<double, 3> kSeverityThresholds = {-0.4, 1.3, 3.0};

// --- Procedures and codes -------------------------------------------------------------------
// Number of the department's non-surgical procedures ~ Poisson(base + per_level * (severity - 1)),
// at most 2.
inline constexpr double kProceduresBase = 0.5;
inline constexpr double kProceduresPerSeverity = 0.25;
// A condition's specific procedure probability is multiplied by 1 + this * (severity - 1).
inline constexpr double kSpecificPerSeverity = 0.6;
// Extra secondary diagnoses ~ Poisson(base + per_level * (severity - 1)), times kDriftCoding after
// the drift start; the codes of the patient's chronic conditions are always listed.
inline constexpr double kCodingBase = 0.8;
inline constexpr double kCodingPerSeverity = 0.3;
inline constexpr int kMaxDiagnoses = 12;

// --- Length of stay (days) ------------------------------------------------------------------
// log(LOS) = log(condition.median_los) + kLosIntercept + kLosType[type]
//            + kLosSeverity * (severity - 1) + kLosChronic * chronic + kLosAge * (age - 60) / 10
//            + kLosWeekend * weekend_admission + kLosWinterRespiratory * (respiratory & winter)
//            + kLosFrailty * u + sigma * Normal(0, 1),
// sigma = kLosSigmaSurgical for stays with an operation, else
//         kLosSigmaMedical + kLosSigmaPerChronic * chronic.
// LOS is rounded to 0.01 day and kept within [kLosMin, kLosMax].
inline constexpr double kLosIntercept = -0.47;
inline constexpr std::array<double, 3> kLosType = {0.25, 0.12, 0.0};
inline constexpr double kLosSeverity = 0.25;
inline constexpr double kLosChronic = 0.08;
inline constexpr double kLosAge = 0.06;
inline constexpr double kLosWeekend = 0.10;
inline constexpr double kLosWinterRespiratory = 0.15;
inline constexpr double kLosFrailty = 0.8;
inline constexpr double kLosSigmaSurgical = 0.25;
inline constexpr double kLosSigmaMedical = 0.40;
inline constexpr double kLosSigmaPerChronic = 0.06;
inline constexpr double kLosMin = 0.1;
inline constexpr double kLosMax = 180.0;

// --- Discharge disposition ------------------------------------------------------------------
// Drawn in order, each given the previous ones did not happen:
// Died: sigmoid(kDeathIntercept + kDeathSeverity * (severity - 1) + kDeathAge * (age - 60)
//               + kDeathChronic * chronic + kDeathFrailty * u)
inline constexpr double kDeathIntercept = -6.2;
inline constexpr double kDeathSeverity = 0.8;
inline constexpr double kDeathAge = 0.035;
inline constexpr double kDeathChronic = 0.15;
inline constexpr double kDeathFrailty = 1.0;
// AMA (not after elective admissions): kAmaBase, times kAmaSelfPay for self-pay patients and
// kAmaOld at age >= 65.
inline constexpr double kAmaBase = 0.02;
inline constexpr double kAmaSelfPay = 3.0;
inline constexpr double kAmaOld = 0.3;
// SNF: sigmoid(kSnfIntercept + kSnfAge * (age - 65) + kSnfSeverity * (severity - 1)
//              + kSnfChronic * chronic + kSnfOrthopedics * orthopedics)
inline constexpr double kSnfIntercept = -3.6;
inline constexpr double kSnfAge = 0.06;
inline constexpr double kSnfSeverity = 0.35;
inline constexpr double kSnfChronic = 0.2;
inline constexpr double kSnfOrthopedics = 1.2;
// Rehab: sigmoid(kRehabIntercept + kRehabOrthoNeuro * (orthopedics or neurology)
//                + kRehabSeverity * (severity - 1))
inline constexpr double kRehabIntercept = -3.8;
inline constexpr double kRehabOrthoNeuro = 1.8;
inline constexpr double kRehabSeverity = 0.3;
// Home health: sigmoid(kHomeHealthIntercept + kHomeHealthAge * (age - 60)
//                      + kHomeHealthChronic * chronic)
inline constexpr double kHomeHealthIntercept = -2.3;
inline constexpr double kHomeHealthAge = 0.03;
inline constexpr double kHomeHealthChronic = 0.15;

// --- Unplanned readmission within 30 days ---------------------------------------------------
// After a discharge alive, an unplanned (Emergency/Urgent) readmission follows 1-29 days later
// with probability sigmoid(kReadmitIntercept + kReadmitChronic * chronic
//     + kReadmitPrior * min(admissions in the previous 365 days, kReadmitPriorCap)
//     + kReadmitLos * log(LOS) + kReadmitDisposition[disposition] + kReadmitFrailty * u).
inline constexpr double kReadmitIntercept = -3.3;
inline constexpr double kReadmitChronic = 0.22;
inline constexpr double kReadmitPrior = 0.30;
inline constexpr int kReadmitPriorCap = 4;
inline constexpr double kReadmitLos = 0.30;
// Home, Home health, SNF, Rehab, AMA (Died: never readmitted).
inline constexpr std::array<double, 5> kReadmitDisposition = {0.0, 0.25, 0.45, 0.2, 0.9};
inline constexpr double kReadmitFrailty = 1.5;
// Days to the readmission: 1 + floor(28 * U^kReadmitDaysShape) (front-loaded).
inline constexpr double kReadmitDaysShape = 1.7;

// --- Drift (admissions at or after --drift-start) -------------------------------------------
// Case mix: fewer elective admissions, more general medicine.
inline constexpr std::array<double, 3> kDriftTypeMix = {0.64, 0.24, 0.12};
inline constexpr double kDriftMedicineFrequency = 1.6;
// Coding intensity: extra secondary diagnoses per stay multiplied by this.
inline constexpr double kDriftCoding = 2.0;
// One LOS effect: the weekend-admission effect rises to this.
inline constexpr double kDriftLosWeekend = 0.35;

}  // namespace staycast::synth::model
