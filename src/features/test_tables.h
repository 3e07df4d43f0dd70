// Test support: a seeded builder of admissions-like tables (patients with repeated stays,
// readmissions, missing ages, ICD-10 code lists) in the column types the example configs declare.
#pragma once

#include <cstdint>
#include <string>

#include "src/data/table.h"

namespace staycast::features::testing {

struct AdmissionsOptions {
  int patients = 200;
  uint64_t seed = 1;
  double missing_age = 0.05;
  // Shuffle the rows so that nothing relies on input order.
  bool shuffle = true;
};

// Columns as in src/data/admissions.h, except severity is categorical ("1".."4") as the example
// configs declare it.
data::Table MakeAdmissions(const AdmissionsOptions& options);

// The text of examples/<name> in the source tree.
std::string ReadExample(const std::string& name);

}  // namespace staycast::features::testing
