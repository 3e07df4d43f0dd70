// Row-wise transforms: numeric imputation with a missing indicator and optional standardisation,
// one-hot and ordinal encodings with an unknown bucket, binning, date/time parts, flags, and
// sums/counts over columns.
#include <algorithm>
#include <cmath>
#include <map>

#include "src/features/transforms.h"

namespace staycast::features {
namespace {

using nlohmann::json;

bool Missing(double v) { return !std::isfinite(v); }

// NaN for JSON (which has no NaN): stored as null.
json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double FromNum(const json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

class NumericTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  Status Fit(const TransformInput& in) override {
    const std::vector<double>& x = in.Numeric(spec().inputs[0]);
    std::vector<double> present;
    for (double v : x) {
      if (!Missing(v)) present.push_back(v);
    }
    const NumericParams& p = spec().numeric;
    fill_ = 0;
    if (p.impute == Impute::kConstant) {
      fill_ = p.value;
    } else if (p.impute == Impute::kNone) {
      fill_ = std::nan("");
    } else if (!present.empty() && p.impute == Impute::kMean) {
      double sum = 0;
      for (double v : present) sum += v;
      fill_ = sum / static_cast<double>(present.size());
    } else if (!present.empty()) {
      const size_t mid = present.size() / 2;
      std::nth_element(present.begin(), present.begin() + mid, present.end());
      fill_ = present[mid];
      if (present.size() % 2 == 0) {
        fill_ = (fill_ + *std::max_element(present.begin(), present.begin() + mid)) / 2;
      }
    }
    mean_ = 0;
    scale_ = 1;
    if (p.standardize) {
      double sum = 0, sum2 = 0;
      size_t n = 0;
      for (double v : x) {
        const double f = Missing(v) ? fill_ : v;
        if (Missing(f)) continue;
        sum += f;
        sum2 += f * f;
        ++n;
      }
      if (n > 0) {
        mean_ = sum / static_cast<double>(n);
        const double var = sum2 / static_cast<double>(n) - mean_ * mean_;
        scale_ = var > 1e-24 ? std::sqrt(var) : 1;
      }
    }
    return OkStatus();
  }

  std::vector<OutputField> Outputs() const override {
    std::vector<OutputField> f = {Field(spec().name, OutputType::kNumeric)};
    if (spec().numeric.indicator) f.push_back(Field(spec().name + "_missing", OutputType::kBinary));
    return f;
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    const std::vector<double>& x = in.Numeric(spec().inputs[0]);
    for (size_t r = 0; r < in.num_rows; ++r) {
      const double v = x[r];
      const bool missing = Missing(v);
      (*out)[0][r] = ((missing ? fill_ : v) - mean_) / scale_;
      if (spec().numeric.indicator) (*out)[1][r] = missing ? 1 : 0;
    }
  }

  json SaveState() const override {
    return {{"fill", Num(fill_)}, {"mean", mean_}, {"scale", scale_}};
  }
  Status LoadState(const json& s) override {
    fill_ = FromNum(s.at("fill"));
    mean_ = s.at("mean").get<double>();
    scale_ = s.at("scale").get<double>();
    return OkStatus();
  }

 private:
  double fill_ = 0, mean_ = 0, scale_ = 1;
};

// Maps each dictionary code of a categorical column to an index in `known` (or -1), by string.
std::vector<int> CodeIndex(const data::Column& col, const std::map<std::string, int>& known) {
  std::vector<int> idx(col.dictionary().size(), -1);
  for (size_t c = 0; c < idx.size(); ++c) {
    auto it = known.find(col.dictionary()[c]);
    if (it != known.end()) idx[c] = it->second;
  }
  return idx;
}

class OneHotTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  Status Fit(const TransformInput& in) override {
    const data::Column& col = in.Column(spec().inputs[0].column);
    std::vector<int64_t> counts(col.dictionary().size(), 0);
    for (int32_t code : col.codes()) {
      if (code >= 0) ++counts[static_cast<size_t>(code)];
    }
    std::map<std::string, int64_t> by_name;
    for (size_t c = 0; c < counts.size(); ++c) {
      if (counts[c] > 0) by_name[col.dictionary()[c]] += counts[c];
    }
    categories_.clear();
    rare_.clear();
    for (const auto& [name, count] : by_name) {
      (count >= spec().onehot.min_frequency ? categories_ : rare_).push_back(name);
    }
    return OkStatus();
  }

  std::vector<OutputField> Outputs() const override {
    std::vector<OutputField> f;
    for (const std::string& c : categories_) {
      f.push_back(Field(spec().name + "=" + c, OutputType::kBinary));
    }
    f.push_back(Field(spec().name + "=__other__", OutputType::kBinary));
    if (spec().onehot.missing_bucket) {
      f.push_back(Field(spec().name + "=__missing__", OutputType::kBinary));
    }
    return f;
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport* report) const override {
    const data::Column& col = in.Column(spec().inputs[0].column);
    std::map<std::string, int> known;
    for (size_t i = 0; i < categories_.size(); ++i) known[categories_[i]] = static_cast<int>(i);
    const int other = static_cast<int>(categories_.size());
    for (const std::string& r : rare_) known[r] = other;
    std::vector<int> idx = CodeIndex(col, known);
    for (auto& o : *out) std::fill(o.begin(), o.end(), 0.0);
    int64_t unknown = 0;
    for (size_t r = 0; r < in.num_rows; ++r) {
      const int32_t code = col.codes()[r];
      if (code < 0) {
        if (spec().onehot.missing_bucket) (*out)[static_cast<size_t>(other) + 1][r] = 1;
        continue;
      }
      int k = idx[static_cast<size_t>(code)];
      if (k < 0) {
        ++unknown;
        k = other;
      }
      (*out)[static_cast<size_t>(k)][r] = 1;
    }
    if (unknown > 0) report->unknown_categories[spec().name] += unknown;
  }

  json SaveState() const override { return {{"categories", categories_}, {"rare", rare_}}; }
  Status LoadState(const json& s) override {
    categories_ = s.at("categories").get<std::vector<std::string>>();
    rare_ = s.at("rare").get<std::vector<std::string>>();
    return OkStatus();
  }

 private:
  std::vector<std::string> categories_;  // sorted
  std::vector<std::string> rare_;        // seen at fit but below min_frequency
};

class OrdinalTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  Status Fit(const TransformInput& in) override {
    order_ = spec().ordinal.order;
    if (!order_.empty()) return OkStatus();
    const data::Column& col = in.Column(spec().inputs[0].column);
    std::vector<bool> used(col.dictionary().size(), false);
    for (int32_t code : col.codes()) {
      if (code >= 0) used[static_cast<size_t>(code)] = true;
    }
    for (size_t c = 0; c < used.size(); ++c) {
      if (used[c]) order_.push_back(col.dictionary()[c]);
    }
    std::sort(order_.begin(), order_.end());
    return OkStatus();
  }

  std::vector<OutputField> Outputs() const override {
    return {Field(spec().name, OutputType::kNumeric)};
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport* report) const override {
    const data::Column& col = in.Column(spec().inputs[0].column);
    std::map<std::string, int> known;
    for (size_t i = 0; i < order_.size(); ++i) known[order_[i]] = static_cast<int>(i);
    std::vector<int> idx = CodeIndex(col, known);
    int64_t unknown = 0;
    for (size_t r = 0; r < in.num_rows; ++r) {
      const int32_t code = col.codes()[r];
      const int k = code < 0 ? -1 : idx[static_cast<size_t>(code)];
      if (code >= 0 && k < 0) ++unknown;
      (*out)[0][r] = k < 0 ? spec().ordinal.unknown_value : k;
    }
    if (unknown > 0) report->unknown_categories[spec().name] += unknown;
  }

  json SaveState() const override { return {{"order", order_}}; }
  Status LoadState(const json& s) override {
    order_ = s.at("order").get<std::vector<std::string>>();
    return OkStatus();
  }

 private:
  std::vector<std::string> order_;
};

class BinTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  std::vector<OutputField> Outputs() const override {
    const BinParams& p = spec().bin;
    if (!p.onehot) return {Field(spec().name, OutputType::kNumeric)};
    std::vector<OutputField> f;
    for (const std::string& label : p.labels) {
      f.push_back(Field(spec().name + "=" + label, OutputType::kBinary));
    }
    f.push_back(Field(spec().name + "=__missing__", OutputType::kBinary));
    return f;
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    const BinParams& p = spec().bin;
    const std::vector<double>& x = in.Numeric(spec().inputs[0]);
    if (p.onehot) {
      for (auto& o : *out) std::fill(o.begin(), o.end(), 0.0);
    }
    for (size_t r = 0; r < in.num_rows; ++r) {
      // Bin k holds values in [edges[k-1], edges[k]).
      const size_t k =
          Missing(x[r])
              ? p.labels.size()
              : static_cast<size_t>(std::upper_bound(p.edges.begin(), p.edges.end(), x[r]) -
                                    p.edges.begin());
      if (p.onehot) {
        (*out)[k][r] = 1;
      } else {
        (*out)[0][r] = k == p.labels.size() ? -1.0 : static_cast<double>(k);
      }
    }
  }
};

class DateTimeTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  std::vector<OutputField> Outputs() const override {
    std::vector<OutputField> f;
    for (DatePart part : spec().datetime.parts) {
      f.push_back(Field(spec().name + "_" + DatePartName(part),
                        part == DatePart::kWeekend ? OutputType::kBinary : OutputType::kNumeric));
    }
    return f;
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    const data::Column& col = in.Column(spec().inputs[0].column);
    const auto& parts = spec().datetime.parts;
    for (size_t r = 0; r < in.num_rows; ++r) {
      const Timestamp t = col.timestamps()[r];
      if (t == kMissingTime) {
        for (size_t k = 0; k < parts.size(); ++k) (*out)[k][r] = -1;
        continue;
      }
      const CivilTime c = ToCivil(t);
      for (size_t k = 0; k < parts.size(); ++k) {
        double v = 0;
        switch (parts[k]) {
          case DatePart::kDayOfWeek: v = c.weekday; break;
          case DatePart::kMonth: v = c.month; break;
          case DatePart::kHour: v = c.hour; break;
          case DatePart::kWeekend: v = c.weekday >= 5 ? 1 : 0; break;
          // Meteorological seasons: 0 winter (Dec-Feb), 1 spring, 2 summer, 3 autumn.
          case DatePart::kSeason: {
            const unsigned season = c.month % 12 / 3;  // whole quarters of the year, from December
            v = season;
            break;
          }
          case DatePart::kDayOfYear:
            v = static_cast<double>(DaysFromCivil(c.year, c.month, c.day) -
                                    DaysFromCivil(c.year, 1, 1) + 1);
            break;
          case DatePart::kYear: v = c.year; break;
        }
        (*out)[k][r] = v;
      }
    }
  }
};

class FlagTransform : public FeatureTransform {
 public:
  FlagTransform(const FeatureSpec& spec, bool categorical, std::vector<double> numbers)
      : FeatureTransform(spec), categorical_(categorical), numbers_(std::move(numbers)) {}

  std::vector<OutputField> Outputs() const override {
    return {Field(spec().name, OutputType::kBinary)};
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    if (categorical_) {
      const data::Column& col = in.Column(spec().inputs[0].column);
      std::vector<bool> hit(col.dictionary().size(), false);
      for (const std::string& v : spec().flag.values) {
        if (auto code = col.FindCategory(v)) hit[static_cast<size_t>(*code)] = true;
      }
      for (size_t r = 0; r < in.num_rows; ++r) {
        const int32_t code = col.codes()[r];
        (*out)[0][r] = code >= 0 && hit[static_cast<size_t>(code)] ? 1 : 0;
      }
      return;
    }
    const std::vector<double>& x = in.Numeric(spec().inputs[0]);
    for (size_t r = 0; r < in.num_rows; ++r) {
      (*out)[0][r] = std::find(numbers_.begin(), numbers_.end(), x[r]) != numbers_.end() ? 1 : 0;
    }
  }

 private:
  bool categorical_;
  std::vector<double> numbers_;
};

class SumCountTransform : public FeatureTransform {
 public:
  using FeatureTransform::FeatureTransform;

  std::vector<OutputField> Outputs() const override {
    return {Field(spec().name,
                  spec().kind == FeatureKind::kCount ? OutputType::kCount : OutputType::kNumeric)};
  }

  void Apply(const TransformInput& in, std::vector<std::vector<double>>* out,
             TransformReport*) const override {
    std::vector<double>& o = (*out)[0];
    std::fill(o.begin(), o.end(), 0.0);
    const bool count = spec().kind == FeatureKind::kCount;
    for (const InputRef& ref : spec().inputs) {
      const std::vector<double>& x = in.Numeric(ref);
      for (size_t r = 0; r < in.num_rows; ++r) {
        if (Missing(x[r])) continue;
        o[r] += count ? (x[r] != 0 ? 1 : 0) : x[r];
      }
    }
  }
};

}  // namespace

std::unique_ptr<FeatureTransform> MakeNumericTransform(const FeatureSpec& spec) {
  return std::make_unique<NumericTransform>(spec);
}
std::unique_ptr<FeatureTransform> MakeOneHotTransform(const FeatureSpec& spec) {
  return std::make_unique<OneHotTransform>(spec);
}
std::unique_ptr<FeatureTransform> MakeOrdinalTransform(const FeatureSpec& spec) {
  return std::make_unique<OrdinalTransform>(spec);
}
std::unique_ptr<FeatureTransform> MakeBinTransform(const FeatureSpec& spec) {
  return std::make_unique<BinTransform>(spec);
}
std::unique_ptr<FeatureTransform> MakeDateTimeTransform(const FeatureSpec& spec) {
  return std::make_unique<DateTimeTransform>(spec);
}
std::unique_ptr<FeatureTransform> MakeSumCountTransform(const FeatureSpec& spec) {
  return std::make_unique<SumCountTransform>(spec);
}

StatusOr<std::unique_ptr<FeatureTransform>> MakeFlagTransform(const FeatureSpec& spec,
                                                              const RunConfig& config) {
  const InputRef& ref = spec.inputs[0];
  const ColumnSpec* col = ref.is_feature() ? nullptr : config.FindColumn(ref.column);
  const bool categorical = col != nullptr && col->type == data::ColumnType::kCategorical;
  std::vector<double> numbers;
  if (!categorical) {
    for (const std::string& v : spec.flag.values) {
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size()) {
        return InvalidArgumentError(config.origin + ": " + spec.key_path + ": '" + v +
                                    "' is not a number, but input '" + ref.name() + "' is numeric");
      }
      numbers.push_back(d);
    }
  }
  return std::unique_ptr<FeatureTransform>(
      std::make_unique<FlagTransform>(spec, categorical, std::move(numbers)));
}

}  // namespace staycast::features
