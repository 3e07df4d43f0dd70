// Synthea CSV export to the admissions table: `staycast import synthea`. Inpatient encounters are
// the stays; see docs/importers.md for how every column is derived.
#pragma once

#include <string>
#include <string_view>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/importers/source_table.h"

namespace staycast::importers {

// The Synthea files the importer reads, each with its file name for error messages.
struct SyntheaTables {
  SourceTable encounters;
  SourceTable patients;
  SourceTable conditions;
  SourceTable procedures;
  SourceTable payers;
};

// Reads the files from `dir` (the folder holding encounters.csv, or its parent with csv/).
StatusOr<SyntheaTables> ReadSyntheaTables(const std::string& dir);

// Maps the files to the admissions table (checks the required columns first).
StatusOr<data::Table> BuildSyntheaAdmissions(const SyntheaTables& tables);

// ReadSyntheaTables + BuildSyntheaAdmissions.
StatusOr<data::Table> ImportSynthea(const std::string& dir);

// The mappings, exposed for tests and docs.
// Encounter SNOMED code -> department ("General Medicine" for codes not listed).
std::string MapSyntheaDepartment(std::string_view encounter_code);
// Payer NAME and OWNERSHIP -> insurance type: Medicare (incl. Dual Eligible), Medicaid, Private,
// Self-pay (NO_INSURANCE), else Other.
std::string MapSyntheaInsurance(std::string_view payer_name, std::string_view ownership);

}  // namespace staycast::importers
