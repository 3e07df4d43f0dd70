// The built-in comorbidity code lists, as data: Charlson (17 conditions) and Elixhauser (31
// conditions) in ICD-9-CM and ICD-10, from
//   Quan H, Sundararajan V, Halfon P, et al. Coding algorithms for defining comorbidities in
//   ICD-9-CM and ICD-10 administrative data. Med Care. 2005;43(11):1130-1139. (Tables 1 and 2:
//   the "enhanced ICD-9-CM" and ICD-10 columns.)
// Charlson weights are the original ones (Charlson ME et al., J Chronic Dis 1987;40:373-383).
// Patterns are written as in the paper, with dots: "I21" matches every code starting I21, and
// "I42.5-I42.9" every code whose first four characters (without the dot) lie in I425..I429.
//
// Checked pattern by pattern against public implementations of the paper: the R package
// comorbidity (ellessenne/comorbidity, its Quan maps for all four lists), Quan's own ICD-10
// Charlson and Elixhauser SAS code (as redistributed in the R package icd, jackwasey/icd), the
// Manitoba Centre for Health Policy ICD-9-CM Charlson SAS macro (derived from Quan's SAS code),
// and MIT-LCP/mimic-code (Charlson ICD-9/ICD-10 and Quan Elixhauser ICD-9 SQL concepts). Every
// list agrees on every valid code; the few places where the sources are written differently are
// noted beside the entries. Some ICD-9-CM ranges below span codes that do not exist (425.6,
// 427.7, 443.3-443.7, 497-499, 572.5-572.7, 280.2-280.7, 291.6-291.7, in the CMS ICD-9-CM v28
// list); mimic-code lists only the existing codes, the others keep the paper's ranges, as here.
// Either way the same codes match.
#include "src/features/code_groups.h"

namespace staycast::features {
namespace {

constexpr ComorbidityGroup kCharlsonIcd10[] = {
    {"mi", "Myocardial infarction", 1, "I21 I22 I25.2"},
    {"chf", "Congestive heart failure", 1,
     "I09.9 I11.0 I13.0 I13.2 I25.5 I42.0 I42.5-I42.9 I43 I50 P29.0"},
    {"pvd", "Peripheral vascular disease", 1,
     "I70 I71 I73.1 I73.8 I73.9 I77.1 I79.0 I79.2 K55.1 K55.8 K55.9 Z95.8 Z95.9"},
    {"cevd", "Cerebrovascular disease", 1, "G45 G46 H34.0 I60-I69"},
    {"dementia", "Dementia", 1, "F00-F03 F05.1 G30 G31.1"},
    {"cpd", "Chronic pulmonary disease", 1, "I27.8 I27.9 J40-J47 J60-J67 J68.4 J70.1 J70.3"},
    {"rheumatic", "Rheumatic disease", 1, "M05 M06 M31.5 M32-M34 M35.1 M35.3 M36.0"},
    {"pud", "Peptic ulcer disease", 1, "K25-K28"},
    {"mild_liver", "Mild liver disease", 1,
     "B18 K70.0-K70.3 K70.9 K71.3-K71.5 K71.7 K73 K74 K76.0 K76.2-K76.4 K76.8 K76.9 Z94.4"},
    // mimic-code's Charlson list has "E10l" for E10.1 (a typo, acknowledged there); the others
    // and Quan's SAS code have E10.1.
    {"diabetes", "Diabetes without chronic complication", 1,
     "E10.0 E10.1 E10.6 E10.8 E10.9 E11.0 E11.1 E11.6 E11.8 E11.9 E12.0 E12.1 E12.6 E12.8 E12.9 "
     "E13.0 E13.1 E13.6 E13.8 E13.9 E14.0 E14.1 E14.6 E14.8 E14.9"},
    {"diabetes_complicated", "Diabetes with chronic complication", 2,
     "E10.2-E10.5 E10.7 E11.2-E11.5 E11.7 E12.2-E12.5 E12.7 E13.2-E13.5 E13.7 E14.2-E14.5 E14.7"},
    {"hemiplegia", "Hemiplegia or paraplegia", 2,
     "G04.1 G11.4 G80.1 G80.2 G81 G82 G83.0-G83.4 G83.9"},
    {"renal", "Renal disease", 2,
     "I12.0 I13.1 N03.2-N03.7 N05.2-N05.7 N18 N19 N25.0 Z49.0-Z49.2 Z94.0 Z99.2"},
    {"cancer", "Any malignancy, including lymphoma and leukemia, except skin", 2,
     "C00-C26 C30-C34 C37-C41 C43 C45-C58 C60-C76 C81-C85 C88 C90-C97"},
    {"severe_liver", "Moderate or severe liver disease", 3,
     "I85.0 I85.9 I86.4 I98.2 K70.4 K71.1 K72.1 K72.9 K76.5 K76.6 K76.7"},
    {"metastatic", "Metastatic solid tumor", 6, "C77-C80"},
    {"hiv", "AIDS/HIV", 6, "B20-B22 B24"},
};

constexpr ComorbidityGroup kCharlsonIcd9[] = {
    {"mi", "Myocardial infarction", 1, "410 412"},
    {"chf", "Congestive heart failure", 1,
     "398.91 402.01 402.11 402.91 404.01 404.03 404.11 404.13 404.91 404.93 425.4-425.9 428"},
    // The paper's Table 1 prints "47.1" here, a typo for 447.1 (stricture of artery): the MCHP
    // macro and every implementation above use 447.1, here and in the Elixhauser PVD list.
    {"pvd", "Peripheral vascular disease", 1,
     "093.0 437.3 440 441 443.1-443.9 447.1 557.1 557.9 V43.4"},
    {"cevd", "Cerebrovascular disease", 1, "362.34 430-438"},
    {"dementia", "Dementia", 1, "290 294.1 331.2"},
    {"cpd", "Chronic pulmonary disease", 1, "416.8 416.9 490-505 506.4 508.1 508.8"},
    {"rheumatic", "Rheumatic disease", 1, "446.5 710.0-710.4 714.0-714.2 714.8 725"},
    {"pud", "Peptic ulcer disease", 1, "531-534"},
    {"mild_liver", "Mild liver disease", 1,
     "070.22 070.23 070.32 070.33 070.44 070.54 070.6 070.9 570 571 573.3 573.4 573.8 573.9 "
     "V42.7"},
    {"diabetes", "Diabetes without chronic complication", 1, "250.0-250.3 250.8 250.9"},
    {"diabetes_complicated", "Diabetes with chronic complication", 2, "250.4-250.7"},
    {"hemiplegia", "Hemiplegia or paraplegia", 2, "334.1 342 343 344.0-344.6 344.9"},
    {"renal", "Renal disease", 2,
     "403.01 403.11 403.91 404.02 404.03 404.12 404.13 404.92 404.93 582 583.0-583.7 585 586 "
     "588.0 V42.0 V45.1 V56"},
    // 174.x-195.8 as in the paper (mimic-code: 1740-1958); the comorbidity package writes 174-195,
    // the same codes, since 195.9 does not exist.
    {"cancer", "Any malignancy, including lymphoma and leukemia, except skin", 2,
     "140-172 174-195.8 200-208 238.6"},
    {"severe_liver", "Moderate or severe liver disease", 3, "456.0-456.2 572.2-572.8"},
    {"metastatic", "Metastatic solid tumor", 6, "196-199"},
    {"hiv", "AIDS/HIV", 6, "042-044"},
};

constexpr ComorbidityGroup kElixhauserIcd10[] = {
    {"chf", "Congestive heart failure", 0,
     "I09.9 I11.0 I13.0 I13.2 I25.5 I42.0 I42.5-I42.9 I43 I50 P29.0"},
    {"arrhythmia", "Cardiac arrhythmias", 0,
     "I44.1-I44.3 I45.6 I45.9 I47-I49 R00.0 R00.1 R00.8 T82.1 Z45.0 Z95.0"},
    {"valvular", "Valvular disease", 0,
     "A52.0 I05-I08 I09.1 I09.8 I34-I39 Q23.0-Q23.3 Z95.2-Z95.4"},
    {"pulmonary_circulation", "Pulmonary circulation disorders", 0, "I26 I27 I28.0 I28.8 I28.9"},
    {"pvd", "Peripheral vascular disorders", 0,
     "I70 I71 I73.1 I73.8 I73.9 I77.1 I79.0 I79.2 K55.1 K55.8 K55.9 Z95.8 Z95.9"},
    {"hypertension", "Hypertension, uncomplicated", 0, "I10"},
    {"hypertension_complicated", "Hypertension, complicated", 0, "I11-I13 I15"},
    {"paralysis", "Paralysis", 0, "G04.1 G11.4 G80.1 G80.2 G81 G82 G83.0-G83.4 G83.9"},
    {"other_neuro", "Other neurological disorders", 0,
     "G10-G13 G20-G22 G25.4 G25.5 G31.2 G31.8 G31.9 G32 G35-G37 G40 G41 G93.1 G93.4 R47.0 R56"},
    {"cpd", "Chronic pulmonary disease", 0, "I27.8 I27.9 J40-J47 J60-J67 J68.4 J70.1 J70.3"},
    {"diabetes", "Diabetes, uncomplicated", 0,
     "E10.0 E10.1 E10.9 E11.0 E11.1 E11.9 E12.0 E12.1 E12.9 E13.0 E13.1 E13.9 E14.0 E14.1 E14.9"},
    {"diabetes_complicated", "Diabetes, complicated", 0,
     "E10.2-E10.8 E11.2-E11.8 E12.2-E12.8 E13.2-E13.8 E14.2-E14.8"},
    {"hypothyroidism", "Hypothyroidism", 0, "E00-E03 E89.0"},
    {"renal_failure", "Renal failure", 0, "I12.0 I13.1 N18 N19 N25.0 Z49.0-Z49.2 Z94.0 Z99.2"},
    {"liver", "Liver disease", 0,
     "B18 I85 I86.4 I98.2 K70 K71.1 K71.3-K71.5 K71.7 K72-K74 K76.0 K76.2-K76.9 Z94.4"},
    {"pud", "Peptic ulcer disease excluding bleeding", 0,
     "K25.7 K25.9 K26.7 K26.9 K27.7 K27.9 K28.7 K28.9"},
    {"hiv", "AIDS/HIV", 0, "B20-B22 B24"},
    {"lymphoma", "Lymphoma", 0, "C81-C85 C88 C96 C90.0 C90.2"},
    {"metastatic", "Metastatic cancer", 0, "C77-C80"},
    {"solid_tumor", "Solid tumor without metastasis", 0,
     "C00-C26 C30-C34 C37-C41 C43 C45-C58 C60-C76 C97"},
    {"rheumatoid", "Rheumatoid arthritis/collagen vascular diseases", 0,
     "L94.0 L94.1 L94.3 M05 M06 M08 M12.0 M12.3 M30 M31.0-M31.3 M32-M35 M45 M46.1 M46.8 M46.9"},
    {"coagulopathy", "Coagulopathy", 0, "D65-D68 D69.1 D69.3-D69.6"},
    {"obesity", "Obesity", 0, "E66"},
    {"weight_loss", "Weight loss", 0, "E40-E46 R63.4 R64"},
    {"fluid_electrolyte", "Fluid and electrolyte disorders", 0, "E22.2 E86 E87"},
    {"blood_loss_anemia", "Blood loss anemia", 0, "D50.0"},
    {"deficiency_anemia", "Deficiency anemia", 0, "D50.8 D50.9 D51-D53"},
    {"alcohol", "Alcohol abuse", 0,
     "F10 E52 G62.1 I42.6 K29.2 K70.0 K70.3 K70.9 T51 Z50.2 Z71.4 Z72.1"},
    {"drugs", "Drug abuse", 0, "F11-F16 F18 F19 Z71.5 Z72.2"},
    {"psychoses", "Psychoses", 0, "F20 F22-F25 F28 F29 F30.2 F31.2 F31.5"},
    {"depression", "Depression", 0, "F20.4 F31.3-F31.5 F32 F33 F34.1 F41.2 F43.2"},
};

constexpr ComorbidityGroup kElixhauserIcd9[] = {
    {"chf", "Congestive heart failure", 0,
     "398.91 402.01 402.11 402.91 404.01 404.03 404.11 404.13 404.91 404.93 425.4-425.9 428"},
    {"arrhythmia", "Cardiac arrhythmias", 0,
     "426.0 426.13 426.7 426.9 426.10 426.12 427.0-427.4 427.6-427.9 785.0 996.01 996.04 V45.0 "
     "V53.3"},
    {"valvular", "Valvular disease", 0, "093.2 394-397 424 746.3-746.6 V42.2 V43.3"},
    {"pulmonary_circulation", "Pulmonary circulation disorders", 0,
     "415.0 415.1 416 417.0 417.8 417.9"},
    {"pvd", "Peripheral vascular disorders", 0,
     "093.0 437.3 440 441 443.1-443.9 447.1 557.1 557.9 V43.4"},
    {"hypertension", "Hypertension, uncomplicated", 0, "401"},
    {"hypertension_complicated", "Hypertension, complicated", 0, "402-405"},
    {"paralysis", "Paralysis", 0, "334.1 342 343 344.0-344.6 344.9"},
    {"other_neuro", "Other neurological disorders", 0,
     "331.9 332.0 332.1 333.4 333.5 333.92 334-335 336.2 340 341 345 348.1 348.3 780.3 784.3"},
    {"cpd", "Chronic pulmonary disease", 0, "416.8 416.9 490-505 506.4 508.1 508.8"},
    {"diabetes", "Diabetes, uncomplicated", 0, "250.0-250.3"},
    {"diabetes_complicated", "Diabetes, complicated", 0, "250.4-250.9"},
    {"hypothyroidism", "Hypothyroidism", 0, "240.9 243 244 246.1 246.8"},
    {"renal_failure", "Renal failure", 0,
     "403.01 403.11 403.91 404.02 404.03 404.12 404.13 404.92 404.93 585 586 588.0 V42.0 V45.1 "
     "V56"},
    {"liver", "Liver disease", 0,
     "070.22 070.23 070.32 070.33 070.44 070.54 070.6 070.9 456.0-456.2 570 571 572.2-572.8 "
     "573.3 573.4 573.8 573.9 V42.7"},
    {"pud", "Peptic ulcer disease excluding bleeding", 0,
     "531.7 531.9 532.7 532.9 533.7 533.9 534.7 534.9"},
    {"hiv", "AIDS/HIV", 0, "042-044"},
    {"lymphoma", "Lymphoma", 0, "200-202 203.0 238.6"},
    {"metastatic", "Metastatic cancer", 0, "196-199"},
    {"solid_tumor", "Solid tumor without metastasis", 0, "140-172 174-195"},
    {"rheumatoid", "Rheumatoid arthritis/collagen vascular diseases", 0,
     "446 701.0 710.0-710.4 710.8 710.9 711.2 714 719.3 720 725 728.5 728.89 729.30"},
    {"coagulopathy", "Coagulopathy", 0, "286 287.1 287.3-287.5"},
    {"obesity", "Obesity", 0, "278.0"},
    {"weight_loss", "Weight loss", 0, "260-263 783.2 799.4"},
    {"fluid_electrolyte", "Fluid and electrolyte disorders", 0, "253.6 276"},
    {"blood_loss_anemia", "Blood loss anemia", 0, "280.0"},
    {"deficiency_anemia", "Deficiency anemia", 0, "280.1-280.9 281"},
    {"alcohol", "Alcohol abuse", 0,
     "265.2 291.1-291.3 291.5-291.9 303.0 303.9 305.0 357.5 425.5 535.3 571.0-571.3 980 V11.3"},
    {"drugs", "Drug abuse", 0, "292 304 305.2-305.9 V65.42"},
    {"psychoses", "Psychoses", 0, "293.8 295 296.04 296.14 296.44 296.54 297 298"},
    {"depression", "Depression", 0, "296.2 296.3 296.5 300.4 309 311"},
};

}  // namespace

std::span<const ComorbidityGroup> CharlsonGroups(IcdVersion icd) {
  if (icd == IcdVersion::kIcd9) return kCharlsonIcd9;
  return kCharlsonIcd10;
}

std::span<const ComorbidityGroup> ElixhauserGroups(IcdVersion icd) {
  if (icd == IcdVersion::kIcd9) return kElixhauserIcd9;
  return kElixhauserIcd10;
}

}  // namespace staycast::features
