// Placeholder until the SQLite source lands.
#include "src/data/sql.h"

namespace staycast::data {
StatusOr<Table> ReadSqlite(const Location& l, const ReadOptions&) {
  return FailedPreconditionError(l.target + ": SQLite is not built yet");
}
StatusOr<std::unique_ptr<TableWriter>> OpenSqliteWriter(const Location& l, const Schema&,
                                                        const WriteOptions&) {
  return FailedPreconditionError(l.target + ": SQLite is not built yet");
}
}  // namespace staycast::data
