// Benchmarks of the feature pipeline (issue 3's targets): FeaturePipeline fit + transform of
// examples/los.yaml's features, and of its history features alone
// (bench/peers/history_features.yaml, the same features as the pandas peer), on generated
// admissions (100k and 1M rows, one thread). Run: build/bench/features_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>

#include "src/core/env.h"
#include "src/data/io.h"
#include "src/data/table.h"
#include "src/features/config.h"
#include "src/features/pipeline.h"
#include "src/synth/generator.h"

namespace staycast::features {
namespace {

const std::string kLosConfig = std::string(STAYCAST_SOURCE_DIR) + "/examples/los.yaml";
const std::string kHistoryConfig =
    std::string(STAYCAST_SOURCE_DIR) + "/bench/peers/history_features.yaml";

// The generated CSVs by row count (removed by main when the benchmarks are done).
std::map<int64_t, std::string>& GeneratedPaths() {
  static std::map<int64_t, std::string> paths;
  return paths;
}

// `staycast generate --rows N --seed 3` written to a CSV once per row count, as the CLI reads it.
const std::string& GeneratedCsv(int64_t rows) {
  auto [it, inserted] = GeneratedPaths().try_emplace(rows);
  if (!inserted) return it->second;
  it->second = (std::filesystem::temp_directory_path() /
                ("staycast_features_bench_" + std::to_string(rows) + ".csv"))
                   .string();
  synth::GeneratorOptions options;
  options.rows = rows;
  options.seed = 3;
  StatusOr<data::Table> table = synth::GenerateTable(options);
  if (!table.ok()) {
    std::fprintf(stderr, "generate: %s\n", table.status().ToString().c_str());
    std::exit(1);
  }
  const Status written = data::WriteTable(*table, it->second);
  if (!written.ok()) {
    std::fprintf(stderr, "write: %s\n", written.ToString().c_str());
    std::exit(1);
  }
  return it->second;
}

// Fits and transforms the config's features over the generated rows (the CSV read is untimed).
void FitTransform(benchmark::State& state, const std::string& config_path) {
  const int64_t rows = state.range(0);
  StatusOr<RunConfig> config = LoadConfig(Env::Default(), config_path);
  if (!config.ok()) return state.SkipWithError(config.status().ToString().c_str());
  StatusOr<data::Table> table = data::ReadTable(GeneratedCsv(rows), config->MakeReadOptions());
  if (!table.ok()) return state.SkipWithError(table.status().ToString().c_str());
  for (auto _ : state) {
    StatusOr<FeaturePipeline> pipeline = FeaturePipeline::Create(*config);
    if (!pipeline.ok()) return state.SkipWithError(pipeline.status().ToString().c_str());
    StatusOr<FeatureMatrix> matrix = pipeline->FitTransform(*table);
    if (!matrix.ok()) return state.SkipWithError(matrix.status().ToString().c_str());
    benchmark::DoNotOptimize(matrix->columns.data());
  }
  state.SetItemsProcessed(state.iterations() * rows);
}

void BM_LosPipelineFitTransform(benchmark::State& state) { FitTransform(state, kLosConfig); }
void BM_HistoryFeaturesFitTransform(benchmark::State& state) {
  FitTransform(state, kHistoryConfig);
}

BENCHMARK(BM_LosPipelineFitTransform)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_HistoryFeaturesFitTransform)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace staycast::features

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  for (const auto& [rows, path] : staycast::features::GeneratedPaths())
    std::filesystem::remove(path, ignored);
  return 0;
}
