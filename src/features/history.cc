// The sort-and-sweep history engine: queries (entity, prediction time) and facts (entity, known
// time, value) are each sorted once; a single merge per entity keeps running aggregates, and a
// row's own fact is excluded by subtraction (count, sum) or by keeping the top two (max, min,
// last).
#include "src/features/history.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace staycast::features {

std::vector<Timestamp> KnownTimes(const std::vector<Timestamp>& first_event,
                                  const std::vector<Timestamp>& event, int64_t offset_seconds) {
  std::vector<Timestamp> out(event.size(), kMissingTime);
  for (size_t i = 0; i < event.size(); ++i) {
    if (event[i] == kMissingTime) continue;
    Timestamp t = event[i] + offset_seconds;
    if (first_event[i] != kMissingTime) t = std::max(t, first_event[i]);
    out[i] = t;
  }
  return out;
}

namespace {

constexpr uint32_t kNoRow = std::numeric_limits<uint32_t>::max();

struct Fact {
  int32_t entity;
  Timestamp time;
  double value;
  uint32_t row;
};

struct Query {
  int32_t entity;
  Timestamp time;
  uint32_t row;
};

// The best two facts by some order, from different rows, so that one row's own fact can be
// skipped.
struct TopTwo {
  double v1 = 0, v2 = 0;
  uint32_t r1 = kNoRow, r2 = kNoRow;
  void Clear() { r1 = r2 = kNoRow; }
  // `better` says whether the new value replaces the current holder.
  template <typename Better>
  void Insert(double v, uint32_t r, Better better) {
    if (r1 == kNoRow || better(v, v1)) {
      v2 = v1;
      r2 = r1;
      v1 = v;
      r1 = r;
    } else if (r2 == kNoRow || better(v, v2)) {
      v2 = v;
      r2 = r;
    }
  }
  // The best value not from `self`, or nullopt-like via *found.
  double Get(uint32_t self, bool* found) const {
    if (r1 != kNoRow && r1 != self) {
      *found = true;
      return v1;
    }
    if (r1 == self && r2 != kNoRow) {
      *found = true;
      return v2;
    }
    *found = false;
    return 0;
  }
};

// Sorts items by entity with a counting sort (entity codes are small non-negative integers), then
// each entity's few items by `less`: O(n + entities) instead of a comparison sort of all n.
template <typename T, typename Less>
void SortByEntity(std::vector<T>* items, Less less) {
  if (items->size() < 2) return;
  int32_t max_entity = 0;
  for (const T& item : *items) max_entity = std::max(max_entity, item.entity);
  std::vector<uint32_t> start(static_cast<size_t>(max_entity) + 2, 0);
  for (const T& item : *items) ++start[static_cast<size_t>(item.entity) + 1];
  for (size_t e = 1; e < start.size(); ++e) start[e] += start[e - 1];
  std::vector<T> sorted(items->size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const T& item : *items) sorted[next[static_cast<size_t>(item.entity)]++] = item;
  for (size_t e = 0; e + 1 < start.size(); ++e) {
    if (start[e + 1] - start[e] > 1) {
      std::sort(sorted.begin() + start[e], sorted.begin() + start[e + 1], less);
    }
  }
  items->swap(sorted);
}

bool NeedsValue(HistoryOp op) {
  return op == HistoryOp::kMean || op == HistoryOp::kMax || op == HistoryOp::kMin ||
         op == HistoryOp::kSum || op == HistoryOp::kLast;
}

}  // namespace

void ComputeHistory(HistoryOp op, const HistoryRows& rows, const HistoryFacts& facts,
                    double window_seconds, double fill, std::vector<double>* out) {
  const size_t n = rows.entity.size();
  const bool counting = op == HistoryOp::kCount || op == HistoryOp::kFirstVisit;
  const double empty_value = op == HistoryOp::kCount ? 0 : op == HistoryOp::kFirstVisit ? 1 : fill;
  out->assign(n, empty_value);
  const bool use_value = NeedsValue(op);
  const bool windowed = op == HistoryOp::kCount && window_seconds > 0;
  const auto window = static_cast<Timestamp>(window_seconds);

  auto fact_valid = [&](size_t i) {
    if (rows.entity[i] < 0 || facts.known[i] == kMissingTime) return false;
    return !use_value || std::isfinite(facts.value[i]);
  };
  std::vector<Fact> fs;
  std::vector<Query> qs;
  fs.reserve(n);
  qs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const auto row = static_cast<uint32_t>(i);
    if (fact_valid(i)) {
      const double v = use_value ? facts.value[i] : static_cast<double>(facts.known[i]);
      fs.push_back({rows.entity[i], facts.known[i], v, row});
    }
    if (rows.entity[i] >= 0 && rows.prediction[i] != kMissingTime) {
      qs.push_back({rows.entity[i], rows.prediction[i], row});
    }
  }
  // Ties are broken by value, never by row position, so that the input order cannot matter.
  SortByEntity(&fs, [](const Fact& a, const Fact& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.value < b.value;
  });
  SortByEntity(&qs, [](const Query& a, const Query& b) { return a.time < b.time; });

  size_t fi = 0;
  size_t qi = 0;
  while (qi < qs.size()) {
    const int32_t entity = qs[qi].entity;
    while (fi < fs.size() && fs[fi].entity < entity) ++fi;
    size_t lower = fi;  // first fact inside the window
    size_t count = 0;
    double sum = 0;
    TopTwo top;  // max, min or last depending on op
    for (; qi < qs.size() && qs[qi].entity == entity; ++qi) {
      const Query& q = qs[qi];
      while (fi < fs.size() && fs[fi].entity == entity && fs[fi].time < q.time) {
        const Fact& f = fs[fi];
        ++count;
        sum += f.value;
        switch (op) {
          case HistoryOp::kMax: top.Insert(f.value, f.row, std::greater<>()); break;
          case HistoryOp::kMin: top.Insert(f.value, f.row, std::less<>()); break;
          case HistoryOp::kLast:
          case HistoryOp::kDaysSince:
            top.Insert(f.value, f.row, [](double, double) { return true; });
            break;
          default: break;
        }
        ++fi;
      }
      // Whether this row's own fact is among those inserted (known before its prediction time).
      const bool self_in = fact_valid(q.row) && facts.known[q.row] < q.time;
      size_t n_other = count - (self_in ? 1 : 0);
      double& result = (*out)[q.row];
      if (counting) {
        if (windowed) {
          while (lower < fi && fs[lower].time < q.time - window) ++lower;
          n_other = (fi - lower) - (self_in && facts.known[q.row] >= q.time - window ? 1 : 0);
        }
        result = op == HistoryOp::kFirstVisit ? (n_other == 0 ? 1.0 : 0.0)
                                              : static_cast<double>(n_other);
        continue;
      }
      if (n_other == 0) continue;  // keeps the fill value
      const double self_value = self_in ? facts.value[q.row] : 0;
      bool found = false;
      switch (op) {
        case HistoryOp::kMean: result = (sum - self_value) / static_cast<double>(n_other); break;
        case HistoryOp::kSum: result = sum - self_value; break;
        case HistoryOp::kMax:
        case HistoryOp::kMin:
        case HistoryOp::kLast: {
          const double v = top.Get(self_in ? q.row : kNoRow, &found);
          if (found) result = v;
          break;
        }
        case HistoryOp::kDaysSince: {
          const double t = top.Get(self_in ? q.row : kNoRow, &found);
          if (found) result = (static_cast<double>(q.time) - t) / kSecondsPerDay;
          break;
        }
        default: break;
      }
    }
  }
}

}  // namespace staycast::features
