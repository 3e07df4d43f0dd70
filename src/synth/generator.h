// The synthetic admissions generator: produces the admissions table (src/data/admissions.h) chunk
// by chunk in constant memory, deterministically for a seed. The process is described in
// docs/synthetic-data.md.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "src/core/status.h"
#include "src/core/time.h"
#include "src/data/table.h"
#include "src/synth/patient.h"

namespace staycast::synth {

struct GeneratorOptions {
  int64_t rows = 100000;
  uint64_t seed = 1;
  // Admissions start in [start, start + years).
  Timestamp start = DaysFromCivil(2019, 1, 1) * kSecondsPerDay;
  int years = 5;
  // Admissions from this time on follow the drifted process; kMissingTime = no drift.
  Timestamp drift_start = kMissingTime;
  // Rows per chunk returned by Generator::Next (does not change the data). Small chunks keep the
  // per-chunk dictionaries (admission ids) in cache: 2048 rows ran ~1.5x faster than 65536.
  size_t chunk_rows = 2048;
};

// Checks the options; errors name the option and what was expected.
Status ValidateGeneratorOptions(const GeneratorOptions& options);

// The end of the window: start plus `years` calendar years.
Timestamp WindowEnd(Timestamp start, int years);

struct GeneratorStats {
  int64_t rows = 0;
  int64_t patients = 0;
  int64_t readmissions = 0;  // rows with readmitted_30d = 1
  double total_los = 0;      // sum of length_of_stay, days
};

// Generates the table. Rows come ordered by patient, then admit time; patient_id and
// admission_id ("P00000001", "A000000001") count up in that order. The data depend only on the
// seed, rows, start, years and drift_start, not on chunk_rows: each patient is simulated from a
// random stream derived from (seed, patient number), and the last patient's history is cut when
// `rows` is reached. Not thread-safe.
class Generator {
  struct Token {
    explicit Token() = default;
  };

 public:
  // Validates the options (ValidateGeneratorOptions) and returns a generator at the first row.
  static StatusOr<std::unique_ptr<Generator>> Create(const GeneratorOptions& options);
  // Use Create(); the token keeps unvalidated construction private.
  Generator(Token token, const GeneratorOptions& options);

  // Replaces *chunk with the next rows (at most chunk_rows, admissions schema). Returns false,
  // leaving *chunk empty, once all rows have been produced.
  bool Next(data::Table* chunk);

  const GeneratorStats& stats() const { return stats_; }
  const Window& window() const { return window_; }

 private:
  // Simulates patients until one has admissions in the window; cuts it to the rows left.
  void LoadNextPatient();

  GeneratorOptions options_;
  Window window_;
  PatientSimulator simulator_;
  uint64_t next_patient_index_ = 0;
  std::vector<Admission> patient_;  // the current patient's remaining admissions
  size_t patient_pos_ = 0;
  GeneratorStats stats_;
};

// All rows in one table (for tests and small data sets).
StatusOr<data::Table> GenerateTable(const GeneratorOptions& options);

}  // namespace staycast::synth
