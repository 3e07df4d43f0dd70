// Code features: normalising diagnosis/procedure codes, matching them against prefix and range
// patterns, named code groups, and the built-in Charlson/Elixhauser groups with the Charlson index.
#pragma once

#include <array>
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
// Patterns are indexed by the first characters they can match, so Match compares a code with the
// few patterns of its first character rather than every pattern of every group (the serving hot
// path scores each request's codes against the built-in Charlson and Elixhauser groups).
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
  struct Entry {
    uint16_t group;
    uint32_t pattern;  // index into patterns_[group]
  };
  std::vector<std::string> names_;
  std::vector<std::vector<CodePattern>> patterns_;
  // by_first_[c]: the patterns that a code starting with byte c can match, in group order.
  std::array<std::vector<Entry>, 256> by_first_;
};

// The Charlson comorbidity index from the presence of each CharlsonGroups() condition (same
// order), with the usual hierarchy: a condition's milder form does not count when its severe form
// is present (mild/severe liver disease, diabetes without/with complications, any
// malignancy/metastatic tumour).
int CharlsonIndex(std::span<const ComorbidityGroup> groups, const std::vector<uint8_t>& present);

}  // namespace staycast::features
