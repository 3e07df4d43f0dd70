// An admissions-shaped CSV for benchmarks: the columns of src/data/admissions.h with plausible
// values (ids, timestamps, ';'-separated code lists, flags, fractional stays). Used until, and
// beside, `staycast generate`; the values are not a model of anything.
#pragma once

#include <cstdint>
#include <string>

#include "src/core/status.h"

namespace staycast::bench {

// Writes `rows` admissions to `path` (atomically) from a generator seeded with `seed`.
Status WriteAdmissionsCsv(const std::string& path, size_t rows, uint64_t seed);

}  // namespace staycast::bench
