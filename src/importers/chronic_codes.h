// Code tables for the importers: which ICD-9-CM, ICD-10-CM and SNOMED CT diagnosis codes set the
// five chronic-condition flags, and how ICD codes are written in the admissions table (dotted).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace staycast::importers {

// The chronic conditions of the admissions table, as bits of a ChronicFlags mask.
enum class Chronic : uint8_t {
  kDiabetes = 1 << 0,
  kHypertension = 1 << 1,
  kHeartDisease = 1 << 2,
  kCopd = 1 << 3,
  kCkd = 1 << 4,
};
using ChronicFlags = uint8_t;

inline constexpr bool HasChronic(ChronicFlags flags, Chronic c) {
  return (flags & static_cast<ChronicFlags>(c)) != 0;
}

// Flags set by one ICD diagnosis code; `code` may be written with or without the dot, `version` is
// 9 (ICD-9-CM) or 10 (ICD-10-CM). Unknown versions set nothing.
ChronicFlags IcdChronicFlags(std::string_view code, int version);

// Flags set by one SNOMED CT concept id (as Synthea writes them).
ChronicFlags SnomedChronicFlags(std::string_view code);

// ICD diagnosis codes as written in the admissions table: the dot after the category, as in the
// generator's "E11.9". ICD-10-CM and ICD-9-CM: after the third character ("I10", "E11.9", "401.9",
// "V70.7"), except ICD-9-CM E codes after the fourth ("E849.0"). Codes already dotted are kept.
std::string FormatIcdDiagnosis(std::string_view code, int version);

// ICD procedure codes as written in the admissions table: ICD-9-CM volume 3 with the dot after the
// second character ("36.15"); ICD-10-PCS as given (seven characters, no dot).
std::string FormatIcdProcedure(std::string_view code, int version);

}  // namespace staycast::importers
