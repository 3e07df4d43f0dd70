// Tests for the chronic-condition code tables and ICD code formatting.
#include "src/importers/chronic_codes.h"

#include <gtest/gtest.h>

namespace staycast::importers {
namespace {

constexpr ChronicFlags Flag(Chronic c) { return static_cast<ChronicFlags>(c); }

TEST(IcdChronicFlagsTest, Icd9Ranges) {
  EXPECT_EQ(IcdChronicFlags("25000", 9), Flag(Chronic::kDiabetes));
  EXPECT_EQ(IcdChronicFlags("250.02", 9), Flag(Chronic::kDiabetes));
  EXPECT_EQ(IcdChronicFlags("4019", 9), Flag(Chronic::kHypertension));
  EXPECT_EQ(IcdChronicFlags("41401", 9), Flag(Chronic::kHeartDisease));
  EXPECT_EQ(IcdChronicFlags("4280", 9), Flag(Chronic::kHeartDisease));
  EXPECT_EQ(IcdChronicFlags("496", 9), Flag(Chronic::kCopd));
  EXPECT_EQ(IcdChronicFlags("5853", 9), Flag(Chronic::kCkd));
  // Hypertensive heart and chronic kidney disease with heart failure: three flags.
  EXPECT_EQ(IcdChronicFlags("40491", 9),
            Flag(Chronic::kHypertension) | Flag(Chronic::kHeartDisease) | Flag(Chronic::kCkd));
  EXPECT_EQ(IcdChronicFlags("40390", 9), Flag(Chronic::kHypertension) | Flag(Chronic::kCkd));
  // Range edges: 405 is hypertension, 406 is not; 415 (pulmonary heart disease) is not counted.
  EXPECT_EQ(IcdChronicFlags("4059", 9), Flag(Chronic::kHypertension));
  EXPECT_EQ(IcdChronicFlags("4150", 9), 0);
  EXPECT_EQ(IcdChronicFlags("493", 9), 0);  // asthma
  // V and E codes never fall in the numeric ranges.
  EXPECT_EQ(IcdChronicFlags("V4581", 9), 0);
  EXPECT_EQ(IcdChronicFlags("E8490", 9), 0);
}

TEST(IcdChronicFlagsTest, Icd10Ranges) {
  EXPECT_EQ(IcdChronicFlags("E119", 10), Flag(Chronic::kDiabetes));
  EXPECT_EQ(IcdChronicFlags("E11.9", 10), Flag(Chronic::kDiabetes));
  EXPECT_EQ(IcdChronicFlags("e08.00", 10), Flag(Chronic::kDiabetes));
  EXPECT_EQ(IcdChronicFlags("E14", 10), 0);
  EXPECT_EQ(IcdChronicFlags("I10", 10), Flag(Chronic::kHypertension));
  EXPECT_EQ(IcdChronicFlags("I110", 10),
            Flag(Chronic::kHypertension) | Flag(Chronic::kHeartDisease));
  EXPECT_EQ(IcdChronicFlags("I119", 10), Flag(Chronic::kHypertension));
  EXPECT_EQ(IcdChronicFlags("I2510", 10), Flag(Chronic::kHeartDisease));
  EXPECT_EQ(IcdChronicFlags("I5023", 10), Flag(Chronic::kHeartDisease));
  EXPECT_EQ(IcdChronicFlags("I480", 10), 0);  // atrial fibrillation is not counted
  EXPECT_EQ(IcdChronicFlags("J449", 10), Flag(Chronic::kCopd));
  EXPECT_EQ(IcdChronicFlags("J45909", 10), 0);  // asthma
  EXPECT_EQ(IcdChronicFlags("N184", 10), Flag(Chronic::kCkd));
  EXPECT_EQ(IcdChronicFlags("N179", 10), 0);  // acute kidney failure
  EXPECT_EQ(IcdChronicFlags("I129", 10), Flag(Chronic::kHypertension) | Flag(Chronic::kCkd));
}

TEST(IcdChronicFlagsTest, VersionDecidesTheMeaning) {
  // "4019" is essential hypertension in ICD-9 and not a valid ICD-10 code; "I10" only in ICD-10.
  EXPECT_EQ(IcdChronicFlags("4019", 10), 0);
  EXPECT_EQ(IcdChronicFlags("I10", 9), 0);
  EXPECT_EQ(IcdChronicFlags("25000", 11), 0);
  EXPECT_EQ(IcdChronicFlags("", 9), 0);
}

TEST(SnomedChronicFlagsTest, KnownConcepts) {
  EXPECT_EQ(SnomedChronicFlags("44054006"), Flag(Chronic::kDiabetes));
  EXPECT_EQ(SnomedChronicFlags("59621000"), Flag(Chronic::kHypertension));
  EXPECT_EQ(SnomedChronicFlags("88805009"), Flag(Chronic::kHeartDisease));
  EXPECT_EQ(SnomedChronicFlags("185086009"), Flag(Chronic::kCopd));
  EXPECT_EQ(SnomedChronicFlags("433144002"), Flag(Chronic::kCkd));
  EXPECT_EQ(SnomedChronicFlags(" 431855005 "), Flag(Chronic::kCkd));
  EXPECT_EQ(SnomedChronicFlags("15777000"), 0);  // prediabetes
  EXPECT_EQ(SnomedChronicFlags("10509002"), 0);  // acute bronchitis
}

TEST(FormatIcdTest, DiagnosisCodesGetTheCategoryDot) {
  EXPECT_EQ(FormatIcdDiagnosis("E119", 10), "E11.9");
  EXPECT_EQ(FormatIcdDiagnosis("I10", 10), "I10");
  EXPECT_EQ(FormatIcdDiagnosis("S72001A", 10), "S72.001A");
  EXPECT_EQ(FormatIcdDiagnosis("E11.9", 10), "E11.9");
  EXPECT_EQ(FormatIcdDiagnosis("4019", 9), "401.9");
  EXPECT_EQ(FormatIcdDiagnosis("41401", 9), "414.01");
  EXPECT_EQ(FormatIcdDiagnosis("V707", 9), "V70.7");
  EXPECT_EQ(FormatIcdDiagnosis("E8490", 9), "E849.0");
  EXPECT_EQ(FormatIcdDiagnosis("496", 9), "496");
  EXPECT_EQ(FormatIcdDiagnosis(" 4280 ", 9), "428.0");
}

TEST(FormatIcdTest, ProcedureCodes) {
  EXPECT_EQ(FormatIcdProcedure("3615", 9), "36.15");
  EXPECT_EQ(FormatIcdProcedure("3961", 9), "39.61");
  EXPECT_EQ(FormatIcdProcedure("02HV33Z", 10), "02HV33Z");
}

}  // namespace
}  // namespace staycast::importers
