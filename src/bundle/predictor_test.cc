// ToModelMatrix: the row-major float matrix the models read, on one thread or several.
#include "src/bundle/predictor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace staycast::bundle {
namespace {

features::FeatureMatrix Columns(size_t rows, size_t cols) {
  features::FeatureMatrix f;
  f.num_rows = rows;
  for (size_t j = 0; j < cols; ++j) {
    std::vector<double> col(rows);
    for (size_t r = 0; r < rows; ++r)
      col[r] = static_cast<double>(r) * 0.5 + static_cast<double>(j);
    f.columns.push_back(std::move(col));
  }
  return f;
}

TEST(ToModelMatrixTest, EveryThreadCountGivesTheTransposedValues) {
  // Not a multiple of the 128-row blocks, and large enough to be split.
  const size_t rows = features::FeaturePipeline::kParallelRows * 2 + 77;
  const features::FeatureMatrix f = Columns(rows, 3);
  for (int threads : {1, 2, 3}) {
    const models::Matrix m = ToModelMatrix(f, nullptr, threads);
    ASSERT_EQ(m.rows, rows);
    ASSERT_EQ(m.cols, 3u);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t j = 0; j < 3; ++j) {
        ASSERT_EQ(m.values[r * 3 + j], static_cast<float>(f.columns[j][r]))
            << "threads " << threads << " row " << r << " col " << j;
      }
    }
  }
}

TEST(ToModelMatrixTest, SelectedRowsKeepTheirOrderOnEveryThreadCount) {
  const size_t rows = features::FeaturePipeline::kParallelRows * 3;
  const features::FeatureMatrix f = Columns(rows, 2);
  std::vector<size_t> selected;  // unsorted: every third row, back to front
  for (size_t r = rows; r >= 3; r -= 3) selected.push_back(r - 3);
  for (int threads : {1, 2}) {
    const models::Matrix m = ToModelMatrix(f, &selected, threads);
    ASSERT_EQ(m.rows, selected.size());
    for (size_t i = 0; i < selected.size(); ++i) {
      for (size_t j = 0; j < 2; ++j) {
        ASSERT_EQ(m.values[i * 2 + j], static_cast<float>(f.columns[j][selected[i]]))
            << "threads " << threads << " output row " << i;
      }
    }
  }
}

}  // namespace
}  // namespace staycast::bundle
