// One synthetic patient's life in hospital: their admissions over the years, simulated in time
// order from a random stream of their own (so any patient can be regenerated alone).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "src/core/time.h"
#include "src/synth/catalog.h"
#include "src/synth/rng.h"

namespace staycast::synth {

// The time span that is written, and the optional start of the drift (kMissingTime = none).
struct Window {
  Timestamp start = 0;
  Timestamp end = 0;
  Timestamp drift_start = kMissingTime;
};

// One simulated stay. Codes point to the catalog's static strings.
struct Admission {
  Timestamp admit = 0;
  Timestamp discharge = 0;
  int32_t los_centidays = 0;  // length of stay in 0.01 days; discharge = admit + 864 s per unit
  double age = 0;             // exact age in years at admission
  bool age_missing = false;
  int gender = 0;
  int insurance = 0;
  int type = 0;
  int condition = 0;  // index into Conditions()
  int department = 0;
  int severity = 1;
  int disposition = 0;
  bool surgical = false;  // had an operation
  std::array<uint8_t, kNumChronic> chronic = {};
  int num_procedures = 0;
  std::array<const char*, 4> procedures = {};
  int num_diagnoses = 0;  // primary first
  std::array<const char*, 12> diagnoses = {};
};

// Simulates patients of one data set. Not thread-safe; cheap to create one per thread.
class PatientSimulator {
 public:
  PatientSimulator(const Window& window, uint64_t seed);

  // Replaces *out with the admissions of patient `index` that start inside the window, in time
  // order. Deterministic in (seed, index, window). A patient who dies has no later admission.
  void Simulate(uint64_t index, std::vector<Admission>* out);

  // Admissions simulated so far, including those before the window (a measure of the work done).
  int64_t simulated_admissions() const { return simulated_admissions_; }

 private:
  struct Patient;

  // Fills `a` (admit time and type already set) with everything else about the stay; without
  // `full`, only what later admissions depend on (condition by type alone, no codes).
  void Admit(const Patient& p, Rng& rng, bool full, Admission* a);
  void AddProcedures(const Condition& cond, int levels, Rng& rng, Admission* a);
  void AddDiagnoses(const Condition& cond, int levels, bool drift, Rng& rng, Admission* a);
  int PickCondition(const Patient& p, Rng& rng, int type, double age, bool winter, bool drift);
  // Admit time on `day` (days since epoch) for an admission of `type`: hour-of-day profile, and
  // elective admissions moved off weekends.
  static Timestamp AdmitTimeOn(int64_t day, int type, Rng& rng);
  bool InDrift(Timestamp t) const {
    return window_.drift_start != kMissingTime && t >= window_.drift_start;
  }
  int PickType(Rng& rng, Timestamp t) const;

  Window window_;
  uint64_t seed_;
  int64_t simulated_admissions_ = 0;
  std::vector<Timestamp> history_;  // admit times of the current patient, including burn-in
  Timestamp full_detail_from_;      // admissions before this are simulated without details
  std::vector<double> weights_;     // scratch for condition weights
  std::array<std::vector<double>, kNumAdmissionTypes> type_weights_;
  std::array<double, kNumAdmissionTypes> type_totals_ = {};
};

}  // namespace staycast::synth
