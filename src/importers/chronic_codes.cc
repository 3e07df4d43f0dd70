// The chronic-condition code tables (ICD-9-CM, ICD-10-CM ranges and SNOMED CT concepts) and ICD
// code formatting. Every table says where it comes from; docs/importers.md lists them for users.
#include "src/importers/chronic_codes.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace staycast::importers {
namespace {

constexpr ChronicFlags kDiabetes = static_cast<ChronicFlags>(Chronic::kDiabetes);
constexpr ChronicFlags kHypertension = static_cast<ChronicFlags>(Chronic::kHypertension);
constexpr ChronicFlags kHeart = static_cast<ChronicFlags>(Chronic::kHeartDisease);
constexpr ChronicFlags kCopd = static_cast<ChronicFlags>(Chronic::kCopd);
constexpr ChronicFlags kCkd = static_cast<ChronicFlags>(Chronic::kCkd);

// A range of undotted codes compared on their first lo.size() characters (lo and hi have the same
// length): "410".."414" matches 410 to 414.99; "40201".."40201" matches exactly 402.01.
struct IcdRange {
  int version;
  const char* lo;
  const char* hi;
  ChronicFlags flags;
};

// Category ranges follow the ICD-9-CM and ICD-10-CM tabular lists (CDC/NCHS, FY2023 ICD-10-CM) and
// the comorbidity definitions of Quan et al., "Coding algorithms for defining comorbidities in
// ICD-9-CM and ICD-10 administrative data", Med Care 2005;43:1130-9 (Elixhauser/Charlson lists),
// narrowed to the five conditions of the admissions table:
//   diabetes      ICD-9 250 (diabetes mellitus); ICD-10 E08-E13 (diabetes mellitus, all types).
//   hypertension  ICD-9 401-405; ICD-10 I10-I16 (hypertensive diseases, incl. I16 crisis).
//   heart_disease ischaemic heart disease, cardiomyopathy and heart failure: ICD-9 410-414, 425,
//   428
//                 and the "with heart failure" hypertensive codes 402.x1, 404.x1, 404.x3 (Quan
//                 CHF); ICD-10 I20-I25, I42, I43, I50 and I11.0, I13.0, I13.2 (Quan CHF).
//   copd          ICD-9 490-492, 494, 496; ICD-10 J40-J44, J47 (chronic bronchitis, emphysema,
//   other
//                 COPD, bronchiectasis: the CMS Chronic Conditions Warehouse "COPD and
//                 bronchiectasis" categories). Asthma is not counted.
//   ckd           ICD-9 585 (chronic kidney disease), 403, 404 (hypertensive CKD); ICD-10 N18, I12,
//                 I13 (the same categories in ICD-10-CM).
constexpr std::array kIcdRanges = {
    IcdRange{9, "250", "250", kDiabetes},      IcdRange{9, "401", "405", kHypertension},
    IcdRange{9, "410", "414", kHeart},         IcdRange{9, "425", "425", kHeart},
    IcdRange{9, "428", "428", kHeart},         IcdRange{9, "40201", "40201", kHeart},
    IcdRange{9, "40211", "40211", kHeart},     IcdRange{9, "40291", "40291", kHeart},
    IcdRange{9, "40401", "40401", kHeart},     IcdRange{9, "40403", "40403", kHeart},
    IcdRange{9, "40411", "40411", kHeart},     IcdRange{9, "40413", "40413", kHeart},
    IcdRange{9, "40491", "40491", kHeart},     IcdRange{9, "40493", "40493", kHeart},
    IcdRange{9, "490", "492", kCopd},          IcdRange{9, "494", "494", kCopd},
    IcdRange{9, "496", "496", kCopd},          IcdRange{9, "403", "404", kCkd},
    IcdRange{9, "585", "585", kCkd},           IcdRange{10, "E08", "E13", kDiabetes},
    IcdRange{10, "I10", "I16", kHypertension}, IcdRange{10, "I20", "I25", kHeart},
    IcdRange{10, "I42", "I43", kHeart},        IcdRange{10, "I50", "I50", kHeart},
    IcdRange{10, "I110", "I110", kHeart},      IcdRange{10, "I130", "I130", kHeart},
    IcdRange{10, "I132", "I132", kHeart},      IcdRange{10, "J40", "J44", kCopd},
    IcdRange{10, "J47", "J47", kCopd},         IcdRange{10, "I12", "I13", kCkd},
    IcdRange{10, "N18", "N18", kCkd},
};

struct SnomedEntry {
  std::string_view code;
  ChronicFlags flags;
};

// SNOMED CT concepts (International Edition concept ids, as Synthea's modules emit them) for the
// five conditions. Synthea records complications of diabetes as their own concepts, so those count
// as diabetes too.
constexpr std::array kSnomed = {
    SnomedEntry{"73211009", kDiabetes},         // Diabetes mellitus
    SnomedEntry{"44054006", kDiabetes},         // Diabetes mellitus type 2
    SnomedEntry{"46635009", kDiabetes},         // Diabetes mellitus type 1
    SnomedEntry{"127013003", kDiabetes},        // Disorder of kidney due to diabetes mellitus
    SnomedEntry{"90781000119102", kDiabetes},   // Microalbuminuria due to type 2 DM
    SnomedEntry{"157141000119108", kDiabetes},  // Proteinuria due to type 2 DM
    SnomedEntry{"368581000119106", kDiabetes},  // Neuropathy due to type 2 DM
    SnomedEntry{"422034002", kDiabetes},        // Retinopathy due to type 2 DM
    SnomedEntry{"1551000119108", kDiabetes},    // Nonproliferative retinopathy due to type 2 DM
    SnomedEntry{"1501000119109", kDiabetes},    // Proliferative retinopathy due to type 2 DM
    SnomedEntry{"97331000119101", kDiabetes},   // Macular edema and retinopathy due to type 2 DM
    SnomedEntry{"60951000119105", kDiabetes},   // Blindness due to type 2 DM
    SnomedEntry{"59621000", kHypertension},     // Essential hypertension
    SnomedEntry{"38341003", kHypertension},     // Hypertensive disorder
    SnomedEntry{"414545008", kHeart},           // Ischemic heart disease
    SnomedEntry{"53741008", kHeart},            // Coronary arteriosclerosis
    SnomedEntry{"22298006", kHeart},            // Myocardial infarction
    SnomedEntry{"401303003", kHeart},           // Acute ST segment elevation MI
    SnomedEntry{"401314000", kHeart},           // Acute non-ST segment elevation MI
    SnomedEntry{"399211009", kHeart},           // History of myocardial infarction
    SnomedEntry{"399261000", kHeart},           // History of coronary artery bypass grafting
    SnomedEntry{"84114007", kHeart},            // Heart failure
    SnomedEntry{"42343007", kHeart},            // Congestive heart failure
    SnomedEntry{"88805009", kHeart},            // Chronic congestive heart failure
    SnomedEntry{"13645005", kCopd},             // Chronic obstructive lung disease
    SnomedEntry{"185086009", kCopd},            // Chronic obstructive bronchitis
    SnomedEntry{"87433001", kCopd},             // Pulmonary emphysema
    SnomedEntry{"709044004", kCkd},             // Chronic kidney disease
    SnomedEntry{"431855005", kCkd},             // Chronic kidney disease stage 1
    SnomedEntry{"431856006", kCkd},             // Chronic kidney disease stage 2
    SnomedEntry{"433144002", kCkd},             // Chronic kidney disease stage 3
    SnomedEntry{"431857002", kCkd},             // Chronic kidney disease stage 4
    SnomedEntry{"433146000", kCkd},             // Chronic kidney disease stage 5
    SnomedEntry{"46177005", kCkd},              // End-stage renal disease
};

// Upper-case, without dots or surrounding spaces.
std::string Normalize(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == '.' || std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string InsertDot(std::string_view code, size_t at) {
  if (code.size() <= at) return std::string(code);
  std::string out(code.substr(0, at));
  out.push_back('.');
  out.append(code.substr(at));
  return out;
}

}  // namespace

ChronicFlags IcdChronicFlags(std::string_view code, int version) {
  const std::string c = Normalize(code);
  ChronicFlags flags = 0;
  for (const IcdRange& r : kIcdRanges) {
    if (r.version != version) continue;
    const std::string_view lo(r.lo);
    if (c.size() < lo.size()) continue;
    const std::string_view prefix = std::string_view(c).substr(0, lo.size());
    if (prefix >= lo && prefix <= std::string_view(r.hi)) flags |= r.flags;
  }
  return flags;
}

ChronicFlags SnomedChronicFlags(std::string_view code) {
  const std::string_view c = Trim(code);
  const auto* it = std::find_if(kSnomed.begin(), kSnomed.end(),
                                [c](const SnomedEntry& e) { return e.code == c; });
  return it == kSnomed.end() ? 0 : it->flags;
}

std::string FormatIcdDiagnosis(std::string_view code, int version) {
  const std::string_view c = Trim(code);
  if (c.find('.') != std::string_view::npos) return std::string(c);
  if (version == 9 && !c.empty() && (c.front() == 'E' || c.front() == 'e')) return InsertDot(c, 4);
  if (version == 9 || version == 10) return InsertDot(c, 3);
  return std::string(c);
}

std::string FormatIcdProcedure(std::string_view code, int version) {
  const std::string_view c = Trim(code);
  if (version == 9 && c.find('.') == std::string_view::npos) return InsertDot(c, 2);
  return std::string(c);
}

}  // namespace staycast::importers
