// ParallelFor and ParallelRanges: every index or row exactly once, and a task's exception rethrown.
#include "src/core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace staycast {
namespace {

TEST(ParallelForTest, RunsEveryIndexOnce) {
  for (int threads : {1, 2, 5}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{100}}) {
      std::vector<std::atomic<int>> seen(n);
      ParallelFor(n, threads, [&](size_t i) { ++seen[i]; });
      for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << threads << " threads, n " << n;
    }
  }
}

TEST(ParallelForTest, RethrowsATasksException) {
  EXPECT_THROW(ParallelFor(50, 3,
                           [](size_t i) {
                             if (i == 17) throw std::runtime_error("task 17");
                           }),
               std::runtime_error);
}

TEST(ParallelRangesTest, CoversEveryRowOnceInWholeGranules) {
  for (int threads : {1, 2, 3, 8}) {
    for (size_t n : {size_t{0}, size_t{5}, size_t{128}, size_t{1000}, size_t{4097}}) {
      std::vector<std::atomic<int>> seen(n);
      std::atomic<int> ranges{0};
      ParallelRanges(n, threads, 64, [&](size_t begin, size_t end) {
        EXPECT_EQ(begin % 64, 0u);
        EXPECT_LE(end, n);
        ++ranges;
        for (size_t i = begin; i < end; ++i) ++seen[i];
      });
      EXPECT_LE(ranges, threads < 1 ? 1 : threads);
      for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << threads << " threads, n " << n;
    }
  }
}

}  // namespace
}  // namespace staycast
