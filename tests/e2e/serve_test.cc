// End-to-end tests of `staycast serve` (issue 7): HTTP predictions equal batch `predict` for every
// model type; every bad-input kind gets its JSON error; a loopback load test with 10% bad requests
// loses nothing; live alias moves; history from the encounter store; A/B stickiness and shadows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/serve_fixture.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;

TEST_F(ServeTest, HttpEqualsBatchPredictForEveryModelType) {
  ServerProcess server(ServeArgs({}));
  ASSERT_TRUE(server.ok()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  std::vector<size_t> rows;
  for (size_t r = 0; r < 25; ++r) rows.push_back(r * 97 % csv_->rows.size());
  const std::string input = dir_->File("rows.csv");
  WriteRows(*csv_, rows, input);
  nlohmann::json instances = nlohmann::json::array();
  for (size_t r : rows) instances.push_back(RowJson(*csv_, r));
  for (const auto& t : ModelTypes()) {
    const std::string out = dir_->File(t[0] + "_pred.csv");
    const CommandResult b = RunStaycast(
        {"predict", "models:/" + t[0] + "@champion", input, "--registry", registry_, "--out", out});
    ASSERT_EQ(b.exit_code, 0) << b.err;
    const Csv batch = ParseCsv(ReadTextFile(out));
    const bool classification = t[0].starts_with("readm");
    const int col = batch.Col(classification ? "probability" : "prediction");
    ASSERT_GE(col, 0);
    int status = 0;
    const nlohmann::json v1 = Post(client, "/v1/models/" + t[0] + "/predict",
                                   nlohmann::json{{"instances", instances}}.dump(), &status);
    ASSERT_EQ(status, 200) << v1.dump();
    ASSERT_EQ(v1["predictions"].size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const nlohmann::json& p = v1["predictions"][i];
      const double want = std::strtod(batch.rows[i][col].c_str(), nullptr);
      EXPECT_DOUBLE_EQ(p[classification ? "probability" : "prediction"].get<double>(), want)
          << t[0] << " row " << i;
      EXPECT_EQ(p["version"], 1);
      EXPECT_EQ(p["alias"], "champion");
      if (classification) {
        EXPECT_EQ(p["decision"].get<int>(),
                  std::atoi(batch.rows[i][batch.Col("decision")].c_str()));
        EXPECT_TRUE(p.contains("risk_band"));
      } else {
        EXPECT_DOUBLE_EQ(p["interval"]["lower"].get<double>(),
                         std::strtod(batch.rows[i][batch.Col("lower")].c_str(), nullptr));
      }
    }
    // The same rows as MLflow's dataframe_split and as a v2 infer request.
    nlohmann::json split = {{"columns", csv_->header}, {"data", nlohmann::json::array()}};
    for (size_t i = 0; i < rows.size(); ++i) {
      nlohmann::json row = nlohmann::json::array();
      for (const std::string& h : csv_->header) {
        row.push_back(instances[i].contains(h) ? instances[i][h] : nlohmann::json());
      }
      split["data"].push_back(row);
    }
    const nlohmann::json ml = Post(client, "/v1/models/" + t[0] + "/predict",
                                   nlohmann::json{{"dataframe_split", split}}.dump(), &status);
    ASSERT_EQ(status, 200) << ml.dump();
    nlohmann::json inputs = nlohmann::json::array();
    for (size_t c = 0; c < csv_->header.size(); ++c) {
      nlohmann::json data = nlohmann::json::array();
      for (size_t i = 0; i < rows.size(); ++i) data.push_back(split["data"][i][c]);
      inputs.push_back({{"name", csv_->header[c]},
                        {"shape", {rows.size()}},
                        {"datatype", "BYTES"},
                        {"data", data}});
    }
    const nlohmann::json v2 = Post(client, "/v2/models/" + t[0] + "/infer",
                                   nlohmann::json{{"inputs", inputs}}.dump(), &status);
    ASSERT_EQ(status, 200) << v2.dump();
    for (size_t i = 0; i < rows.size(); ++i) {
      const char* key = classification ? "probability" : "prediction";
      EXPECT_DOUBLE_EQ(ml["predictions"][i][key].get<double>(),
                       v1["predictions"][i][key].get<double>());
      EXPECT_DOUBLE_EQ(v2["outputs"][0]["data"][i].get<double>(),
                       v1["predictions"][i][key].get<double>());
    }
  }
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServeTest, ExplainReturnsTopContributionsThatAddUpToTheRawScore) {
  ServerProcess server(ServeArgs({}));
  ASSERT_TRUE(server.ok()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  nlohmann::json instances = nlohmann::json::array();
  for (size_t r = 0; r < 4; ++r) instances.push_back(RowJson(*csv_, r * 131));
  for (const std::string name : {"los_gb", "los_rf", "los_ridge", "readm_gb", "readm_logistic"}) {
    int status = 0;
    const nlohmann::json j = Post(
        client, "/v1/models/" + name + "/predict",
        nlohmann::json{{"instances", instances}, {"explain", true}, {"top_k", 3}}.dump(), &status);
    ASSERT_EQ(status, 200) << name << ": " << j.dump();
    const bool classification = name.starts_with("readm");
    for (const nlohmann::json& p : j["predictions"]) {
      ASSERT_TRUE(p.contains("explanation")) << p.dump();
      const nlohmann::json& e = p["explanation"];
      EXPECT_EQ(e["units"], classification ? "log_odds" : "days");
      ASSERT_EQ(e["top"].size(), 3U) << e.dump();
      double sum = e["bias"].get<double>() + e["rest"].get<double>();
      double last = 1e300;
      for (const nlohmann::json& t : e["top"]) {
        EXPECT_FALSE(t["feature"].get<std::string>().empty());
        const double v = t["contribution"].get<double>();
        EXPECT_LE(std::abs(v), last + 1e-12) << "not sorted by |contribution|: " << e.dump();
        last = std::abs(v);
        sum += v;
      }
      const double raw = e["raw_score"].get<double>();
      EXPECT_NEAR(sum, raw, 1e-3 * std::max(1.0, std::abs(raw))) << name << ": " << e.dump();
      if (!classification) {
        // For regression the raw score is the prediction in days.
        EXPECT_NEAR(raw, p["prediction"].get<double>(), 1e-3 * std::max(1.0, std::abs(raw)))
            << name;
      }
    }
    // The v2 protocol returns the same explanation as a JSON string per instance.
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& [k, v] : instances[0].items()) {
      inputs.push_back({{"name", k},
                        {"shape", {1}},
                        {"datatype", v.is_string() ? "BYTES" : "FP64"},
                        {"data", {v}}});
    }
    const nlohmann::json v2 =
        Post(client, "/v2/models/" + name + "/infer",
             nlohmann::json{{"inputs", inputs}, {"parameters", {{"explain", true}, {"top_k", 3}}}}
                 .dump(),
             &status);
    ASSERT_EQ(status, 200) << v2.dump();
    const nlohmann::json& last_tensor = v2["outputs"].back();
    EXPECT_EQ(last_tensor["name"], "explanation");
    EXPECT_EQ(nlohmann::json::parse(last_tensor["data"][0].get<std::string>())["raw_score"],
              j["predictions"][0]["explanation"]["raw_score"]);
  }
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServeTest, EveryBadInputGetsAJsonError) {
  ServerProcess server(
      ServeArgs({"--max-body-bytes", "4096", "--max-instances", "5", "--read-timeout-ms", "500"}));
  ASSERT_TRUE(server.ok()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  struct Case {
    std::string path, body;
    int status;
    std::string code, field;
  };
  const std::string big(5000, ' ');
  const std::vector<Case> cases = {
      {"/v1/models/los_gb/predict", R"({"age": 70,, "x": 1})", 400, "malformed_json", ""},
      {"/v1/models/los_gb/predict", R"({"age": "old"})", 400, "wrong_type", "age"},
      {"/v1/models/los_gb/predict", R"({"admit_time": 12})", 400, "wrong_type", "admit_time"},
      {"/v1/models/los_gb/predict", R"({"age": NaN})", 400, "non_finite_number", ""},
      {"/v1/models/los_gb/predict", R"({"age": 1e999})", 400, "non_finite_number", ""},
      {"/v1/models/los_gb/predict", R"({"instances": []})", 400, "empty_request", ""},
      {"/v1/models/los_gb/predict", R"({"instances": [{},{},{},{},{},{}]})", 400,
       "too_many_instances", ""},
      {"/v1/models/los_gb/predict", "{\"age\": 1," + big + "}", 413, "payload_too_large", ""},
      {"/v1/models/nope/predict", R"({"age": 1})", 404, "model_not_found", ""},
      {"/v2/models/los_gb/infer", R"({"inputs": 1})", 400, "bad_request", "inputs"},
      {"/v1/models/los_svr/predict", R"({"age": 1, "explain": true})", 400, "explain_unavailable",
       "explain"},
  };
  for (const Case& c : cases) {
    int status = 0;
    const nlohmann::json j = Post(client, c.path, c.body, &status);
    EXPECT_EQ(status, c.status) << c.body.substr(0, 60) << " -> " << j.dump();
    ASSERT_TRUE(j.is_object() && j.contains("error")) << c.body.substr(0, 60);
    EXPECT_EQ(j["error"]["code"], c.code) << c.body.substr(0, 60) << " -> " << j.dump();
    if (!c.field.empty()) {
      EXPECT_EQ(j["error"]["field"], c.field) << j.dump();
    }
  }
  // Missing and unknown fields are not errors: they are warnings on a prediction.
  int status = 0;
  const nlohmann::json ok =
      Post(client, "/v1/models/los_gb/predict", R"({"age": 70, "shoe_size": 44})", &status);
  ASSERT_EQ(status, 200) << ok.dump();
  EXPECT_THAT(ok["predictions"][0]["warnings"].dump(), HasSubstr("shoe_size"));
  EXPECT_THAT(ok["predictions"][0]["warnings"].dump(), HasSubstr("\"imputed\""));
  // A client that sends half a request and stalls is cut off; the server keeps serving.
  {
    httplib::Client slow("127.0.0.1", server.port());
    slow.set_read_timeout(std::chrono::seconds(5));
    std::atomic<bool> done{false};
    std::thread stall([&] {
      httplib::Headers h = {{"Content-Length", "1000"}};
      // Body shorter than announced: the server waits for the rest until its read timeout.
      auto r = slow.Post("/v1/models/los_gb/predict", h, "{\"age\": 1", "application/json");
      done = true;
    });
    const nlohmann::json health = nlohmann::json::parse(client.Get("/v2/health/ready")->body);
    EXPECT_EQ(health["ready"], true);
    stall.join();
    EXPECT_TRUE(done);
  }
  const auto live = client.Get("/v2/health/live");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  const auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, HasSubstr("staycast_errors_total{code=\"wrong_type\"}"));
  EXPECT_THAT(metrics->body, HasSubstr("staycast_imputed_inputs_total{model=\"los_gb\""));
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace staycast::e2e
