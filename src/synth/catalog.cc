// The synthetic hospital's vocabulary as constant tables. Codes are real ICD-10-CM (diagnoses) and
// ICD-10-PCS (procedures) codes; frequencies and stays are plausible, not calibrated to any
// hospital.
#include "src/synth/catalog.h"

namespace staycast::synth {
namespace {

// Non-surgical procedures used in several departments.
constexpr const char* kTransfusion = "30233N1";    // red cells into peripheral vein
constexpr const char* kIvTherapeutic = "3E033GC";  // other therapeutic substance, IV
constexpr const char* kChestXray = "BW03ZZZ";      // plain radiography of chest
constexpr const char* kAbdomenUltrasound = "BW40ZZZ";
constexpr const char* kAbdomenCt = "BW20ZZZ";

constexpr std::array<Department, kNumDepartments> kDepartments = {{
    {"Cardiology", false, {"4A023N7", "B2111ZZ", kChestXray}},
    {"Pulmonology", false, {kChestXray, "5A09357", kIvTherapeutic}},
    {"General Medicine", false, {kIvTherapeutic, kTransfusion, kChestXray}},
    {"Neurology", false, {"B020ZZZ", "B030ZZZ", kIvTherapeutic}},
    {"Gastroenterology", false, {kTransfusion, kAbdomenUltrasound, kAbdomenCt}},
    {"Orthopedics", true, {kTransfusion, kChestXray, kIvTherapeutic}},
    {"General Surgery", true, {kAbdomenCt, kAbdomenUltrasound, kTransfusion}},
}};

constexpr std::array<Chronic, kNumChronic> kChronic = {{
    {"diabetes", "E11.9", 0.32, 56.0, 12.0},
    {"hypertension", "I10", 0.70, 52.0, 12.0},
    {"heart_disease", "I25.10", 0.40, 66.0, 10.0},
    {"copd", "J44.9", 0.18, 63.0, 9.0},
    {"ckd", "N18.3", 0.30, 70.0, 10.0},
}};

constexpr double kNone = 1.0;  // multiplier that changes nothing

// clang-format off
constexpr Condition kConditions[] = {
  // code     department         E    U    El    LOS  resp   linked chronic, with, without, old, young, severity, surgery p, specific p
  {"I21.4",   kCardiology,       {5.0, 2.0, 0.0}, 3.0, false, kHeartDisease, 2.0, 1.0, kNone, 0.3, 0.4, nullptr, 0, "4A023N7", 0.6},
  {"I50.9",   kCardiology,       {6.0, 2.0, 0.0}, 3.8, false, kHeartDisease, 2.5, 1.0, 1.8,   0.2, 0.5, nullptr, 0, nullptr, 0},
  {"I48.91",  kCardiology,       {4.0, 2.0, 0.4}, 2.4, false, kHypertension, 1.3, 1.0, 1.5,   0.3, 0.0, nullptr, 0, "5A2204Z", 0.25},
  {"I20.0",   kCardiology,       {2.0, 2.0, 0.0}, 2.2, false, kHeartDisease, 2.0, 1.0, kNone, 0.5, 0.0, nullptr, 0, "4A023N7", 0.5},
  {"I25.10",  kCardiology,       {0.0, 0.4, 3.0}, 1.5, false, kHeartDisease, 3.0, 0.0, kNone, 0.5, -0.6, nullptr, 0, "4A023N7", 0.9},
  {"J18.9",   kPulmonology,      {8.0, 2.0, 0.0}, 3.6, true,  kCopd,         1.5, 1.0, 1.5,   1.0, 0.2, nullptr, 0, nullptr, 0},
  {"J44.1",   kPulmonology,      {5.0, 2.0, 0.0}, 3.4, true,  kCopd,        1.0, 0.0, kNone, 0.2, 0.3, nullptr, 0, "5A09357", 0.15},
  {"J96.01",  kPulmonology,      {2.0, 0.4, 0.0}, 5.0, true,  kCopd,         3.0, 1.0, 1.3,   0.5, 1.2, nullptr, 0, "5A1945Z", 0.25},
  {"J11.1",   kPulmonology,      {1.0, 0.5, 0.0}, 2.8, true,  kCopd,         1.5, 1.0, 1.5,   1.0, 0.0, nullptr, 0, nullptr, 0},
  {"J45.901", kPulmonology,      {1.5, 0.6, 0.0}, 2.0, true,  kNoChronic,    1.0, 1.0, 0.6,   2.0, -0.3, nullptr, 0, nullptr, 0},
  {"A41.9",   kGeneralMedicine,  {6.0, 1.5, 0.0}, 4.6, false, kDiabetes,     1.3, 1.0, 1.6,   0.6, 1.0, nullptr, 0, nullptr, 0},
  {"N39.0",   kGeneralMedicine,  {5.0, 2.0, 0.0}, 2.8, false, kNoChronic,    1.0, 1.0, 1.6,   0.8, -0.2, nullptr, 0, nullptr, 0},
  {"L03.115", kGeneralMedicine,  {3.0, 2.0, 0.0}, 3.2, false, kDiabetes,     1.8, 1.0, kNone, 1.0, -0.3, nullptr, 0, nullptr, 0},
  {"E86.0",   kGeneralMedicine,  {2.5, 1.5, 0.0}, 2.2, false, kNoChronic,    1.0, 1.0, 1.8,   0.7, -0.4, nullptr, 0, nullptr, 0},
  {"E87.1",   kGeneralMedicine,  {1.5, 1.0, 0.0}, 2.8, false, kNoChronic,    1.0, 1.0, 1.6,   0.5, 0.0, nullptr, 0, nullptr, 0},
  {"R55",     kGeneralMedicine,  {3.0, 1.0, 0.0}, 1.7, false, kNoChronic,    1.0, 1.0, 1.4,   1.0, -0.6, nullptr, 0, nullptr, 0},
  {"N17.9",   kGeneralMedicine,  {2.5, 1.5, 0.0}, 3.6, false, kCkd,          2.5, 1.0, 1.5,   0.4, 0.5, nullptr, 0, "5A1D70Z", 0.1},
  {"I63.9",   kNeurology,        {5.0, 1.0, 0.0}, 4.2, false, kHypertension, 1.5, 1.0, 1.8,   0.3, 0.8, nullptr, 0, "3E03317", 0.15},
  {"G45.9",   kNeurology,        {2.5, 1.0, 0.0}, 1.8, false, kHypertension, 1.3, 1.0, 1.3,   0.4, -0.5, nullptr, 0, nullptr, 0},
  {"G40.909", kNeurology,        {2.0, 1.0, 0.3}, 2.3, false, kNoChronic,    1.0, 1.0, 0.8,   1.5, -0.2, nullptr, 0, nullptr, 0},
  {"I61.9",   kNeurology,        {1.0, 0.1, 0.0}, 6.5, false, kHypertension, 1.5, 1.0, 1.5,   0.3, 1.8, nullptr, 0, nullptr, 0},
  {"K92.2",   kGastroenterology, {4.0, 1.5, 0.0}, 3.2, false, kNoChronic,    1.0, 1.0, 1.5,   0.6, 0.3, nullptr, 0, nullptr, 0},
  {"K85.90",  kGastroenterology, {3.0, 1.0, 0.0}, 3.8, false, kNoChronic,    1.0, 1.0, kNone, 1.2, 0.4, nullptr, 0, nullptr, 0},
  {"K70.31",  kGastroenterology, {1.5, 1.0, 0.0}, 4.5, false, kNoChronic,    1.0, 1.0, 0.7,   0.7, 0.6, nullptr, 0, nullptr, 0},
  {"K57.32",  kGastroenterology, {2.0, 1.5, 0.0}, 3.0, false, kNoChronic,    1.0, 1.0, 1.3,   0.6, -0.2, nullptr, 0, nullptr, 0},
  {"K29.70",  kGastroenterology, {1.5, 1.0, 0.0}, 1.9, false, kNoChronic,    1.0, 1.0, kNone, 1.2, -0.6, nullptr, 0, nullptr, 0},
  {"S72.001A", kOrthopedics,     {3.0, 0.5, 0.0}, 4.5, false, kNoChronic,    1.0, 1.0, 4.0,   0.1, 0.6, "0QS604Z", 0.92, nullptr, 0},
  {"S72.141A", kOrthopedics,     {2.0, 0.5, 0.0}, 5.0, false, kNoChronic,    1.0, 1.0, 4.0,   0.1, 0.7, "0QS634Z", 0.90, nullptr, 0},
  {"S82.201A", kOrthopedics,     {1.5, 0.5, 0.0}, 3.2, false, kNoChronic,    1.0, 1.0, 0.8,   2.0, 0.0, "0QSG04Z", 0.80, nullptr, 0},
  {"M17.11",  kOrthopedics,      {0.0, 0.3, 6.0}, 2.0, false, kNoChronic,    1.0, 1.0, 1.5,   0.1, -0.8, "0SRC0J9", 0.98, nullptr, 0},
  {"M16.11",  kOrthopedics,      {0.0, 0.2, 4.0}, 2.2, false, kNoChronic,    1.0, 1.0, 1.5,   0.1, -0.8, "0SR90J9", 0.98, nullptr, 0},
  {"K35.80",  kGeneralSurgery,   {4.0, 1.0, 0.0}, 1.7, false, kNoChronic,    1.0, 1.0, 0.4,   2.5, -0.4, "0DTJ4ZZ", 0.90, nullptr, 0},
  {"K80.00",  kGeneralSurgery,   {3.0, 1.5, 0.5}, 2.5, false, kNoChronic,    1.0, 1.0, kNone, 1.0, -0.2, "0FT44ZZ", 0.85, nullptr, 0},
  {"K80.20",  kGeneralSurgery,   {0.0, 0.3, 2.0}, 1.2, false, kNoChronic,    1.0, 1.0, kNone, 1.2, -0.8, "0FT44ZZ", 0.98, nullptr, 0},
  {"K40.90",  kGeneralSurgery,   {0.0, 0.3, 2.5}, 1.1, false, kNoChronic,    1.0, 1.0, kNone, 1.0, -0.9, "0YQ50ZZ", 0.98, nullptr, 0},
  {"K56.609", kGeneralSurgery,   {3.0, 1.0, 0.0}, 4.8, false, kNoChronic,    1.0, 1.0, 1.4,   0.6, 0.6, "0DN80ZZ", 0.35, nullptr, 0},
  {"C18.7",   kGeneralSurgery,   {0.0, 0.5, 2.0}, 4.8, false, kNoChronic,    1.0, 1.0, 1.5,   0.3, 0.4, "0DTN0ZZ", 0.95, nullptr, 0},
};
// clang-format on

constexpr const char* kSecondary[] = {
    "E78.5", "E66.9", "F17.210", "D64.9",   "E87.6", "F32.9",  "Z79.01",
    "K21.9", "E03.9", "G47.33",  "Z87.891", "M81.0", "F10.20", "R53.1",
};

}  // namespace

std::span<const Department> Departments() { return kDepartments; }
std::span<const Condition> Conditions() { return kConditions; }
std::span<const Chronic> ChronicConditions() { return kChronic; }
std::span<const char* const> SecondaryCodes() { return kSecondary; }

}  // namespace staycast::synth
