// Code normalisation, pattern matching and the Charlson index.
#include "src/features/code_groups.h"

#include <cctype>
#include <sstream>

namespace staycast::features {

std::string NormalizeCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == '.' || std::isspace(static_cast<unsigned char>(c))) continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

StatusOr<CodePattern> ParseCodePattern(std::string_view text) {
  const size_t dash = text.find('-');
  CodePattern p;
  if (dash == std::string_view::npos) {
    p.lo = NormalizeCode(text);
    p.hi = p.lo;
  } else {
    p.lo = NormalizeCode(text.substr(0, dash));
    p.hi = NormalizeCode(text.substr(dash + 1));
  }
  if (p.lo.empty() || p.hi.empty() || p.hi.find('-') != std::string::npos || p.lo > p.hi) {
    return InvalidArgumentError("bad code pattern '" + std::string(text) +
                                "'; expected a prefix such as I21 or a range such as I42.5-I42.9");
  }
  return p;
}

bool MatchesPattern(const CodePattern& pattern, std::string_view code) {
  return code.substr(0, pattern.lo.size()) >= pattern.lo &&
         code.substr(0, pattern.hi.size()) <= pattern.hi;
}

Status CodeGroupSet::Add(std::string name, const std::vector<std::string>& patterns) {
  std::vector<CodePattern> compiled;
  for (const std::string& text : patterns) {
    ASSIGN_OR_RETURN(CodePattern p, ParseCodePattern(text));
    compiled.push_back(std::move(p));
  }
  if (names_.size() > UINT16_MAX) return InvalidArgumentError("more than 65535 code groups");
  const auto group = static_cast<uint16_t>(names_.size());
  for (size_t i = 0; i < compiled.size(); ++i) {
    // A code can match only if its first character lies in [lo[0], hi[0]] (both non-empty).
    const auto first = static_cast<unsigned char>(compiled[i].lo[0]);
    const auto last = static_cast<unsigned char>(compiled[i].hi[0]);
    for (unsigned c = first; c <= last; ++c) {
      by_first_[c].push_back({group, static_cast<uint32_t>(i)});
    }
  }
  names_.push_back(std::move(name));
  patterns_.push_back(std::move(compiled));
  return OkStatus();
}

Status CodeGroupSet::AddBuiltin(std::span<const ComorbidityGroup> groups,
                                const std::string& prefix) {
  for (const ComorbidityGroup& g : groups) {
    std::vector<std::string> patterns;
    std::istringstream in(g.codes);
    std::string word;
    while (in >> word) patterns.push_back(word);
    RETURN_IF_ERROR(Add(prefix + g.key, patterns));
  }
  return OkStatus();
}

void CodeGroupSet::Match(std::string_view code, std::vector<uint16_t>* groups) const {
  if (code.empty()) return;  // below every pattern's lo
  int matched = -1;          // entries are in group order: a group is reported once
  for (const Entry& e : by_first_[static_cast<unsigned char>(code[0])]) {
    if (e.group == matched) continue;
    if (MatchesPattern(patterns_[e.group][e.pattern], code)) {
      groups->push_back(e.group);
      matched = e.group;
    }
  }
}

int CharlsonIndex(std::span<const ComorbidityGroup> groups, const std::vector<uint8_t>& present) {
  auto has = [&](std::string_view key) {
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].key == key) return present[i] != 0;
    }
    return false;
  };
  int index = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (!present[i]) continue;
    const std::string_view key = groups[i].key;
    if (key == "mild_liver" && has("severe_liver")) continue;
    if (key == "diabetes" && has("diabetes_complicated")) continue;
    if (key == "cancer" && has("metastatic")) continue;
    index += groups[i].charlson_weight;
  }
  return index;
}

}  // namespace staycast::features
