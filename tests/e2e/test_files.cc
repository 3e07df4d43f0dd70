// CSV parsing and example configs for the end-to-end tests.
#include "tests/e2e/test_files.h"

#include <algorithm>

#include "tests/e2e/cli_runner.h"

namespace staycast::e2e {

int Csv::Col(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::map<std::string, std::string> Csv::ByKey(const std::string& key,
                                              const std::string& value) const {
  std::map<std::string, std::string> out;
  const int k = Col(key);
  const int v = Col(value);
  if (k < 0 || v < 0) return out;
  for (const auto& r : rows) out[r[k]] = r[v];
  return out;
}

std::string Csv::Text() const {
  std::string out;
  const auto line = [&out](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string& f = fields[i];
      if (i > 0) out += ',';
      if (f.find_first_of(",\"\r\n") == std::string::npos) {
        out += f;
        continue;
      }
      out += '"';
      for (const char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += '\n';
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out;
}

Csv ParseCsv(const std::string& text) {
  Csv csv;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool first = true;
  const auto end_row = [&] {
    row.push_back(field);
    field.clear();
    if (first) {
      csv.header = std::move(row);
      first = false;
    } else {
      csv.rows.push_back(std::move(row));
    }
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      end_row();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) end_row();
  return csv;
}

Csv ReadCsv(const std::string& path) { return ParseCsv(ReadTextFile(path)); }

std::string ExampleConfig(const std::string& example, const std::string& data,
                          const std::string& appended) {
  std::string text = ReadTextFile(SourceDir() + "/examples/" + example);
  const std::string from = "  source: admissions.csv";
  const size_t at = text.find(from);
  if (at == std::string::npos) return "";
  text.replace(at, from.size(), "  source: " + data);
  return text + appended;
}

}  // namespace staycast::e2e
