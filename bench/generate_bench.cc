// Benchmarks of the synthetic generator in memory: whole admissions-table chunks (rows/s), and the
// patient simulation alone, to see what building the table costs.
#include <benchmark/benchmark.h>

#include <vector>

#include "src/synth/generator.h"
#include "src/synth/patient.h"

namespace staycast::synth {
namespace {

void BM_GenerateChunks(benchmark::State& state) {
  GeneratorOptions options;
  options.rows = state.range(0);
  options.seed = 1;
  options.chunk_rows = static_cast<size_t>(state.range(1));
  int64_t rows = 0;
  for (auto _ : state) {
    StatusOr<std::unique_ptr<Generator>> generator = Generator::Create(options);
    if (!generator.ok()) {
      state.SkipWithError(generator.status().message().c_str());
      return;
    }
    data::Table chunk;
    while ((*generator)->Next(&chunk)) benchmark::DoNotOptimize(chunk.num_rows());
    rows += (*generator)->stats().rows;
  }
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_GenerateChunks)
    ->Args({200000, 2048})  // the default chunk size
    ->Args({200000, 8192})
    ->Args({200000, 65536})
    ->Unit(benchmark::kMillisecond);

void BM_SimulatePatients(benchmark::State& state) {
  const GeneratorOptions defaults;
  const Window window{defaults.start, WindowEnd(defaults.start, defaults.years), kMissingTime};
  PatientSimulator simulator(window, 1);
  std::vector<Admission> admissions;
  uint64_t index = 0;
  int64_t rows = 0;
  for (auto _ : state) {
    simulator.Simulate(index++, &admissions);
    rows += static_cast<int64_t>(admissions.size());
  }
  // Items are written admissions (rows), as in BM_GenerateChunks.
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_SimulatePatients);

}  // namespace
}  // namespace staycast::synth
