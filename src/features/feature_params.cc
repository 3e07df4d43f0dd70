// Parsing each feature kind's own keys (imputation, encodings, bins, date parts, flags, code
// groups, history operations) from the features section of the run config.
#include <algorithm>

#include "src/features/feature_config.h"

namespace staycast::features::internal {
namespace {

template <typename Enum>
StatusOr<Enum> ReadChoice(const YamlContext& ctx, const YAML::Node& node, const std::string& path,
                          const std::vector<std::pair<std::string, Enum>>& choices) {
  ASSIGN_OR_RETURN(std::string s, ReadString(ctx, node, path));
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) {
    if (name == s) return value;
    names.push_back(name);
  }
  return KeyError(ctx, node, path,
                  "unknown value '" + s + "'; expected one of " + JoinNames(names));
}

Status ParseNumeric(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                    NumericParams* p) {
  if (n["impute"]) {
    ASSIGN_OR_RETURN(p->impute, ReadChoice<Impute>(ctx, n["impute"], path + ".impute",
                                                   {{"median", Impute::kMedian},
                                                    {"mean", Impute::kMean},
                                                    {"constant", Impute::kConstant},
                                                    {"none", Impute::kNone}}));
  }
  if (n["value"]) {
    ASSIGN_OR_RETURN(p->value, ReadDouble(ctx, n["value"], path + ".value"));
  }
  if (p->impute == Impute::kConstant && !n["value"]) {
    return KeyError(ctx, n, path + ".value", "required with impute: constant");
  }
  if (n["indicator"]) {
    ASSIGN_OR_RETURN(p->indicator, ReadBool(ctx, n["indicator"], path + ".indicator"));
  }
  if (n["standardize"]) {
    ASSIGN_OR_RETURN(p->standardize, ReadBool(ctx, n["standardize"], path + ".standardize"));
  }
  return OkStatus();
}

Status ParseBin(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                BinParams* p) {
  if (!n["edges"]) return KeyError(ctx, n, path + ".edges", "required: a list of bin edges");
  ASSIGN_OR_RETURN(p->edges, ReadDoubleList(ctx, n["edges"], path + ".edges"));
  if (p->edges.empty() || !std::is_sorted(p->edges.begin(), p->edges.end()) ||
      std::adjacent_find(p->edges.begin(), p->edges.end()) != p->edges.end()) {
    return KeyError(ctx, n["edges"], path + ".edges", "expected strictly increasing numbers");
  }
  if (n["labels"]) {
    ASSIGN_OR_RETURN(p->labels, ReadStringList(ctx, n["labels"], path + ".labels"));
    if (p->labels.size() != p->edges.size() + 1) {
      return KeyError(ctx, n["labels"], path + ".labels",
                      "expected " + std::to_string(p->edges.size() + 1) + " labels for " +
                          std::to_string(p->edges.size()) + " edges (one more than the edges)");
    }
  } else {
    auto fmt = [](double v) {
      std::string s = std::to_string(v);
      s.erase(s.find_last_not_of('0') + 1);
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    p->labels.push_back("<" + fmt(p->edges.front()));
    for (size_t i = 0; i + 1 < p->edges.size(); ++i) {
      p->labels.push_back(fmt(p->edges[i]) + "-" + fmt(p->edges[i + 1]));
    }
    p->labels.push_back(">=" + fmt(p->edges.back()));
  }
  if (n["encoding"]) {
    ASSIGN_OR_RETURN(p->onehot, ReadChoice<bool>(ctx, n["encoding"], path + ".encoding",
                                                 {{"onehot", true}, {"ordinal", false}}));
  }
  return OkStatus();
}

Status ParseCodes(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                  CodesParams* p) {
  if (n["count"]) {
    ASSIGN_OR_RETURN(p->count, ReadBool(ctx, n["count"], path + ".count"));
  }
  if (n["icd"]) {
    ASSIGN_OR_RETURN(
        p->icd, ReadChoice<IcdVersion>(ctx, n["icd"], path + ".icd",
                                       {{"9", IcdVersion::kIcd9}, {"10", IcdVersion::kIcd10}}));
  }
  for (const char* key : {"charlson", "charlson_index", "elixhauser"}) {
    if (!n[key]) continue;
    ASSIGN_OR_RETURN(bool v, ReadBool(ctx, n[key], path + "." + key));
    const std::string k = key;
    (k == "charlson" ? p->charlson : k == "elixhauser" ? p->elixhauser : p->charlson_index) = v;
    if (v && !p->icd) {
      return KeyError(ctx, n[key], path + "." + key,
                      "built-in comorbidity groups need icd: 9 or icd: 10");
    }
  }
  if (n["groups"]) {
    const YAML::Node g = n["groups"];
    if (!g.IsMap()) {
      return KeyError(ctx, g, path + ".groups",
                      "expected a map from group name to a list of code prefixes or ranges");
    }
    for (const auto& kv : g) {
      CodeGroup group;
      group.name = kv.first.Scalar();
      const std::string gpath = path + ".groups." + group.name;
      ASSIGN_OR_RETURN(group.patterns, ReadStringList(ctx, kv.second, gpath));
      for (size_t i = 0; i < group.patterns.size(); ++i) {
        const std::string& pat = group.patterns[i];
        const size_t dash = pat.find('-');
        if (pat.empty() ||
            (dash != std::string::npos && (dash == 0 || dash + 1 == pat.size() ||
                                           pat.find('-', dash + 1) != std::string::npos))) {
          return KeyError(ctx, kv.second, gpath + "[" + std::to_string(i) + "]",
                          "bad code pattern '" + pat +
                              "'; expected a prefix such as I21 or a range such as I42.5-I42.9");
        }
      }
      p->groups.push_back(std::move(group));
    }
  }
  return OkStatus();
}

Status ParseHistory(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                    HistoryParams* p) {
  if (!n["op"]) {
    return KeyError(ctx, n, path + ".op",
                    "required; expected one of count, days_since, mean, max, min, sum, last, "
                    "first_visit");
  }
  ASSIGN_OR_RETURN(p->op, ReadChoice<HistoryOp>(ctx, n["op"], path + ".op",
                                                {{"count", HistoryOp::kCount},
                                                 {"days_since", HistoryOp::kDaysSince},
                                                 {"mean", HistoryOp::kMean},
                                                 {"max", HistoryOp::kMax},
                                                 {"min", HistoryOp::kMin},
                                                 {"sum", HistoryOp::kSum},
                                                 {"last", HistoryOp::kLast},
                                                 {"first_visit", HistoryOp::kFirstVisit}}));
  if (n["event"]) {
    ASSIGN_OR_RETURN(p->event, ReadString(ctx, n["event"], path + ".event"));
  }
  if (n["window_days"]) {
    ASSIGN_OR_RETURN(p->window_days, ReadDouble(ctx, n["window_days"], path + ".window_days"));
    if (p->window_days <= 0) {
      return KeyError(ctx, n["window_days"], path + ".window_days", "expected a positive number");
    }
  }
  if (n["fill"]) {
    ASSIGN_OR_RETURN(p->fill, ReadDouble(ctx, n["fill"], path + ".fill"));
  }
  return OkStatus();
}

}  // namespace

Status ParseKindParams(const YamlContext& ctx, const YAML::Node& n, const std::string& path,
                       FeatureSpec* s) {
  switch (s->kind) {
    case FeatureKind::kNumeric: return ParseNumeric(ctx, n, path, &s->numeric);
    case FeatureKind::kOneHot:
      if (n["min_frequency"]) {
        ASSIGN_OR_RETURN(s->onehot.min_frequency,
                         ReadInt(ctx, n["min_frequency"], path + ".min_frequency"));
        if (s->onehot.min_frequency < 1) {
          return KeyError(ctx, n["min_frequency"], path + ".min_frequency", "expected >= 1");
        }
      }
      if (n["missing_bucket"]) {
        ASSIGN_OR_RETURN(s->onehot.missing_bucket,
                         ReadBool(ctx, n["missing_bucket"], path + ".missing_bucket"));
      }
      return OkStatus();
    case FeatureKind::kOrdinal:
      if (n["order"]) {
        ASSIGN_OR_RETURN(s->ordinal.order, ReadStringList(ctx, n["order"], path + ".order"));
      }
      if (n["unknown_value"]) {
        ASSIGN_OR_RETURN(s->ordinal.unknown_value,
                         ReadDouble(ctx, n["unknown_value"], path + ".unknown_value"));
      }
      return OkStatus();
    case FeatureKind::kBin: return ParseBin(ctx, n, path, &s->bin);
    case FeatureKind::kDateTime: {
      if (!n["parts"]) return KeyError(ctx, n, path + ".parts", "required");
      ASSIGN_OR_RETURN(std::vector<std::string> parts,
                       ReadStringList(ctx, n["parts"], path + ".parts"));
      for (size_t i = 0; i < parts.size(); ++i) {
        const std::vector<std::pair<std::string, DatePart>> choices = {
            {"day_of_week", DatePart::kDayOfWeek},
            {"month", DatePart::kMonth},
            {"hour", DatePart::kHour},
            {"weekend", DatePart::kWeekend},
            {"season", DatePart::kSeason},
            {"day_of_year", DatePart::kDayOfYear},
            {"year", DatePart::kYear}};
        ASSIGN_OR_RETURN(DatePart part,
                         ReadChoice<DatePart>(ctx, n["parts"][i],
                                              path + ".parts[" + std::to_string(i) + "]", choices));
        s->datetime.parts.push_back(part);
      }
      return OkStatus();
    }
    case FeatureKind::kFlag:
      if (n["equals"]) {
        ASSIGN_OR_RETURN(std::string v, ReadString(ctx, n["equals"], path + ".equals"));
        s->flag.values.push_back(v);
      }
      if (n["in"]) {
        ASSIGN_OR_RETURN(std::vector<std::string> vs, ReadStringList(ctx, n["in"], path + ".in"));
        s->flag.values.insert(s->flag.values.end(), vs.begin(), vs.end());
      }
      if (s->flag.values.empty()) {
        return KeyError(ctx, n, path + ".equals", "required: equals: VALUE or in: [VALUES]");
      }
      return OkStatus();
    case FeatureKind::kSum:
    case FeatureKind::kCount: return OkStatus();
    case FeatureKind::kCodes: return ParseCodes(ctx, n, path, &s->codes);
    case FeatureKind::kHistory: return ParseHistory(ctx, n, path, &s->history);
  }
  return OkStatus();
}

}  // namespace staycast::features::internal
