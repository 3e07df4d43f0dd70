// The part every importer shares: from one record per hospital stay to the admissions table, with
// length of stay, persistent chronic flags and 30-day readmission computed the same way for all
// sources.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/core/time.h"
#include "src/data/table.h"
#include "src/importers/chronic_codes.h"

namespace staycast::importers {

// Readmission window: the next stay must start within this long after discharge.
inline constexpr int64_t kReadmissionWindowSeconds = 30 * kSecondsPerDay;

// One hospital stay as a source describes it. Empty strings and NaN are missing values.
struct AdmissionRecord {
  std::string admission_id;
  std::string patient_id;
  Timestamp admit_time = kMissingTime;
  Timestamp discharge_time = kMissingTime;
  double age = std::nan("");
  std::string gender;
  std::string insurance_type;
  std::string department;
  std::string admission_type;
  std::vector<std::string> diagnosis_codes;  // sequence order; the first is the primary diagnosis
  std::vector<std::string> procedure_codes;  // sequence order
  double severity = std::nan("");
  // Conditions recorded for this stay (or, for sources without per-stay diagnoses, known by its
  // end). The builder makes them persistent: a flag set at one stay stays set at the later ones.
  ChronicFlags chronic = 0;
  std::string discharge_disposition;
  bool died = false;  // in-hospital death: never counted as readmitted
};

// Builds the admissions table (data::admissions::AdmissionsSchema()). Rows come out ordered by
// patient, then admit time, then admission id. For each patient's stays in admit-time order:
//   length_of_stay  = (discharge - admit) in days; missing when either is missing or negative.
//   chronic flags   = OR of this and all earlier stays' flags.
//   readmitted_30d  = 1 iff the stay did not end in death and the patient's next stay starts at or
//                     after this discharge and no more than 30 days after it; 0 otherwise. A next
//                     stay that starts before this one ends overlaps it (a transfer within one
//                     hospitalisation) and is not a readmission. Missing discharge: missing.
// Errors: a stay without admission id, patient id or admit time; a repeated admission id.
StatusOr<data::Table> BuildAdmissionsTable(std::vector<AdmissionRecord> records);

// How many stays are followed by the same patient's next stay starting within 30 days of discharge
// (overlaps excluded), deaths included: the raw number a data set's documentation usually quotes.
// `table` is an admissions table.
StatusOr<size_t> CountFollowedWithin30Days(const data::Table& table);

}  // namespace staycast::importers
