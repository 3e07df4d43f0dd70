// Feature groups by original column, grouped contributions and per-row top contributions.
#include "src/explain/groups.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace staycast::explain {
namespace {

// The single declared column a feature reads, following feature inputs; empty when it reads
// several columns or is a history feature.
std::string SourceColumn(const features::RunConfig& config, const std::string& feature, int depth) {
  if (depth > 32) return "";  // configs are acyclic; this only guards against surprises
  for (const features::FeatureSpec& spec : config.features) {
    if (spec.name != feature) continue;
    if (spec.kind == features::FeatureKind::kHistory || spec.inputs.size() != 1) return "";
    const features::InputRef& in = spec.inputs[0];
    return in.is_feature() ? SourceColumn(config, in.feature, depth + 1) : in.column;
  }
  return "";
}

}  // namespace

FeatureGroups GroupFeatures(const features::RunConfig& config,
                            const std::vector<features::OutputField>& fields) {
  FeatureGroups out;
  std::map<std::string, size_t> index;
  for (const features::OutputField& f : fields) {
    std::string name = SourceColumn(config, f.feature, 0);
    if (name.empty()) name = f.feature.empty() ? f.name : f.feature;
    auto [it, inserted] = index.emplace(name, out.names.size());
    if (inserted) out.names.push_back(name);
    out.group_of_feature.push_back(it->second);
  }
  return out;
}

FeatureGroups Ungrouped(const std::vector<std::string>& feature_names) {
  FeatureGroups out;
  out.names = feature_names;
  out.group_of_feature.resize(feature_names.size());
  std::iota(out.group_of_feature.begin(), out.group_of_feature.end(), size_t{0});
  return out;
}

std::vector<double> GroupContributions(const models::Contributions& c,
                                       const FeatureGroups& groups) {
  const size_t g = groups.size();
  std::vector<double> out(c.rows * g, 0.0);
  for (size_t r = 0; r < c.rows; ++r) {
    for (size_t j = 0; j < c.cols; ++j) out[r * g + groups.group_of_feature[j]] += c.at(r, j);
  }
  return out;
}

std::vector<RowExplanation> TopContributions(const models::Contributions& c,
                                             const FeatureGroups& groups, size_t top_k) {
  const size_t g = groups.size();
  const std::vector<double> grouped = GroupContributions(c, groups);
  const size_t k = top_k == 0 ? g : std::min(top_k, g);
  std::vector<RowExplanation> out(c.rows);
  std::vector<size_t> order(g);
  for (size_t r = 0; r < c.rows; ++r) {
    const double* row = grouped.data() + r * g;
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return std::abs(row[a]) > std::abs(row[b]); });
    RowExplanation& e = out[r];
    e.bias = c.bias[r];
    e.raw_score = e.bias;
    for (size_t i = 0; i < g; ++i) {
      e.raw_score += row[order[i]];
      if (i < k) {
        e.top.push_back({groups.names[order[i]], row[order[i]]});
      } else {
        e.rest += row[order[i]];
      }
    }
  }
  return out;
}

}  // namespace staycast::explain
