// CSV files as tables: an RFC 4180 reader with type inference and a streaming, atomic writer.
#pragma once

#include <memory>
#include <string>

#include "src/core/status.h"
#include "src/data/io.h"
#include "src/data/table.h"

namespace staycast::data {

// Reads a whole CSV file; types are inferred per column unless overridden in `options`.
StatusOr<Table> ReadCsv(const std::string& path, const ReadOptions& options = {});

// Opens a CSV writer that writes a header for `schema`, then each chunk; the file appears only at
// Commit().
StatusOr<std::unique_ptr<TableWriter>> OpenCsvWriter(const std::string& path, const Schema& schema,
                                                     const WriteOptions& options = {});

}  // namespace staycast::data
