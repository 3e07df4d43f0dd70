// Small fork-join helpers for the batch paths (CSV read and write, feature transforms, the model
// matrix, tree scoring): the caller's thread works too, the others are joined before returning.
// No pool: each call starts its threads (tens of microseconds, against work of milliseconds).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace staycast {

// Runs task(i) for every i in [0, n) on up to `threads` threads, each taking the next index (for
// tasks of uneven size). An exception from a task stops the others taking new indices and is
// rethrown here once all have stopped.
template <typename Task>
void ParallelFor(size_t n, int threads, const Task& task) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  const auto worker = [&] {
    for (size_t i = next++; i < n && !failed; i = next++) {
      try {
        task(i);
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < std::min(n, static_cast<size_t>(std::max(threads, 1))); ++t) {
    pool.emplace_back(worker);
  }
  worker();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Splits [0, n) into at most `threads` contiguous ranges, each a whole number of `granule`s except
// the last, and runs task(begin, end) for each (for even work over rows: each thread keeps its
// own stretch of memory). One range, on the caller's thread, when threads <= 1.
template <typename Task>
void ParallelRanges(size_t n, int threads, size_t granule, const Task& task) {
  const size_t parts = std::max<size_t>(1, static_cast<size_t>(std::max(threads, 1)));
  const size_t granules = (n + granule - 1) / granule;
  const size_t per = std::max<size_t>(1, (granules + parts - 1) / parts) * granule;
  std::vector<std::thread> pool;
  for (size_t begin = per; begin < n; begin += per) {
    pool.emplace_back([&task, begin, end = std::min(n, begin + per)] { task(begin, end); });
  }
  task(0, std::min(n, per));
  for (std::thread& t : pool) t.join();
}

// Tables at least this long are worth splitting across threads (feature transforms, the model
// matrix); below it, starting threads costs more than they save.
inline constexpr size_t kMinParallelRows = 20000;

}  // namespace staycast
