// The per-patient admissions process; its coefficients are in model.h and explained in
// docs/synthetic-data.md.
#include "src/synth/patient.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "src/synth/model.h"

namespace staycast::synth {
namespace {

using namespace model;  // NOLINT(google-build-using-namespace): the coefficients read as formulas

constexpr double kSecondsPerYear = 365.2425 * kSecondsPerDay;
constexpr int64_t kSecondsPerMinute = 60;
constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kSecondsPerCentiday = kSecondsPerDay / 100;
constexpr int64_t kDaysPerYear = 365;
constexpr int kReadmitMaxExtraDays = 28;
constexpr int kPlannedMinDays = 7;
constexpr int kPlannedDaysRange = 23;  // 7..29 days
constexpr double kMedicareAge = 65.0;

// Relative admissions per hour of day, by type: emergencies around the clock with an afternoon
// peak, urgent admissions in the daytime, elective ones early in the morning.
constexpr double kHourWeights[kNumAdmissionTypes][24] = {
    {2.0, 1.6, 1.3, 1.1, 1.0, 1.0, 1.2, 1.6, 2.2, 2.9, 3.4, 3.7,
     3.8, 3.8, 3.8, 3.9, 4.0, 4.0, 3.9, 3.7, 3.4, 3.0, 2.6, 2.3},
    {0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 3.5, 3.6,
     3.4, 3.4, 3.3, 3.1, 2.8, 2.4, 1.8, 1.3, 1.0, 0.7, 0.5, 0.4},
    {0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 4.0, 6.0, 5.0, 3.0, 2.0, 1.5,
     1.0, 1.0, 0.8, 0.5, 0.3, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
};

constexpr double Sum(const double* w, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += w[i];
  return s;
}

int64_t DayOf(Timestamp t) { return t >= 0 ? t / kSecondsPerDay : (t + 1) / kSecondsPerDay - 1; }
// 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday).
int WeekdayOf(int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }
int MonthOf(int64_t day) {
  int year = 0;
  unsigned month = 0;
  unsigned dom = 0;
  CivilFromDays(day, &year, &month, &dom);
  return static_cast<int>(month);
}

// Years until a patient aged `age` leaves the population, for a unit-exponential draw `e`: solves
// H(t) = e for the cumulative hazard H(t) = b t + (m / k) e^{k (age - 70)} (e^{k t} - 1) of the
// yearly exit hazard b + m e^{k (age + t - 70)}, by Newton's method from the right (H is convex).
double YearsToExit(double age, double e) {
  const double c = kExitMortality / kExitAgeSlope * std::exp(kExitAgeSlope * (age - 70.0));
  double t = e / kExitBase;
  for (int i = 0; i < 60; ++i) {
    const double growth = std::exp(kExitAgeSlope * t);
    const double h = kExitBase * t + c * (growth - 1.0) - e;
    const double step = h / (kExitBase + c * kExitAgeSlope * growth);
    t -= step;
    if (step < 1e-9) break;
  }
  return t;
}

}  // namespace

struct PatientSimulator::Patient {
  Timestamp first = 0;  // first admission time (may be before the window)
  double age_at_first = 0;
  int gender = 0;
  double frailty = 0;
  std::array<double, kNumChronic> onset = {};  // age at onset; +inf = never
  int insurance_under_65 = kPrivate;
  bool medicare_at_65 = true;

  double AgeAt(Timestamp t) const {
    return age_at_first + static_cast<double>(t - first) / kSecondsPerYear;
  }
  int ChronicCount(double age) const {
    int n = 0;
    for (double o : onset) n += age >= o ? 1 : 0;
    return n;
  }
};

PatientSimulator::PatientSimulator(const Window& window, uint64_t seed)
    : window_(window),
      seed_(seed),
      full_detail_from_(window.start - kDaysPerYear * kSecondsPerDay) {
  weights_.resize(Conditions().size());
  for (int type = 0; type < kNumAdmissionTypes; ++type) {
    for (const Condition& c : Conditions()) {
      type_weights_[type].push_back(c.weight[type]);
      type_totals_[type] += c.weight[type];
    }
  }
}

Timestamp PatientSimulator::AdmitTimeOn(int64_t day, int type, Rng& rng) {
  if (type == kElective) {
    const int weekday = WeekdayOf(day);
    if (weekday >= 5) day += 7 - weekday;  // Saturday -> Monday, Sunday -> Monday
  }
  static constexpr std::array<double, kNumAdmissionTypes> kTotals = {
      Sum(kHourWeights[0], 24), Sum(kHourWeights[1], 24), Sum(kHourWeights[2], 24)};
  const int hour = rng.Pick(kHourWeights[type], 24, kTotals[type]);
  const int minute = rng.Below(60);
  return day * kSecondsPerDay + hour * kSecondsPerHour + minute * kSecondsPerMinute;
}

int PatientSimulator::PickType(Rng& rng, Timestamp t) const {
  const auto& mix = InDrift(t) ? kDriftTypeMix : kTypeMix;
  return rng.Pick(mix.data(), kNumAdmissionTypes, Sum(mix.data(), kNumAdmissionTypes));
}

void PatientSimulator::Simulate(uint64_t index, std::vector<Admission>* out) {
  out->clear();
  history_.clear();
  Rng rng(StreamSeed(seed_, index));

  Patient p;
  const double burn_in = kBurnInYears * kSecondsPerYear;
  const double span = static_cast<double>(window_.end - window_.start) + burn_in;
  const Timestamp arrival = window_.start - static_cast<Timestamp>(burn_in - rng.Uniform() * span);
  double age = rng.Normal(kAgeMean, kAgeSd);
  for (int tries = 0; tries < 8 && (age < kAgeMin || age > kAgeMax); ++tries) {
    age = rng.Normal(kAgeMean, kAgeSd);
  }
  p.age_at_first = std::clamp(age, kAgeMin, kAgeMax);
  // When the patient leaves the hospital's population; one who leaves before the window has
  // nothing to write and is not simulated further.
  const double years_to_exit =
      std::min(YearsToExit(p.age_at_first, rng.Exponential(1.0)), kAgeLimit - p.age_at_first);
  const double exit_time = static_cast<double>(arrival) + years_to_exit * kSecondsPerYear;
  if (exit_time < static_cast<double>(window_.start)) return;
  const Timestamp stop = std::min(window_.end, static_cast<Timestamp>(exit_time));
  p.gender = rng.Bernoulli(kFemaleShare) ? 0 : 1;
  p.frailty = rng.Normal(0.0, kFrailtySd);
  for (int c = 0; c < kNumChronic; ++c) {
    const Chronic& spec = ChronicConditions()[c];
    const double share =
        std::min(0.95, spec.lifetime_share * std::exp(kChronicFrailty * p.frailty));
    const bool ever = rng.Bernoulli(share);
    const double onset = rng.Normal(spec.onset_mean, spec.onset_sd);
    p.onset[c] = ever ? std::max(onset, kAgeMin) : std::numeric_limits<double>::infinity();
  }
  p.insurance_under_65 = rng.Pick(kInsuranceUnder65.data(), 4, Sum(kInsuranceUnder65.data(), 4));
  p.medicare_at_65 = rng.Bernoulli(kMedicareAt65);

  // The first admission; p.first is its time so that ages count from it.
  int type = PickType(rng, arrival);
  Timestamp t = AdmitTimeOn(DayOf(arrival), type, rng);
  p.first = t;
  Admission a;
  while (t < stop) {
    a.admit = t;
    a.type = type;
    // Stays more than a year before the window are never written and only feed the chain of
    // later admissions: they skip the coding details.
    Admit(p, rng, a.admit >= full_detail_from_, &a);
    history_.push_back(a.admit);
    ++simulated_admissions_;
    if (a.admit >= window_.start) out->push_back(a);
    if (a.disposition == kDied) break;

    // What comes next: an unplanned readmission within 30 days, a planned return, or a later
    // admission after at least 31 days.
    int prior = 0;
    for (Timestamp h : history_) {
      if (h < a.admit && h > a.admit - kDaysPerYear * kSecondsPerDay) ++prior;
    }
    const int chronic = p.ChronicCount(a.age);
    const double los = a.los_centidays / 100.0;
    const double logit = kReadmitIntercept + kReadmitChronic * chronic +
                         kReadmitPrior * std::min(prior, kReadmitPriorCap) +
                         kReadmitLos * std::log(los) + kReadmitDisposition[a.disposition] +
                         kReadmitFrailty * p.frailty;
    const int64_t discharge_day = DayOf(a.discharge);
    int64_t next_day = 0;
    if (rng.Bernoulli(Sigmoid(logit))) {
      const double u = rng.Uniform();
      next_day = discharge_day + 1 +
                 static_cast<int64_t>(kReadmitMaxExtraDays * std::pow(u, kReadmitDaysShape));
      type = rng.Bernoulli(kReadmissionEmergency) ? kEmergency : kUrgent;
    } else if (rng.Bernoulli(kPlannedReturn)) {
      next_day = discharge_day + kPlannedMinDays + rng.Below(kPlannedDaysRange);
      type = kElective;
    } else {
      const double next_age = p.AgeAt(a.discharge);
      const double rate =
          kRateBase * std::exp(kRateChronic * p.ChronicCount(next_age) +
                               kRateAge * (next_age - 60.0) + kRateFrailty * p.frailty);
      const double gap_days = kMinGapDays + rng.Exponential(kDaysPerYear / rate);
      next_day = discharge_day + static_cast<int64_t>(gap_days);
      type = PickType(rng, next_day * kSecondsPerDay);
    }
    t = AdmitTimeOn(next_day, type, rng);
  }
}

int PatientSimulator::PickCondition(const Patient& p, Rng& rng, int type, double age, bool winter,
                                    bool drift) {
  const std::span<const Condition> conditions = Conditions();
  double total = 0;
  for (size_t i = 0; i < conditions.size(); ++i) {
    const Condition& c = conditions[i];
    double w = c.weight[type];
    if (c.linked_chronic != kNoChronic) {
      w *= age >= p.onset[c.linked_chronic] ? c.with_linked : c.without_linked;
    }
    if (age >= kOldAge) w *= c.old_multiplier;
    if (age < kYoungAge) w *= c.young_multiplier;
    if (winter && c.respiratory) w *= kWinterRespiratoryFrequency;
    if (drift && c.department == kGeneralMedicine) w *= kDriftMedicineFrequency;
    weights_[i] = w;
    total += w;
  }
  return rng.Pick(weights_.data(), static_cast<int>(conditions.size()), total);
}

// The operation first, then a condition-specific procedure, then routine ones of the department.
void PatientSimulator::AddProcedures(const Condition& cond, int levels, Rng& rng, Admission* a) {
  a->num_procedures = 0;
  if (a->surgical) a->procedures[a->num_procedures++] = cond.surgery;
  if (cond.specific_procedure != nullptr &&
      rng.Bernoulli(cond.specific_probability * (1.0 + kSpecificPerSeverity * levels))) {
    a->procedures[a->num_procedures++] = cond.specific_procedure;
  }
  const Department& dept = Departments()[cond.department];
  const int routine = std::min(2, rng.Poisson(kProceduresBase + kProceduresPerSeverity * levels));
  const int first = rng.Below(static_cast<int>(dept.procedures.size()));
  for (int i = 0; i < routine; ++i) {
    const char* code = dept.procedures[(first + i) % dept.procedures.size()];
    if (std::find(a->procedures.begin(), a->procedures.begin() + a->num_procedures, code) ==
        a->procedures.begin() + a->num_procedures) {
      a->procedures[a->num_procedures++] = code;
    }
  }
}

// The primary diagnosis, the codes of the patient's chronic conditions, then extra secondary codes.
void PatientSimulator::AddDiagnoses(const Condition& cond, int levels, bool drift, Rng& rng,
                                    Admission* a) {
  a->num_diagnoses = 0;
  a->diagnoses[a->num_diagnoses++] = cond.code;
  for (int c = 0; c < kNumChronic; ++c) {
    if (a->chronic[c] != 0 && ChronicConditions()[c].code != std::string_view(cond.code)) {
      a->diagnoses[a->num_diagnoses++] = ChronicConditions()[c].code;
    }
  }
  const double coding = (kCodingBase + kCodingPerSeverity * levels) * (drift ? kDriftCoding : 1.0);
  const int extra = std::min(rng.Poisson(coding), kMaxDiagnoses - a->num_diagnoses);
  const std::span<const char* const> pool = SecondaryCodes();
  for (int i = 0; i < extra; ++i) {
    const char* code = pool[rng.Below(static_cast<int>(pool.size()))];
    if (std::find(a->diagnoses.begin(), a->diagnoses.begin() + a->num_diagnoses, code) ==
        a->diagnoses.begin() + a->num_diagnoses) {
      a->diagnoses[a->num_diagnoses++] = code;
    }
  }
}

void PatientSimulator::Admit(const Patient& p, Rng& rng, bool full, Admission* a) {
  a->age = p.AgeAt(a->admit);
  const double age = a->age;
  int chronic = 0;
  for (int c = 0; c < kNumChronic; ++c) {
    a->chronic[c] = age >= p.onset[c] ? 1 : 0;
    chronic += a->chronic[c];
  }
  const int64_t day = DayOf(a->admit);
  const int month = MonthOf(day);
  const bool winter = month == 12 || month <= 2;
  const bool weekend = WeekdayOf(day) >= 5;
  const bool drift = InDrift(a->admit);
  const int type = a->type;
  const double u = p.frailty;

  a->gender = p.gender;
  a->insurance = (age >= kMedicareAge && p.medicare_at_65) ? kMedicare : p.insurance_under_65;
  a->condition = full ? PickCondition(p, rng, type, age, winter, drift)
                      : rng.Pick(type_weights_[type].data(),
                                 static_cast<int>(type_weights_[type].size()), type_totals_[type]);
  const Condition& cond = Conditions()[a->condition];
  a->department = cond.department;

  const double latent = kSeverityChronic * chronic + kSeverityAge * (age - 60.0) +
                        kSeverityFrailty * u + cond.severity_shift + kSeverityType[type] +
                        rng.Logistic();
  a->severity = 1;
  for (double threshold : kSeverityThresholds) a->severity += latent > threshold ? 1 : 0;
  const int levels = a->severity - 1;

  a->surgical = cond.surgery != nullptr && rng.Bernoulli(cond.surgery_probability);
  if (full) AddProcedures(cond, levels, rng, a);

  // Length of stay.
  const double sigma =
      a->surgical ? kLosSigmaSurgical : kLosSigmaMedical + kLosSigmaPerChronic * chronic;
  const double log_los = std::log(cond.median_los) + kLosIntercept + kLosType[type] +
                         kLosSeverity * levels + kLosChronic * chronic +
                         kLosAge * (age - 60.0) / 10.0 +
                         (weekend ? (drift ? kDriftLosWeekend : kLosWeekend) : 0.0) +
                         (winter && cond.respiratory ? kLosWinterRespiratory : 0.0) +
                         kLosFrailty * u + sigma * rng.Normal();
  const double los = std::clamp(std::exp(log_los), kLosMin, kLosMax);
  a->los_centidays = static_cast<int32_t>(std::lround(los * 100.0));
  a->discharge = a->admit + a->los_centidays * kSecondsPerCentiday;

  // Discharge disposition.
  const bool ortho = cond.department == kOrthopedics;
  const bool neuro = cond.department == kNeurology;
  if (rng.Bernoulli(Sigmoid(kDeathIntercept + kDeathSeverity * levels + kDeathAge * (age - 60.0) +
                            kDeathChronic * chronic + kDeathFrailty * u))) {
    a->disposition = kDied;
  } else if (type != kElective &&
             rng.Bernoulli(kAmaBase * (a->insurance == kSelfPay ? kAmaSelfPay : 1.0) *
                           (age >= kMedicareAge ? kAmaOld : 1.0))) {
    a->disposition = kAma;
  } else if (rng.Bernoulli(Sigmoid(kSnfIntercept + kSnfAge * (age - 65.0) + kSnfSeverity * levels +
                                   kSnfChronic * chronic + (ortho ? kSnfOrthopedics : 0.0)))) {
    a->disposition = kSnf;
  } else if (rng.Bernoulli(Sigmoid(kRehabIntercept + (ortho || neuro ? kRehabOrthoNeuro : 0.0) +
                                   kRehabSeverity * levels))) {
    a->disposition = kRehab;
  } else if (rng.Bernoulli(Sigmoid(kHomeHealthIntercept + kHomeHealthAge * (age - 60.0) +
                                   kHomeHealthChronic * chronic))) {
    a->disposition = kHomeHealth;
  } else {
    a->disposition = kHome;
  }

  if (full) AddDiagnoses(cond, levels, drift, rng, a);
  a->age_missing = full && rng.Bernoulli(kAgeMissing[type]);
}

}  // namespace staycast::synth
