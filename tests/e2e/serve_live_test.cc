// End-to-end tests of `staycast serve` while things change: alias moves picked up live, history
// from the encounter store, A/B stickiness and shadow arms, and a loopback load test with 10% bad
// requests that loses no prediction-log rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "src/registry/store.h"
#include "tests/e2e/serve_fixture.h"

namespace staycast::e2e {
namespace {

using ::testing::HasSubstr;

int64_t CountRows(const std::string& registry, const std::string& where) {
  auto store = registry::OpenStore(registry);
  if (!store.ok()) return -1;
  auto rows = (*store)->Query("SELECT COUNT(*) FROM prediction_log WHERE " + where);
  if (!rows.ok()) return -1;
  return std::atoll((*rows)[0][0]->c_str());
}

TEST_F(ServeTest, AliasMovesArePickedUpLive) {
  // Version 2 of los_gb: a different model, so its predictions differ.
  const std::string config = dir_->File("los_gb_v2.yaml");
  WriteTextFile(config, Config("los.yaml", data_,
                               "{type: gradient_boosting, params: {n_rounds: 10, max_depth: 2}}"));
  const CommandResult t = RunStaycast({"train", config, "--out", dir_->File("los_gb_v2"),
                                       "--register", "los_gb", "--registry", registry_, "-q"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  ServerProcess server(ServeArgs({}));
  ASSERT_TRUE(server.ok()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = RowJson(*csv_, 3).dump();
  const auto version_now = [&] {
    int status = 0;
    const nlohmann::json j = Post(client, "/v1/models/los_gb/predict", body, &status);
    return status == 200 ? j["predictions"][0]["version"].get<int>() : -status;
  };
  const auto wait_for = [&](int version) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
      if (version_now() == version) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  EXPECT_EQ(version_now(), 1);
  // Requests keep flowing during the moves; none may fail.
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, served{0};
  std::thread traffic([&] {
    httplib::Client c("127.0.0.1", server.port());
    while (!stop) {
      int status = 0;
      Post(c, "/v1/models/los_gb/predict", body, &status);
      (status == 200 ? served : failures)++;
    }
  });
  const CommandResult p =
      RunStaycast({"models", "promote", "los_gb", "2", "--alias", "champion", "--force", "--reason",
                   "live test", "--registry", registry_});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_TRUE(wait_for(2)) << "promotion not picked up within 5 s";
  const CommandResult r = RunStaycast({"models", "rollback", "los_gb", "--alias", "champion",
                                       "--reason", "back", "--registry", registry_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(wait_for(1)) << "rollback not picked up within 5 s";
  stop = true;
  traffic.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(served, 0);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServeTest, ReturningPatientGetsHistoryFromTheEncounterStore) {
  // A patient with at least three stays: the earlier ones go to the encounter store, the last is
  // scored over HTTP and offline with --history.
  const int pcol = csv_->Col("patient_id");
  const int tcol = csv_->Col("admit_time");
  std::map<std::string, std::vector<size_t>> stays;
  for (size_t r = 0; r < csv_->rows.size(); ++r) stays[csv_->rows[r][pcol]].push_back(r);
  std::vector<size_t> patient;
  for (auto& [id, rows] : stays) {
    if (rows.size() >= 3) {
      patient = rows;
      break;
    }
  }
  ASSERT_GE(patient.size(), 3u);
  std::sort(patient.begin(), patient.end(),
            [&](size_t a, size_t b) { return csv_->rows[a][tcol] < csv_->rows[b][tcol]; });
  const size_t last = patient.back();
  patient.pop_back();
  const std::string earlier = dir_->File("earlier.csv");
  const std::string current = dir_->File("current.csv");
  WriteRows(*csv_, patient, earlier);
  WriteRows(*csv_, {last}, current);
  const CommandResult load =
      RunStaycast({"encounters", "load", earlier, "--config", SourceDir() + "/examples/los.yaml",
                   "--registry", registry_});
  ASSERT_EQ(load.exit_code, 0) << load.err;
  EXPECT_THAT(load.out, HasSubstr("loaded " + std::to_string(patient.size())));
  ServerProcess server(ServeArgs({}));
  ASSERT_TRUE(server.ok()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  bool history_mattered = false;
  for (const std::string model : {"los_gb", "readm_gb", "los_ridge"}) {
    const std::string out = dir_->File(model + "_history.csv");
    const CommandResult b =
        RunStaycast({"predict", "models:/" + model + "@champion", current, "--history", earlier,
                     "--registry", registry_, "--out", out});
    ASSERT_EQ(b.exit_code, 0) << b.err;
    const Csv batch = ParseCsv(ReadTextFile(out));
    const CommandResult nohist =
        RunStaycast({"predict", "models:/" + model + "@champion", current, "--registry", registry_,
                     "--out", dir_->File("nohist.csv")});
    ASSERT_EQ(nohist.exit_code, 0);
    const Csv alone = ParseCsv(ReadTextFile(dir_->File("nohist.csv")));
    const char* key = model.starts_with("los") ? "prediction" : "probability";
    int status = 0;
    const nlohmann::json j =
        Post(client, "/v1/models/" + model + "/predict", RowJson(*csv_, last).dump(), &status);
    ASSERT_EQ(status, 200) << j.dump();
    const double want = std::strtod(batch.rows[0][batch.Col(key)].c_str(), nullptr);
    EXPECT_DOUBLE_EQ(j["predictions"][0][key].get<double>(), want) << model;
    history_mattered |= want != std::strtod(alone.rows[0][alone.Col(key)].c_str(), nullptr);
  }
  // The history changed an answer, so the test would notice history being ignored.
  EXPECT_TRUE(history_mattered);
  // POST /v1/encounters stores (and merges) encounters too.
  int status = 0;
  nlohmann::json enc = RowJson(*csv_, last);
  enc.erase("discharge_time");
  const nlohmann::json stored =
      Post(client, "/v1/encounters", nlohmann::json{{"encounters", {enc}}}.dump(), &status);
  ASSERT_EQ(status, 200) << stored.dump();
  EXPECT_EQ(stored["new"], 1);
  const nlohmann::json bad = Post(client, "/v1/encounters", R"({"age": 3})", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["field"], "admission_id");
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServeTest, ExperimentArmsAreStickyAndShadowsAreNeverReturned) {
  const std::string exp = dir_->File("exp.yaml");
  WriteTextFile(exp, R"(name: los
arms: {los_gb@champion: 50, los_ridge@champion: 50}
shadow: [los_rf@champion]
)");
  ServerProcess server({"--registry", registry_, "--experiment", exp});
  ASSERT_TRUE(server.ok()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  const int64_t shadow_before = CountRows(registry_, "arm = 'los_rf@champion' AND shadow = 1");
  std::map<std::string, std::set<std::string>> arms_by_patient;
  std::set<std::string> arms;
  int requests = 0;
  for (size_t r = 0; r < 40; ++r) {
    for (int repeat = 0; repeat < 3; ++repeat) {
      int status = 0;
      const nlohmann::json j =
          Post(client, "/v1/models/los/predict", RowJson(*csv_, r).dump(), &status);
      ASSERT_EQ(status, 200) << j.dump();
      ++requests;
      const std::string arm = j["predictions"][0]["arm"];
      arms_by_patient[csv_->rows[r][csv_->Col("patient_id")]].insert(arm);
      arms.insert(arm);
      EXPECT_NE(arm, "los_rf@champion");
    }
  }
  for (const auto& [patient, a] : arms_by_patient) EXPECT_EQ(a.size(), 1u) << patient;
  EXPECT_EQ(arms, (std::set<std::string>{"los_gb@champion", "los_ridge@champion"}));
  EXPECT_EQ(server.Stop(), 0);  // flushes the log
  EXPECT_EQ(CountRows(registry_, "arm = 'los_rf@champion' AND shadow = 1") - shadow_before,
            requests);
}

TEST_F(ServeTest, LoadWithTenPercentBadRequestsLosesNothing) {
  ServerProcess server(ServeArgs({"--threads", "8"}));
  ASSERT_TRUE(server.ok()) << server.Log();
  const int64_t before = CountRows(registry_, "model = 'los_gb'");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 150;
  std::atomic<int> good_ok{0}, good_failed{0}, bad_400{0}, bad_other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", server.port());
      c.set_keep_alive(true);
      // httplib's client sends headers and body in two writes; with Nagle on, the body waits
      // for the server's delayed ACK (~40 ms a request: the "10 ms per request" of this test).
      c.set_tcp_nodelay(true);
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        int status = 0;
        if (n % 10 == 0) {
          const char* bad[] = {R"({"age": "x"})", "{not json", R"({"instances": []})",
                               R"({"age": NaN})"};
          Post(c, "/v1/models/los_gb/predict", bad[(n / 10) % 4], &status);
          (status == 400 ? bad_400 : bad_other)++;
        } else {
          const nlohmann::json j =
              Post(c, "/v1/models/los_gb/predict",
                   RowJson(*csv_, static_cast<size_t>(n) % 500).dump(), &status);
          (status == 200 && j.contains("predictions") ? good_ok : good_failed)++;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(good_failed, 0);
  EXPECT_EQ(bad_other, 0);
  EXPECT_EQ(good_ok + bad_400, kThreads * kPerThread);
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ(CountRows(registry_, "model = 'los_gb'") - before, good_ok.load());
}

}  // namespace
}  // namespace staycast::e2e
