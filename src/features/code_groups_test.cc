// Tests for code matching and the built-in Charlson/Elixhauser groups on known ICD-9 and ICD-10
// codes.
#include "src/features/code_groups.h"

#include <algorithm>
#include <sstream>

#include "src/core/status_matchers.h"

namespace staycast::features {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

std::vector<std::string> Groups(const CodeGroupSet& set, std::string_view code) {
  std::vector<uint16_t> idx;
  set.Match(NormalizeCode(code), &idx);
  std::vector<std::string> names;
  names.reserve(idx.size());
  for (uint16_t i : idx) names.push_back(set.name(i));
  return names;
}

CodeGroupSet Builtin(std::span<const ComorbidityGroup> groups) {
  CodeGroupSet set;
  EXPECT_OK(set.AddBuiltin(groups, ""));
  return set;
}

int Index(IcdVersion icd, const std::vector<std::string>& codes) {
  const auto groups = CharlsonGroups(icd);
  const CodeGroupSet set = Builtin(groups);
  std::vector<uint8_t> present(groups.size(), 0);
  for (const std::string& c : codes) {
    std::vector<uint16_t> idx;
    set.Match(NormalizeCode(c), &idx);
    for (uint16_t i : idx) present[i] = 1;
  }
  return CharlsonIndex(groups, present);
}

TEST(CodeGroupsTest, PatternsMatchPrefixesAndRanges) {
  ASSERT_OK_AND_ASSIGN(CodePattern range, ParseCodePattern("I42.5-I42.9"));
  EXPECT_TRUE(MatchesPattern(range, "I426"));
  EXPECT_TRUE(MatchesPattern(range, "I4290"));
  EXPECT_FALSE(MatchesPattern(range, "I424"));
  EXPECT_FALSE(MatchesPattern(range, "I42"));  // less specific than the range
  ASSERT_OK_AND_ASSIGN(CodePattern prefix, ParseCodePattern("c77"));
  EXPECT_TRUE(MatchesPattern(prefix, "C771"));
  EXPECT_FALSE(MatchesPattern(prefix, "C78"));
  EXPECT_EQ(NormalizeCode(" e11.9 "), "E119");
  EXPECT_THAT(ParseCodePattern("I50-I40"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bad code pattern")));
}

TEST(CodeGroupsTest, TablesHaveTheirPublishedSizesAndWeights) {
  EXPECT_EQ(CharlsonGroups(IcdVersion::kIcd10).size(), 17u);
  EXPECT_EQ(CharlsonGroups(IcdVersion::kIcd9).size(), 17u);
  EXPECT_EQ(ElixhauserGroups(IcdVersion::kIcd10).size(), 31u);
  EXPECT_EQ(ElixhauserGroups(IcdVersion::kIcd9).size(), 31u);
  int total = 0;
  for (const auto& g : CharlsonGroups(IcdVersion::kIcd10)) total += g.charlson_weight;
  EXPECT_EQ(total, 33);  // 10x1 + 4x2 + 1x3 + 2x6 (weights 1987)
  for (IcdVersion icd : {IcdVersion::kIcd9, IcdVersion::kIcd10}) {
    CodeGroupSet set;
    EXPECT_OK(set.AddBuiltin(CharlsonGroups(icd), "c_"));
    EXPECT_OK(set.AddBuiltin(ElixhauserGroups(icd), "e_"));  // every pattern parses
  }
}

// Match (indexed by first character) against a scan of every pattern of every group, over the
// built-in lists and user groups whose ranges span several first characters.
TEST(CodeGroupsTest, MatchEqualsAScanOfEveryPattern) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (IcdVersion icd : {IcdVersion::kIcd9, IcdVersion::kIcd10}) {
    for (auto list : {CharlsonGroups(icd), ElixhauserGroups(icd)}) {
      for (const ComorbidityGroup& g : list) {
        std::vector<std::string> patterns;
        std::istringstream in(g.codes);
        for (std::string w; in >> w;) patterns.push_back(w);
        groups.emplace_back(g.key, patterns);
      }
    }
  }
  groups.push_back({"wide", {"A00-C99", "8-V2"}});
  groups.push_back({"short", {"Z", "E1"}});
  CodeGroupSet set;
  std::vector<std::vector<CodePattern>> compiled;
  for (const auto& [name, patterns] : groups) {
    ASSERT_OK(set.Add(name, patterns));
    compiled.emplace_back();
    for (const std::string& p : patterns) {
      ASSERT_OK_AND_ASSIGN(CodePattern c, ParseCodePattern(p));
      compiled.back().push_back(c);
    }
  }
  const std::string first = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const std::string rest = "0123459";
  std::vector<std::string> codes = {"", "A", "9"};
  for (char a : first) {
    for (char b : rest) {
      for (char c : rest) {
        codes.push_back(std::string{a, b, c});
        for (char d : rest) codes.push_back(std::string{a, b, c, d});
      }
    }
  }
  size_t matched = 0;
  for (const std::string& code : codes) {
    std::vector<uint16_t> expected;
    for (size_t g = 0; g < compiled.size(); ++g) {
      for (const CodePattern& p : compiled[g]) {
        if (MatchesPattern(p, code)) {
          expected.push_back(static_cast<uint16_t>(g));
          break;
        }
      }
    }
    std::vector<uint16_t> got;
    set.Match(code, &got);
    ASSERT_EQ(got, expected) << "code '" << code << "'";
    matched += got.empty() ? 0 : 1;
  }
  EXPECT_GT(matched, codes.size() / 4);  // the grid reaches many groups, not only misses
}

TEST(CodeGroupsTest, CharlsonIcd10KnownCodes) {
  const CodeGroupSet set = Builtin(CharlsonGroups(IcdVersion::kIcd10));
  EXPECT_THAT(Groups(set, "I21.4"), UnorderedElementsAreArray({"mi"}));
  EXPECT_THAT(Groups(set, "I25.2"), UnorderedElementsAreArray({"mi"}));
  EXPECT_THAT(Groups(set, "I25.1"), UnorderedElementsAreArray(std::vector<std::string>{}));
  EXPECT_THAT(Groups(set, "I50.9"), UnorderedElementsAreArray({"chf"}));
  EXPECT_THAT(Groups(set, "E11.9"), UnorderedElementsAreArray({"diabetes"}));
  EXPECT_THAT(Groups(set, "E11.2"), UnorderedElementsAreArray({"diabetes_complicated"}));
  EXPECT_THAT(Groups(set, "K70.3"), UnorderedElementsAreArray({"mild_liver"}));
  EXPECT_THAT(Groups(set, "K70.4"), UnorderedElementsAreArray({"severe_liver"}));
  EXPECT_THAT(Groups(set, "C78.0"), UnorderedElementsAreArray({"metastatic"}));
  EXPECT_THAT(Groups(set, "C50.9"), UnorderedElementsAreArray({"cancer"}));
  EXPECT_THAT(Groups(set, "C44.9"), UnorderedElementsAreArray(std::vector<std::string>{}));
  EXPECT_THAT(Groups(set, "N18.3"), UnorderedElementsAreArray({"renal"}));
  EXPECT_THAT(Groups(set, "J44.1"), UnorderedElementsAreArray({"cpd"}));
  EXPECT_THAT(Groups(set, "I63.9"), UnorderedElementsAreArray({"cevd"}));
  EXPECT_THAT(Groups(set, "B20"), UnorderedElementsAreArray({"hiv"}));
}

TEST(CodeGroupsTest, CharlsonIcd9KnownCodes) {
  const CodeGroupSet set = Builtin(CharlsonGroups(IcdVersion::kIcd9));
  EXPECT_THAT(Groups(set, "410.71"), UnorderedElementsAreArray({"mi"}));
  EXPECT_THAT(Groups(set, "428.0"), UnorderedElementsAreArray({"chf"}));
  EXPECT_THAT(Groups(set, "250.00"), UnorderedElementsAreArray({"diabetes"}));
  EXPECT_THAT(Groups(set, "250.40"), UnorderedElementsAreArray({"diabetes_complicated"}));
  EXPECT_THAT(Groups(set, "V42.7"), UnorderedElementsAreArray({"mild_liver"}));
  EXPECT_THAT(Groups(set, "572.3"), UnorderedElementsAreArray({"severe_liver"}));
  EXPECT_THAT(Groups(set, "042"), UnorderedElementsAreArray({"hiv"}));
  EXPECT_THAT(Groups(set, "197.7"), UnorderedElementsAreArray({"metastatic"}));
  EXPECT_THAT(Groups(set, "173.3"), UnorderedElementsAreArray(std::vector<std::string>{}));
  EXPECT_THAT(Groups(set, "195.8"), UnorderedElementsAreArray({"cancer"}));
  EXPECT_THAT(Groups(set, "585.9"), UnorderedElementsAreArray({"renal"}));
  // Table 1 of the paper prints 47.1 for 447.1 (stricture of artery); the tables use 447.1.
  EXPECT_THAT(Groups(set, "447.1"), UnorderedElementsAreArray({"pvd"}));
  EXPECT_THAT(Groups(set, "047.1"), UnorderedElementsAreArray(std::vector<std::string>{}));
  // 404.03 is both heart failure and renal disease in Quan's table.
  EXPECT_THAT(Groups(set, "404.03"), UnorderedElementsAreArray({"chf", "renal"}));
}

TEST(CodeGroupsTest, CharlsonIndexAppliesTheHierarchy) {
  EXPECT_EQ(Index(IcdVersion::kIcd10, {}), 0);
  EXPECT_EQ(Index(IcdVersion::kIcd10, {"I21.4", "I50.9"}), 2);
  EXPECT_EQ(Index(IcdVersion::kIcd10, {"E11.9", "E11.2"}), 2);  // not 1 + 2
  EXPECT_EQ(Index(IcdVersion::kIcd10, {"C50.9", "C78.0"}), 6);  // not 2 + 6
  EXPECT_EQ(Index(IcdVersion::kIcd10, {"K70.3", "K70.4"}), 3);  // not 1 + 3
  EXPECT_EQ(Index(IcdVersion::kIcd10, {"I21.4", "N18.3", "B20"}), 9);
  EXPECT_EQ(Index(IcdVersion::kIcd9, {"410.71", "250.40", "197.7"}), 9);
}

TEST(CodeGroupsTest, ElixhauserKnownCodes) {
  const CodeGroupSet icd10 = Builtin(ElixhauserGroups(IcdVersion::kIcd10));
  EXPECT_THAT(Groups(icd10, "I10"), UnorderedElementsAreArray({"hypertension"}));
  EXPECT_THAT(Groups(icd10, "I48.0"), UnorderedElementsAreArray({"arrhythmia"}));
  EXPECT_THAT(Groups(icd10, "F32.9"), UnorderedElementsAreArray({"depression"}));
  EXPECT_THAT(Groups(icd10, "E66.9"), UnorderedElementsAreArray({"obesity"}));
  EXPECT_THAT(Groups(icd10, "D50.0"), UnorderedElementsAreArray({"blood_loss_anemia"}));
  EXPECT_THAT(Groups(icd10, "D50.8"), UnorderedElementsAreArray({"deficiency_anemia"}));
  EXPECT_THAT(Groups(icd10, "K70.3"), UnorderedElementsAreArray({"liver", "alcohol"}));
  EXPECT_THAT(Groups(icd10, "F31.5"), UnorderedElementsAreArray({"psychoses", "depression"}));
  const CodeGroupSet icd9 = Builtin(ElixhauserGroups(IcdVersion::kIcd9));
  EXPECT_THAT(Groups(icd9, "401.9"), UnorderedElementsAreArray({"hypertension"}));
  EXPECT_THAT(Groups(icd9, "311"), UnorderedElementsAreArray({"depression"}));
  EXPECT_THAT(Groups(icd9, "278.00"), UnorderedElementsAreArray({"obesity"}));
  EXPECT_THAT(Groups(icd9, "278.1"), UnorderedElementsAreArray(std::vector<std::string>{}));
  EXPECT_THAT(Groups(icd9, "425.5"), UnorderedElementsAreArray({"chf", "alcohol"}));
  EXPECT_THAT(Groups(icd9, "296.54"), UnorderedElementsAreArray({"psychoses", "depression"}));
  EXPECT_THAT(Groups(icd9, "V65.42"), UnorderedElementsAreArray({"drugs"}));
}

}  // namespace
}  // namespace staycast::features
