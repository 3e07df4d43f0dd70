// Code features: normalising diagnosis/procedure codes, matching them against prefix and range
// patterns, named code groups, and the built-in Charlson/Elixhauser groups with the Charlson index.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/status.h"
#include "src/features/config.h"

namespace staycast::features {

// Upper-cases and drops dots and spaces: " e11.9" -> "E119".
std::string NormalizeCode(std::string_view code);

// A prefix ("I21": lo == hi) or an inclusive range ("I42.5-I42.9") over normalised codes. A code
// matches when its first |lo| characters are >= lo and its first |hi| characters are <= hi.
struct CodePattern {
  std::string lo;
  std::string hi;
};
StatusOr<CodePattern> ParseCodePattern(std::string_view text);
bool MatchesPattern(const CodePattern& pattern, std::string_view normalized_code);

// One built-in comorbidity condition: a short key, a label, its Charlson weight (0 for
// Elixhauser) and its codes as space-separated patterns (see comorbidity_tables.cc).
struct ComorbidityGroup {
  const char* key;
  const char* label;
  int charlson_weight;
  const char* codes;
};
std::span<const ComorbidityGroup> CharlsonGroups(IcdVersion icd);
std::span<const ComorbidityGroup> ElixhauserGroups(IcdVersion icd);

// Named groups of patterns compiled for matching. Immutable after construction; thread-safe.
class CodeGroupSet {
 public:
  Status Add(std::string name, const std::vector<std::string>& patterns);
  // Adds the built-in groups named "<prefix><key>".
  Status AddBuiltin(std::span<const ComorbidityGroup> groups, const std::string& prefix);
  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }
  // Appends the indexes of the groups that a normalised code belongs to.
  void Match(std::string_view normalized_code, std::vector<uint16_t>* groups) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<CodePattern>> patterns_;
};

// The Charlson comorbidity index from the presence of each CharlsonGroups() condition (same
// order), with the usual hierarchy: a condition's milder form does not count when its severe form
// is present (mild/severe liver disease, diabetes without/with complications, any
// malignancy/metastatic tumour).
int CharlsonIndex(std::span<const ComorbidityGroup> groups, const std::vector<uint8_t>& present);

}  // namespace staycast::features
