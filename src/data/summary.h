// Per-column summaries of a table (type, missing share, distribution): what `staycast summary`
// prints.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "src/data/table.h"

namespace staycast::data {

struct ColumnSummary {
  std::string name;
  ColumnType type;
  size_t missing = 0;
  // Numeric: mean, min, median, max. Timestamp: min and max (as numbers of seconds).
  double mean = 0, min = 0, median = 0, max = 0;
  // Categorical: number of distinct values and the most frequent ones with counts.
  size_t distinct = 0;
  std::vector<std::pair<std::string, size_t>> top;
  // String list: mean number of items per row.
  double mean_items = 0;
};

std::vector<ColumnSummary> Summarize(const Table& table, size_t top_k = 3);

// A plain-text table for people.
std::string FormatSummary(const Table& table, const std::vector<ColumnSummary>& summaries);

}  // namespace staycast::data
