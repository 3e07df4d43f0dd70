// Generates admissions-shaped rows chunk by chunk and writes them with the CSV writer.
#include "bench/admissions_csv.h"

#include <cmath>
#include <random>
#include <vector>

#include "src/data/admissions.h"
#include "src/data/csv.h"

namespace staycast::bench {
namespace {

namespace adm = data::admissions;
using data::Column;
using data::Table;

constexpr size_t kChunkRows = 50000;
constexpr Timestamp kStart = 1514764800;  // 2018-01-01
constexpr int64_t kSpanSeconds = 5 * 365 * kSecondsPerDay;

// ICD-10-like codes such as "I17" and "E24.3".
std::vector<std::string> MakeCodes() {
  std::vector<std::string> codes;
  const char* letters = "ABCDEFGIJKLMNRZ";
  for (int i = 0; i < 300; ++i) {
    std::string code(1, letters[i % 15]);
    code += std::to_string(10 + (i * 7) % 89);
    if (i % 3 != 0) code += "." + std::to_string(i % 10);
    codes.push_back(code);
  }
  return codes;
}

std::string Pad(uint64_t n, size_t width) {
  std::string s = std::to_string(n);
  return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
}

StatusOr<Table> MakeChunk(std::mt19937_64& rng, size_t first_row, size_t rows, size_t patients) {
  Table t = Table::FromSchema(adm::AdmissionsSchema());
  auto col = [&](const char* name) { return t.FindMutableColumn(name); };
  std::uniform_real_distribution<double> unit(0, 1);
  auto pick = [&](size_t n) { return static_cast<size_t>(unit(rng) * static_cast<double>(n)); };
  const std::vector<std::string> insurance = {"Medicare", "Medicaid", "Private", "Self-pay"};
  const std::vector<std::string> departments = {
      "Cardiology",  "General Medicine", "Orthopedics",      "Neurology",  "Oncology",
      "Pulmonology", "Surgery",          "Gastroenterology", "Nephrology", "Obstetrics"};
  const std::vector<std::string> types = {"Emergency", "Urgent", "Elective"};
  const std::vector<std::string> dispositions = {"Home", "Home Health", "SNF", "Rehab", "Died"};
  static const std::vector<std::string> codes = MakeCodes();
  for (size_t i = 0; i < rows; ++i) {
    col(adm::kAdmissionId)->AppendCategory("A" + Pad(first_row + i + 1, 8));
    col(adm::kPatientId)->AppendCategory("P" + Pad(pick(patients) + 1, 7));
    const Timestamp admit = kStart + static_cast<Timestamp>(unit(rng) * kSpanSeconds);
    const int severity = 1 + static_cast<int>(pick(4));
    const double los = std::round((0.3 + -std::log(1 - unit(rng)) * 1.5 * severity) * 100) / 100;
    col(adm::kAdmitTime)->AppendTimestamp(admit);
    col(adm::kDischargeTime)->AppendTimestamp(admit + static_cast<Timestamp>(los * 86400));
    if (pick(30) == 0) {
      col(adm::kAge)->AppendMissing();
    } else {
      col(adm::kAge)->AppendNumeric(static_cast<double>(18 + pick(78)));
    }
    col(adm::kGender)->AppendCategory(pick(2) == 0 ? "F" : "M");
    col(adm::kInsuranceType)->AppendCategory(insurance[pick(insurance.size())]);
    col(adm::kDepartment)->AppendCategory(departments[pick(departments.size())]);
    col(adm::kAdmissionType)->AppendCategory(types[pick(types.size())]);
    std::vector<std::string> diagnoses(1 + pick(6));
    for (std::string& d : diagnoses) d = codes[pick(codes.size())];
    col(adm::kDiagnosisPrimary)->AppendCategory(diagnoses[0]);
    col(adm::kDiagnosisCodes)->AppendList(diagnoses);
    std::vector<std::string> procedures(pick(4));
    for (std::string& p : procedures) p = Pad(pick(9999), 4);
    col(adm::kProcedureCodes)->AppendList(procedures);
    col(adm::kSeverity)->AppendNumeric(severity);
    for (const char* flag :
         {adm::kDiabetes, adm::kHypertension, adm::kHeartDisease, adm::kCopd, adm::kCkd}) {
      col(flag)->AppendNumeric(pick(4) == 0 ? 1 : 0);
    }
    col(adm::kDischargeDisposition)->AppendCategory(dispositions[pick(dispositions.size())]);
    col(adm::kLengthOfStay)->AppendNumeric(los);
    col(adm::kReadmitted30d)->AppendNumeric(pick(7) == 0 ? 1 : 0);
  }
  RETURN_IF_ERROR(t.SyncRowCount());
  return t;
}

}  // namespace

Status WriteAdmissionsCsv(const std::string& path, size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  ASSIGN_OR_RETURN(std::unique_ptr<data::TableWriter> writer,
                   data::OpenCsvWriter(path, adm::AdmissionsSchema()));
  const size_t patients = std::max<size_t>(1, rows * 2 / 3);
  for (size_t done = 0; done < rows; done += kChunkRows) {
    const size_t n = std::min(kChunkRows, rows - done);
    ASSIGN_OR_RETURN(const Table chunk, MakeChunk(rng, done, n, patients));
    RETURN_IF_ERROR(writer->Write(chunk));
  }
  return writer->Commit();
}

}  // namespace staycast::bench
