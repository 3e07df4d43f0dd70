// Column summaries.
#include "src/data/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace staycast::data {

std::vector<ColumnSummary> Summarize(const Table& table, size_t top_k) {
  std::vector<ColumnSummary> out;
  for (const Column& c : table.columns()) {
    ColumnSummary s;
    s.name = c.name();
    s.type = c.type();
    s.missing = c.CountMissing();
    const size_t present = c.size() - s.missing;
    switch (c.type()) {
      case ColumnType::kNumeric: {
        std::vector<double> v;
        v.reserve(present);
        for (double x : c.numeric()) {
          if (!std::isnan(x)) v.push_back(x);
        }
        if (!v.empty()) {
          double sum = 0;
          for (double x : v) sum += x;
          s.mean = sum / static_cast<double>(v.size());
          std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
          s.median = v[v.size() / 2];
          const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
          s.min = *mn;
          s.max = *mx;
        }
        break;
      }
      case ColumnType::kCategorical: {
        std::vector<size_t> counts(c.dictionary().size(), 0);
        for (int32_t code : c.codes()) {
          if (code != kMissingCode) ++counts[static_cast<size_t>(code)];
        }
        std::vector<size_t> order(counts.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        for (size_t n : counts) s.distinct += n > 0 ? 1 : 0;
        const size_t k = std::min(top_k, order.size());
        std::partial_sort(order.begin(), order.begin() + static_cast<long>(k), order.end(),
                          [&](size_t a, size_t b) {
                            return counts[a] != counts[b] ? counts[a] > counts[b] : a < b;
                          });
        for (size_t i = 0; i < k; ++i)
          s.top.emplace_back(c.dictionary()[order[i]], counts[order[i]]);
        break;
      }
      case ColumnType::kTimestamp: {
        bool first = true;
        for (Timestamp t : c.timestamps()) {
          if (t == kMissingTime) continue;
          const auto d = static_cast<double>(t);
          s.min = first ? d : std::min(s.min, d);
          s.max = first ? d : std::max(s.max, d);
          first = false;
        }
        break;
      }
      case ColumnType::kStringList: {
        size_t items = 0;
        for (const auto& l : c.lists()) items += l.size();
        s.mean_items =
            c.size() == 0 ? 0 : static_cast<double>(items) / static_cast<double>(c.size());
        break;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string FormatSummary(const Table& table, const std::vector<ColumnSummary>& summaries) {
  std::string out = fmt::format("{} rows, {} columns\n", table.num_rows(), table.num_columns());
  out += fmt::format("{:<24} {:<12} {:>8}  {}\n", "column", "type", "missing", "distribution");
  const double rows = std::max<double>(1.0, static_cast<double>(table.num_rows()));
  for (const ColumnSummary& s : summaries) {
    std::string dist;
    switch (s.type) {
      case ColumnType::kNumeric:
        dist = fmt::format("mean {:.3g}  min {:.3g}  median {:.3g}  max {:.3g}", s.mean, s.min,
                           s.median, s.max);
        break;
      case ColumnType::kCategorical:
        dist = fmt::format("{} distinct", s.distinct);
        for (const auto& [value, count] : s.top) {
          dist += fmt::format("  {} {:.1f}%", value, 100.0 * static_cast<double>(count) / rows);
        }
        break;
      case ColumnType::kTimestamp:
        if (s.missing < table.num_rows()) {
          dist = fmt::format("{} .. {}", FormatTimestamp(static_cast<Timestamp>(s.min)),
                             FormatTimestamp(static_cast<Timestamp>(s.max)));
        }
        break;
      case ColumnType::kStringList: dist = fmt::format("{:.2f} items per row", s.mean_items); break;
    }
    out += fmt::format("{:<24} {:<12} {:>7.1f}%  {}\n", s.name, ColumnTypeName(s.type),
                       100.0 * static_cast<double>(s.missing) / rows, dist);
  }
  return out;
}

}  // namespace staycast::data
