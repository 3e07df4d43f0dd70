// Shared set-up of the `staycast serve` end-to-end tests: one small registered model of every
// type (trained once per process), CSV helpers, and HTTP helpers.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_files.h"

namespace staycast::e2e {

// A CSV row as a request instance: numbers as numbers, the rest as strings, empty cells left out.
inline nlohmann::json RowJson(const Csv& csv, size_t r) {
  nlohmann::json j = nlohmann::json::object();
  for (size_t c = 0; c < csv.header.size(); ++c) {
    const std::string& v = csv.rows[r][c];
    if (v.empty()) continue;
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() + v.size()) {
      j[csv.header[c]] = d;
    } else {
      j[csv.header[c]] = v;
    }
  }
  return j;
}

inline void WriteRows(const Csv& csv, const std::vector<size_t>& rows, const std::string& path) {
  std::string text;
  const auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) text += (i ? "," : "") + r[i];
    text += "\n";
  };
  line(csv.header);
  for (size_t r : rows) line(csv.rows[r]);
  WriteTextFile(path, text);
}

inline std::string Config(const std::string& example, const std::string& data,
                          const std::string& model) {
  return ExampleConfig(example, data, "models:\n  candidates:\n    - " + model + "\n");
}

// (served name, example config, candidate) for every model type.
inline const std::vector<std::vector<std::string>>& ModelTypes() {
  static const auto* kTypes = new std::vector<std::vector<std::string>>{
      {"los_gb", "los.yaml",
       "{type: gradient_boosting, params: {n_rounds: 40, max_depth: 4, learning_rate: 0.2}}"},
      {"los_rf", "los.yaml", "{type: random_forest, params: {n_trees: 20, max_depth: 5}}"},
      {"los_ridge", "los.yaml", "{type: ridge}"},
      {"los_svr", "los.yaml", "{type: svr}"},
      {"readm_gb", "readmission.yaml",
       "{type: gradient_boosting, params: {n_rounds: 30, max_depth: 3, learning_rate: 0.2}}"},
      {"readm_logistic", "readmission.yaml", "{type: logistic, params: {max_iter: 8}}"},
  };
  return *kTypes;
}

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    data_ = dir_->File("admissions.csv");
    registry_ = "sqlite:" + dir_->File("reg.db");
    const CommandResult g =
        RunStaycast({"generate", "--rows", "3000", "--seed", "7", "--out", data_});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    for (const auto& t : ModelTypes()) {
      const std::string config = dir_->File(t[0] + ".yaml");
      WriteTextFile(config, Config(t[1], data_, t[2]));
      const CommandResult r = RunStaycast({"train", config, "--out", dir_->File(t[0] + "_bundle"),
                                           "--register", t[0], "--registry", registry_, "-q"});
      ASSERT_EQ(r.exit_code, 0) << t[0] << ": " << r.err;
      const CommandResult p = RunStaycast({"models", "promote", t[0], "1", "--alias", "champion",
                                           "--force", "--reason", "test", "--registry", registry_});
      ASSERT_EQ(p.exit_code, 0) << p.err;
    }
    csv_ = std::make_unique<Csv>(ParseCsv(ReadTextFile(data_)));
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static std::vector<std::string> ServeArgs(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--registry", registry_, "--poll-ms", "200"};
    for (const auto& t : ModelTypes()) {
      args.push_back("--model");
      args.push_back(t[0] + "@champion");
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static nlohmann::json Post(httplib::Client& c, const std::string& path, const std::string& body,
                             int* status) {
    auto res = c.Post(path, body, "application/json");
    if (!res) {
      *status = -1;
      return nullptr;
    }
    *status = res->status;
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::string data_;
  static inline std::string registry_;
  static inline std::unique_ptr<Csv> csv_;
};

}  // namespace staycast::e2e
