// Placeholder until the CSV reader lands.
#include "src/data/csv.h"

#include "src/core/env.h"

namespace staycast::data {
StatusOr<Table> ReadCsv(const std::string& path, const ReadOptions&) {
  if (!Env::Default()->FileExists(path)) return NotFoundError(path + ": no such file");
  return FailedPreconditionError(path + ": CSV reading is not built yet");
}
StatusOr<std::unique_ptr<TableWriter>> OpenCsvWriter(const std::string& path, const Schema&,
                                                     const WriteOptions&) {
  return FailedPreconditionError(path + ": CSV writing is not built yet");
}
}  // namespace staycast::data
