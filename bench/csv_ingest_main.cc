// csv_ingest: times Staycast reading one CSV file into a Table, for bench/peers/csv_ingest.py, and
// writes admissions-shaped CSV files to time.
//   csv_ingest generate ROWS SEED OUT
//   csv_ingest read FILE [--admissions-types] [--chunked]
// `read` prints one line: "seconds=S cpu_seconds=C mb_per_s=X rows=N bytes=B" (wall-clock
// seconds, this process's CPU seconds, MB/s by the wall clock). --admissions-types reads with the
// admissions schema as type overrides (code lists split into string lists) instead of inferring.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "bench/admissions_csv.h"
#include "src/core/env.h"
#include "src/data/admissions.h"
#include "src/data/csv.h"

namespace staycast::bench {
namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: csv_ingest generate ROWS SEED OUT\n"
               "       csv_ingest read FILE [--admissions-types] [--chunked]\n");
  return 2;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "csv_ingest: %s\n", status.ToString().c_str());
  return ExitCodeFor(status);
}

// Reads the file and returns the number of rows. The whole table is freed by the caller, after the
// clock stops (as pandas' timing excludes freeing the DataFrame).
StatusOr<size_t> ReadAll(const std::string& path, const data::ReadOptions& options, bool chunked,
                         data::Table* table) {
  if (!chunked) {
    ASSIGN_OR_RETURN(*table, data::ReadCsv(path, options));
    return table->num_rows();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<data::CsvChunkReader> reader,
                   data::CsvChunkReader::Open(path, options));
  size_t rows = 0;
  data::Table chunk;
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, reader->Next(&chunk));
    if (!more) return rows;
    rows += chunk.num_rows();
  }
}

int Main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string command = argv[1];
  if (command == "generate") {
    if (argc != 5) return Usage();
    const Status status = WriteAdmissionsCsv(argv[4], std::strtoull(argv[2], nullptr, 10),
                                             std::strtoull(argv[3], nullptr, 10));
    return status.ok() ? 0 : Fail(status);
  }
  if (command != "read") return Usage();
  const std::string path = argv[2];
  data::ReadOptions options;
  bool chunked = false;
  for (int i = 3; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--chunked") {
      chunked = true;
    } else if (flag == "--admissions-types") {
      for (const data::Field& f : data::admissions::AdmissionsSchema().fields) {
        options.type_overrides[f.name] = f.type;
      }
    } else {
      return Usage();
    }
  }
  const StatusOr<uint64_t> bytes = Env::Default()->FileSize(path);
  if (!bytes.ok()) return Fail(bytes.status());
  data::Table table;
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  const StatusOr<size_t> rows = ReadAll(path, options, chunked, &table);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (!rows.ok()) return Fail(rows.status());
  std::printf("seconds=%.4f cpu_seconds=%.4f mb_per_s=%.1f rows=%zu bytes=%llu\n", seconds,
              cpu_seconds, static_cast<double>(*bytes) / 1e6 / seconds, *rows,
              static_cast<unsigned long long>(*bytes));
  // Exit without freeing the table: nothing is measured after this point, and profiles of this
  // tool then show only the read.
  std::fflush(stdout);
  std::_Exit(0);
}

}  // namespace
}  // namespace staycast::bench

int main(int argc, char** argv) { return staycast::bench::Main(argc, argv); }
