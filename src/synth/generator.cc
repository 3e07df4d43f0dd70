// The generator: turns simulated patients into admissions-table chunks.
#include "src/synth/generator.h"

#include <algorithm>
#include <string>

#include "src/data/admissions.h"

namespace staycast::synth {
namespace {

namespace adm = data::admissions;

constexpr int kMaxYears = 100;
constexpr int64_t kUnplannedWindowSeconds = 30 * kSecondsPerDay;
constexpr int kPatientIdDigits = 8;
constexpr int kAdmissionIdDigits = 9;

// "P00000042": a prefix and a zero-padded decimal number (wider when it does not fit).
std::string FormatId(char prefix, int64_t number, int digits) {
  char buf[32];
  char* end = buf + sizeof(buf);
  char* p = end;
  int written = 0;
  while (number > 0 || written < digits) {
    *--p = static_cast<char>('0' + number % 10);
    number /= 10;
    ++written;
  }
  *--p = prefix;
  return std::string(p, end);
}

// Column indices of the admissions schema, resolved once.
struct Columns {
  int admission_id, patient_id, admit_time, discharge_time, age, gender, insurance, department,
      admission_type, diagnosis_primary, diagnosis_codes, procedure_codes, severity, disposition,
      length_of_stay, readmitted;
  std::array<int, kNumChronic> chronic;

  explicit Columns(const data::Schema& s)
      : admission_id(s.Find(adm::kAdmissionId)),
        patient_id(s.Find(adm::kPatientId)),
        admit_time(s.Find(adm::kAdmitTime)),
        discharge_time(s.Find(adm::kDischargeTime)),
        age(s.Find(adm::kAge)),
        gender(s.Find(adm::kGender)),
        insurance(s.Find(adm::kInsuranceType)),
        department(s.Find(adm::kDepartment)),
        admission_type(s.Find(adm::kAdmissionType)),
        diagnosis_primary(s.Find(adm::kDiagnosisPrimary)),
        diagnosis_codes(s.Find(adm::kDiagnosisCodes)),
        procedure_codes(s.Find(adm::kProcedureCodes)),
        severity(s.Find(adm::kSeverity)),
        disposition(s.Find(adm::kDischargeDisposition)),
        length_of_stay(s.Find(adm::kLengthOfStay)),
        readmitted(s.Find(adm::kReadmitted30d)),
        chronic{s.Find(adm::kDiabetes), s.Find(adm::kHypertension), s.Find(adm::kHeartDisease),
                s.Find(adm::kCopd), s.Find(adm::kCkd)} {}
};

// A fresh chunk whose fixed categorical columns have their dictionaries interned in catalog
// order, so that a category's code equals its catalog index.
data::Table NewChunk(const data::Schema& schema, const Columns& c, size_t rows) {
  data::Table t = data::Table::FromSchema(schema);
  for (size_t i = 0; i < t.num_columns(); ++i) t.mutable_column(i).Reserve(rows);
  for (const char* name : kGenderNames) t.mutable_column(c.gender).InternCategory(name);
  for (const char* name : kInsuranceNames) t.mutable_column(c.insurance).InternCategory(name);
  for (const Department& d : Departments()) t.mutable_column(c.department).InternCategory(d.name);
  for (const char* name : kAdmissionTypeNames) {
    t.mutable_column(c.admission_type).InternCategory(name);
  }
  for (const Condition& cond : Conditions()) {
    t.mutable_column(c.diagnosis_primary).InternCategory(cond.code);
  }
  for (const char* name : kDispositionNames) t.mutable_column(c.disposition).InternCategory(name);
  return t;
}

// A date, with the time of day only when it is not midnight.
std::string FormatWhen(Timestamp t) { return FormatTimestamp(t, t % kSecondsPerDay == 0); }

}  // namespace

Timestamp WindowEnd(Timestamp start, int years) {
  const CivilTime c = ToCivil(start);
  const int64_t seconds_in_day = start - DaysFromCivil(c.year, c.month, c.day) * kSecondsPerDay;
  return DaysFromCivil(c.year + years, c.month, c.day) * kSecondsPerDay + seconds_in_day;
}

Status ValidateGeneratorOptions(const GeneratorOptions& o) {
  if (o.rows <= 0) {
    return InvalidArgumentError("--rows must be a positive number of rows (got " +
                                std::to_string(o.rows) + ")");
  }
  if (o.years <= 0 || o.years > kMaxYears) {
    return InvalidArgumentError("--years must be between 1 and " + std::to_string(kMaxYears) +
                                " (got " + std::to_string(o.years) + ")");
  }
  if (o.start == kMissingTime) return InvalidArgumentError("--start is missing");
  if (o.chunk_rows == 0) return InvalidArgumentError("chunk size must be positive");
  if (o.drift_start != kMissingTime) {
    const Timestamp end = WindowEnd(o.start, o.years);
    if (o.drift_start <= o.start || o.drift_start >= end) {
      return InvalidArgumentError("--drift-start " + FormatWhen(o.drift_start) +
                                  " must lie strictly inside the generated period " +
                                  FormatWhen(o.start) + " .. " + FormatWhen(end));
    }
  }
  return OkStatus();
}

Generator::Generator(Token /*token*/, const GeneratorOptions& options)
    : options_(options),
      window_{options.start, WindowEnd(options.start, options.years), options.drift_start},
      simulator_(window_, options.seed) {}

StatusOr<std::unique_ptr<Generator>> Generator::Create(const GeneratorOptions& options) {
  RETURN_IF_ERROR(ValidateGeneratorOptions(options));
  return std::make_unique<Generator>(Token{}, options);
}

void Generator::LoadNextPatient() {
  patient_pos_ = 0;
  do {
    simulator_.Simulate(next_patient_index_++, &patient_);
  } while (patient_.empty());
  const auto left = static_cast<size_t>(options_.rows - stats_.rows);
  if (patient_.size() > left) patient_.resize(left);
  ++stats_.patients;
}

bool Generator::Next(data::Table* chunk) {
  static const data::Schema kSchema = adm::AdmissionsSchema();
  static const Columns kCols(kSchema);
  const auto remaining = static_cast<size_t>(options_.rows - stats_.rows);
  const size_t n = std::min(options_.chunk_rows, remaining);
  *chunk = NewChunk(kSchema, kCols, n);
  if (n == 0) return false;

  auto col = [chunk](int i) -> data::Column& { return chunk->mutable_column(i); };
  data::Column& admission_id = col(kCols.admission_id);
  data::Column& patient_id = col(kCols.patient_id);
  int32_t patient_code = data::kMissingCode;
  for (size_t r = 0; r < n; ++r) {
    if (patient_pos_ >= patient_.size()) {
      LoadNextPatient();
      patient_code = data::kMissingCode;
    }
    const Admission& a = patient_[patient_pos_];
    const bool has_next = patient_pos_ + 1 < patient_.size();
    const bool readmitted =
        has_next && patient_[patient_pos_ + 1].type != kElective &&
        patient_[patient_pos_ + 1].admit - a.discharge <= kUnplannedWindowSeconds;
    ++patient_pos_;
    ++stats_.rows;

    admission_id.codes().push_back(
        admission_id.InternCategory(FormatId('A', stats_.rows, kAdmissionIdDigits)));
    if (patient_code == data::kMissingCode) {
      patient_code = patient_id.InternCategory(FormatId('P', stats_.patients, kPatientIdDigits));
    }
    patient_id.codes().push_back(patient_code);
    col(kCols.admit_time).timestamps().push_back(a.admit);
    col(kCols.discharge_time).timestamps().push_back(a.discharge);
    col(kCols.age).numeric().push_back(a.age_missing ? std::nan("") : std::floor(a.age));
    col(kCols.gender).codes().push_back(a.gender);
    col(kCols.insurance).codes().push_back(a.insurance);
    col(kCols.department).codes().push_back(a.department);
    col(kCols.admission_type).codes().push_back(a.type);
    col(kCols.diagnosis_primary).codes().push_back(a.condition);
    std::vector<std::string>& dx = col(kCols.diagnosis_codes).lists().emplace_back();
    dx.reserve(a.num_diagnoses);
    for (int i = 0; i < a.num_diagnoses; ++i) dx.emplace_back(a.diagnoses[i]);
    std::vector<std::string>& px = col(kCols.procedure_codes).lists().emplace_back();
    px.reserve(a.num_procedures);
    for (int i = 0; i < a.num_procedures; ++i) px.emplace_back(a.procedures[i]);
    col(kCols.severity).numeric().push_back(a.severity);
    for (int c = 0; c < kNumChronic; ++c) col(kCols.chronic[c]).numeric().push_back(a.chronic[c]);
    col(kCols.disposition).codes().push_back(a.disposition);
    const double los = a.los_centidays / 100.0;
    col(kCols.length_of_stay).numeric().push_back(los);
    col(kCols.readmitted).numeric().push_back(readmitted ? 1.0 : 0.0);
    stats_.total_los += los;
    stats_.readmissions += readmitted ? 1 : 0;
  }
  chunk->SyncRowCount().IgnoreError();  // every column received exactly n values above
  return true;
}

StatusOr<data::Table> GenerateTable(const GeneratorOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Generator> generator, Generator::Create(options));
  data::Table all;
  data::Table chunk;
  bool first = true;
  while (generator->Next(&chunk)) {
    if (first) {
      all = std::move(chunk);
      first = false;
    } else {
      RETURN_IF_ERROR(all.Append(chunk));
    }
  }
  return first ? data::Table::FromSchema(data::admissions::AdmissionsSchema()) : std::move(all);
}

}  // namespace staycast::synth
