// Placeholder until the PostgreSQL source lands.
#include "src/data/sql.h"

namespace staycast::data {
StatusOr<Table> ReadPostgres(const Location& l, const ReadOptions&) {
  return FailedPreconditionError(l.target + ": PostgreSQL is not built yet");
}
StatusOr<std::unique_ptr<TableWriter>> OpenPostgresWriter(const Location& l, const Schema&,
                                                          const WriteOptions&) {
  return FailedPreconditionError(l.target + ": PostgreSQL is not built yet");
}
}  // namespace staycast::data
