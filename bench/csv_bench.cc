// CSV ingestion kernels: MB/s of ReadCsv (inferring types, and with the admissions schema), of the
// chunked reader, and of the writer, on a generated admissions-shaped file (100k rows, ~15 MB).
// Rates are per CPU second (Google Benchmark's default); on a busy machine wall time is longer.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "bench/admissions_csv.h"
#include "src/core/env.h"
#include "src/data/admissions.h"
#include "src/data/csv.h"

namespace staycast::bench {
namespace {

constexpr size_t kRows = 100000;
constexpr uint64_t kSeed = 42;

// The generated file, made once per process and removed at exit.
class AdmissionsFile {
 public:
  AdmissionsFile()
      : path_((std::filesystem::temp_directory_path() /
               ("staycast_csv_bench_" + std::to_string(::getpid()) + ".csv"))
                  .string()) {
    const Status status = WriteAdmissionsCsv(path_, kRows, kSeed);
    if (!status.ok()) {
      std::fprintf(stderr, "csv_bench: %s\n", status.ToString().c_str());
      std::exit(1);
    }
    bytes_ = *Env::Default()->FileSize(path_);
  }
  ~AdmissionsFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  int64_t bytes() const { return static_cast<int64_t>(bytes_); }

 private:
  std::string path_;
  uint64_t bytes_ = 0;
};

const AdmissionsFile& File() {
  static const AdmissionsFile file;
  return file;
}

data::ReadOptions AdmissionsTypes() {
  data::ReadOptions options;
  for (const data::Field& f : data::admissions::AdmissionsSchema().fields) {
    options.type_overrides[f.name] = f.type;
  }
  return options;
}

// Freeing the previous table is kept out of the timing (as pandas' timing excludes freeing frames).
void ReadWhole(benchmark::State& state, const data::ReadOptions& options) {
  const AdmissionsFile& file = File();
  std::optional<StatusOr<data::Table>> table;
  for (auto _ : state) {
    state.PauseTiming();
    table.reset();
    state.ResumeTiming();
    table.emplace(data::ReadCsv(file.path(), options));
    if (!table->ok()) state.SkipWithError(table->status().ToString().c_str());
  }
  state.SetBytesProcessed(state.iterations() * file.bytes());
}

void BM_ReadCsvInferred(benchmark::State& state) { ReadWhole(state, {}); }
void BM_ReadCsvAdmissionsTypes(benchmark::State& state) { ReadWhole(state, AdmissionsTypes()); }

void BM_CsvChunkReader(benchmark::State& state) {
  const AdmissionsFile& file = File();
  for (auto _ : state) {
    StatusOr<std::unique_ptr<data::CsvChunkReader>> reader =
        data::CsvChunkReader::Open(file.path(), AdmissionsTypes());
    if (!reader.ok()) state.SkipWithError(reader.status().ToString().c_str());
    data::Table chunk;
    while (reader.ok()) {
      const StatusOr<bool> more = (*reader)->Next(&chunk);
      if (!more.ok() || !*more) break;
    }
  }
  state.SetBytesProcessed(state.iterations() * file.bytes());
}

void BM_WriteCsv(benchmark::State& state) {
  const AdmissionsFile& file = File();
  const StatusOr<data::Table> table = data::ReadCsv(file.path(), AdmissionsTypes());
  if (!table.ok()) {
    state.SkipWithError(table.status().ToString().c_str());
    return;
  }
  const std::string out = file.path() + ".out.csv";
  for (auto _ : state) {
    const Status status = data::WriteTable(*table, out);
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  std::remove(out.c_str());
  state.SetBytesProcessed(state.iterations() * file.bytes());
}

BENCHMARK(BM_ReadCsvInferred)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadCsvAdmissionsTypes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvChunkReader)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteCsv)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace staycast::bench

BENCHMARK_MAIN();
