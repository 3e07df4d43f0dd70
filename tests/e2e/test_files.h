// Files the end-to-end tests read and write as a user would: the example configs pointed at test
// data, and CSV outputs parsed back (RFC 4180 quoting).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace staycast::e2e {

// A CSV file as header + rows of fields.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of column `name`, -1 when absent.
  int Col(const std::string& name) const;
  // Column `value` keyed by column `key` (empty when either is absent).
  std::map<std::string, std::string> ByKey(const std::string& key, const std::string& value) const;
  // Back to CSV text, quoting fields that need it (RFC 4180).
  std::string Text() const;
};

Csv ParseCsv(const std::string& text);
Csv ReadCsv(const std::string& path);

// examples/EXAMPLE with data.source pointing at `data` and `appended` (e.g. a `models:` section)
// added at the end. Empty when the example has no `source: admissions.csv` line.
std::string ExampleConfig(const std::string& example, const std::string& data,
                          const std::string& appended);

}  // namespace staycast::e2e
