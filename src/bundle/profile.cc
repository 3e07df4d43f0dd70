// Input schema and reference profile.
#include "src/bundle/profile.h"

#include <algorithm>
#include <cmath>

#include "src/features/pipeline.h"

namespace staycast::bundle {

nlohmann::json ProfileValues(const std::vector<double>& values) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values) {
    if (std::isfinite(x)) v.push_back(x);
  }
  nlohmann::json j;
  j["n"] = values.size();
  j["missing_rate"] =
      values.empty() ? 0.0
                     : 1.0 - static_cast<double>(v.size()) / static_cast<double>(values.size());
  if (v.empty()) return j;
  std::sort(v.begin(), v.end());
  const auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  nlohmann::json q = nlohmann::json::object();
  for (double p : {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0}) {
    q[std::to_string(p).substr(0, 4)] = quantile(p);
  }
  j["quantiles"] = q;
  double sum = 0;
  for (double x : v) sum += x;
  j["mean"] = sum / static_cast<double>(v.size());
  // Ten bins between the 1st and 99th percentiles plus two open tails; fractions of non-missing
  // rows.
  constexpr int kBins = 10;
  const double lo = quantile(0.01);
  const double hi = quantile(0.99);
  std::vector<double> edges;
  if (hi > lo) {
    for (int b = 0; b <= kBins; ++b) edges.push_back(lo + (hi - lo) * b / kBins);
  } else {
    edges = {lo};
  }
  std::vector<double> counts(edges.size() + 1, 0.0);
  for (double x : v) {
    const auto bin = std::upper_bound(edges.begin(), edges.end(), x) - edges.begin();
    counts[static_cast<size_t>(bin)] += 1;
  }
  for (double& c : counts) c /= static_cast<double>(v.size());
  j["histogram"] = {{"edges", edges}, {"fractions", counts}};
  return j;
}

nlohmann::json BuildInputSchema(const features::RunConfig& config, const data::Table& train) {
  nlohmann::json columns = nlohmann::json::array();
  for (const std::string& name : features::UsedColumns(config)) {
    const features::ColumnSpec* spec = config.FindColumn(name);
    if (spec == nullptr) continue;
    nlohmann::json c;
    c["name"] = name;
    c["type"] = data::ColumnTypeName(spec->type);
    c["role"] = features::ColumnRoleName(spec->role);
    c["available"] = spec->available.ToString();
    c["required"] = config.AvailableAtPrediction(*spec);
    const data::Column* col = train.FindColumn(name);
    if (col != nullptr && col->size() > 0) {
      c["missing_rate"] =
          static_cast<double>(col->CountMissing()) / static_cast<double>(col->size());
      if (col->type() == data::ColumnType::kNumeric) {
        double mn = INFINITY, mx = -INFINITY;
        for (double x : col->numeric()) {
          if (std::isfinite(x)) {
            mn = std::min(mn, x);
            mx = std::max(mx, x);
          }
        }
        if (mn <= mx) c["range"] = {mn, mx};
      } else if (col->type() == data::ColumnType::kCategorical &&
                 spec->role == features::ColumnRole::kFeature) {
        std::vector<size_t> counts(col->dictionary().size(), 0);
        for (int32_t code : col->codes()) {
          if (code != data::kMissingCode) ++counts[static_cast<size_t>(code)];
        }
        nlohmann::json cats = nlohmann::json::object();
        size_t distinct = 0;
        for (size_t k = 0; k < counts.size(); ++k) distinct += counts[k] > 0 ? 1 : 0;
        if (distinct <= kMaxAllowedCategories) {
          for (size_t k = 0; k < counts.size(); ++k) {
            if (counts[k] > 0) {
              cats[col->dictionary()[k]] =
                  static_cast<double>(counts[k]) / static_cast<double>(col->size());
            }
          }
          c["categories"] = cats;
        }
        c["distinct"] = distinct;
      }
    }
    columns.push_back(c);
  }
  return {{"columns", columns},
          {"id_column", config.IdColumn()},
          {"entity_column", config.EntityColumn()},
          {"prediction_time_column", config.PredictionColumn()}};
}

nlohmann::json BuildReferenceProfile(const features::FeatureMatrix& train,
                                     const std::vector<double>& predictions) {
  nlohmann::json feats = nlohmann::json::array();
  for (size_t j = 0; j < train.fields.size(); ++j) {
    nlohmann::json f = ProfileValues(train.columns[j]);
    f["name"] = train.fields[j].name;
    f["origin"] = train.fields[j].origin;
    feats.push_back(f);
  }
  return {
      {"rows", train.num_rows}, {"features", feats}, {"predictions", ProfileValues(predictions)}};
}

}  // namespace staycast::bundle
