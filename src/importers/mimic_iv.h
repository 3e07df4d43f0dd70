// MIMIC-IV (hospital module, v2.x) to the admissions table: `staycast import mimic-iv`. See
// docs/importers.md for how every column is derived.
#pragma once

#include <string>
#include <string_view>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/importers/source_table.h"

namespace staycast::importers {

// The hosp-module tables the importer reads (admissions, patients, diagnoses_icd, procedures_icd,
// services, drgcodes), each with its file name for error messages.
struct MimicIvTables {
  SourceTable admissions;
  SourceTable patients;
  SourceTable diagnoses;
  SourceTable procedures;
  SourceTable services;
  SourceTable drgcodes;
};

// Reads the tables from `dir`, which is either the hosp folder or the release folder holding hosp/.
StatusOr<MimicIvTables> ReadMimicIvTables(const std::string& dir);

// Maps the tables to the admissions table (checks the required columns first).
StatusOr<data::Table> BuildMimicIvAdmissions(const MimicIvTables& tables);

// ReadMimicIvTables + BuildMimicIvAdmissions.
StatusOr<data::Table> ImportMimicIv(const std::string& dir);

// The mappings, exposed for tests and docs. Each returns "" (missing) for a value it does not know.
// admission_type (+ admission_location for observation stays) -> Emergency / Urgent / Elective.
std::string MapMimicAdmissionType(std::string_view admission_type,
                                  std::string_view admission_location);
// discharge_location -> disposition; "Died" when the stay ended in death.
std::string MapMimicDisposition(std::string_view discharge_location, bool died);
// services.curr_service code -> department name; unknown codes are kept as given.
std::string MapMimicService(std::string_view curr_service);

}  // namespace staycast::importers
