// Code-list features (count of distinct codes, named groups, Charlson/Elixhauser groups and the
// Charlson index) and point-in-time history features, plus the transform factory.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "src/features/code_groups.h"
#include "src/features/history.h"
#include "src/features/transforms.h"

namespace staycast::features {
namespace {

class CodesTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  Status Init() {
    const CodesParams& p = spec().codes;
    for (const CodeGroup& g : p.groups) {
      Status s = groups_.Add(g.name, g.patterns);
      if (!s.ok()) return s.WithContext(spec().key_path + ".groups." + g.name);
    }
    if (p.charlson || p.charlson_index) {
      charlson_ = CharlsonGroups(*p.icd);
      charlson_start_ = groups_.size();
      RETURN_IF_ERROR(groups_.AddBuiltin(charlson_, "charlson_"));
    }
    if (p.elixhauser) RETURN_IF_ERROR(groups_.AddBuiltin(ElixhauserGroups(*p.icd), "elix_"));
    return OkStatus();
  }

  std::vector<OutputField> Outputs() const override {
    const CodesParams& p = spec().codes;
    std::vector<OutputField> f;
    if (p.count) f.push_back(Field(spec().name + "_count", OutputType::kCount));
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (IsHiddenCharlson(g)) continue;
      f.push_back(Field(spec().name + "_" + groups_.name(g), OutputType::kBinary));
    }
    if (p.charlson_index) {
      f.push_back(Field(spec().name + "_charlson_index", OutputType::kCount));
    }
    return f;
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    const CodesParams& p = spec().codes;
    // Output column of each group (or -1 when it only feeds the index).
    std::vector<int> column(groups_.size(), -1);
    int next = p.count ? 1 : 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (!IsHiddenCharlson(g)) column[g] = next++;
    }
    const int index_column = next;
    // Every distinct normalised code gets an id and is matched against the groups once. Raw codes
    // reach their id through caches (list items by their text, categories by their code), so
    // a code seen before costs one lookup and no normalisation.
    std::vector<std::vector<uint16_t>> matched;        // by id
    std::unordered_map<std::string, int32_t> by_code;  // normalised code -> id
    const auto id_of = [&](std::string_view raw) -> int32_t {
      std::string code = NormalizeCode(raw);
      if (code.empty()) return kNoCode;
      const auto [it, added] =
          by_code.try_emplace(std::move(code), static_cast<int32_t>(matched.size()));
      if (added) groups_.Match(it->first, &matched.emplace_back());
      return it->second;
    };
    std::unordered_map<std::string_view, int32_t> by_item;  // views into the table's lists
    std::vector<const data::Column*> cols;
    std::vector<std::vector<int32_t>> by_category;  // per input column, by category code
    for (const InputRef& ref : spec().inputs) {
      cols.push_back(&in.Column(ref.column));
      by_category.emplace_back(cols.back()->type() == data::ColumnType::kCategorical
                                   ? cols.back()->dictionary().size()
                                   : 0,
                               kUnseen);
    }
    std::vector<int32_t> codes;  // the row's distinct code ids
    std::vector<uint8_t> present(groups_.size());
    std::vector<uint8_t> charlson_present(charlson_.size());
    for (size_t r = 0; r < in.num_rows; ++r) {
      codes.clear();
      for (size_t c = 0; c < cols.size(); ++c) {
        const data::Column& col = *cols[c];
        if (col.type() == data::ColumnType::kCategorical) {
          const int32_t category = col.codes()[r];
          if (category < 0) continue;
          int32_t& id = by_category[c][static_cast<size_t>(category)];
          if (id == kUnseen) id = id_of(col.dictionary()[static_cast<size_t>(category)]);
          if (id != kNoCode) codes.push_back(id);
        } else {
          for (const std::string& item : col.lists()[r]) {
            auto it = by_item.find(item);
            if (it == by_item.end()) it = by_item.emplace(item, id_of(item)).first;
            if (it->second != kNoCode) codes.push_back(it->second);
          }
        }
      }
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      std::fill(present.begin(), present.end(), 0);
      for (const int32_t id : codes) {
        for (uint16_t g : matched[static_cast<size_t>(id)]) present[g] = 1;
      }
      if (p.count) (*out)[0][r] = static_cast<double>(codes.size());
      for (size_t g = 0; g < groups_.size(); ++g) {
        if (column[g] >= 0) (*out)[static_cast<size_t>(column[g])][r] = present[g];
      }
      if (p.charlson_index) {
        for (size_t i = 0; i < charlson_.size(); ++i) {
          charlson_present[i] = present[charlson_start_ + i];
        }
        (*out)[static_cast<size_t>(index_column)][r] = CharlsonIndex(charlson_, charlson_present);
      }
    }
  }

 private:
  // Charlson groups computed only for the index are not output.
  bool IsHiddenCharlson(size_t g) const {
    return !spec().codes.charlson && !charlson_.empty() && g >= charlson_start_ &&
           g < charlson_start_ + charlson_.size();
  }

  // Code ids in Apply: a code that normalises to nothing, and a category not looked up yet.
  static constexpr int32_t kNoCode = -1;
  static constexpr int32_t kUnseen = -2;

  CodeGroupSet groups_;
  std::span<const ComorbidityGroup> charlson_;
  size_t charlson_start_ = 0;
};

class HistoryTransform : public FeatureTransform {
 public:
  // Resolves, once, which event's times say when each past row's fact became known.
  HistoryTransform(const FeatureSpec& spec, const RunConfig& config) : FeatureTransform(spec) {
    const HistoryParams& p = spec.history;
    switch (p.op) {
      case HistoryOp::kCount:
      case HistoryOp::kFirstVisit:
        event_ = p.event.empty() ? 0 : config.EventIndex(p.event);
        window_ = p.window_days * kSecondsPerDay;
        break;
      case HistoryOp::kDaysSince:
        event_ = p.event.empty() ? static_cast<int>(config.events.size()) - 1
                                 : config.EventIndex(p.event);
        break;
      default: {
        const ColumnSpec& col = *config.FindColumn(spec.inputs[0].column);
        // An allow_leak read of a never-available column is treated as known at the first event.
        event_ = col.available.never() ? 0 : config.EventIndex(col.available.event);
        offset_ = col.available.never() ? 0 : col.available.offset_seconds;
        break;
      }
    }
  }

  std::vector<OutputField> Outputs() const override {
    const HistoryOp op = spec().history.op;
    const OutputType type = op == HistoryOp::kCount        ? OutputType::kCount
                            : op == HistoryOp::kFirstVisit ? OutputType::kBinary
                                                           : OutputType::kNumeric;
    return {Field(spec().name, type)};
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    const HistoryContext& h = *in.history;
    const HistoryParams& p = spec().history;
    const HistoryRows rows{h.entity, h.prediction};
    HistoryFacts facts;
    facts.known = KnownTimes(h.events.front(), h.events[static_cast<size_t>(event_)], offset_);
    if (!spec().inputs.empty()) facts.value = in.Column(spec().inputs[0].column).numeric();
    ComputeHistory(p.op, rows, facts, window_, p.fill, &(*out)[0]);
  }

 private:
  int event_ = 0;
  int64_t offset_ = 0;
  double window_ = 0;
};

}  // namespace

StatusOr<std::unique_ptr<FeatureTransform>> MakeCodesTransform(const FeatureSpec& spec) {
  auto t = std::make_unique<CodesTransform>(spec);
  RETURN_IF_ERROR(t->Init());
  return std::unique_ptr<FeatureTransform>(std::move(t));
}

std::unique_ptr<FeatureTransform> MakeHistoryTransform(const FeatureSpec& spec,
                                                       const RunConfig& config) {
  return std::make_unique<HistoryTransform>(spec, config);
}

StatusOr<std::unique_ptr<FeatureTransform>> MakeTransform(const FeatureSpec& spec,
                                                          const RunConfig& config) {
  switch (spec.kind) {
    case FeatureKind::kNumeric: return MakeNumericTransform(spec);
    case FeatureKind::kOneHot: return MakeOneHotTransform(spec);
    case FeatureKind::kOrdinal: return MakeOrdinalTransform(spec);
    case FeatureKind::kBin: return MakeBinTransform(spec);
    case FeatureKind::kDateTime: return MakeDateTimeTransform(spec);
    case FeatureKind::kFlag: return MakeFlagTransform(spec, config);
    case FeatureKind::kSum:
    case FeatureKind::kCount: return MakeSumCountTransform(spec);
    case FeatureKind::kCodes: return MakeCodesTransform(spec);
    case FeatureKind::kHistory: return MakeHistoryTransform(spec, config);
  }
  return InternalError("unhandled feature kind");
}

std::string FeatureTransform::Origin() const {
  std::string s = FeatureKindName(spec_.kind);
  if (spec_.kind == FeatureKind::kHistory) s += std::string(".") + HistoryOpName(spec_.history.op);
  s += "(";
  for (size_t i = 0; i < spec_.inputs.size(); ++i) {
    if (i > 0) s += ", ";
    s += spec_.inputs[i].name();
  }
  return s + ")";
}

OutputField FeatureTransform::Field(std::string name, OutputType type) const {
  return OutputField{std::move(name), spec_.name, Origin(), type};
}

}  // namespace staycast::features
