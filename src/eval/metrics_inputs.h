// Validated inputs for the metrics library: binary outcomes with predicted probabilities, and
// actual vs predicted values for regression. Every metric takes one of these, so checks happen
// once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "src/core/status.h"

namespace staycast::eval {

// How many times each row counts, e.g. in a bootstrap replicate (row i is taken counts[i] times).
// Empty means every row once. When not empty its size must equal the data's size.
using RowCounts = std::span<const uint32_t>;

// Scores that are all exactly 0 or 1 look like hard class labels, on which ROC-AUC, Brier score and
// calibration are meaningless. They are refused unless the caller says the model really outputs
// 0/1.
enum class HardLabelPolicy { kRefuse, kAllow };

struct ProbabilityOptions {
  HardLabelPolicy hard_labels = HardLabelPolicy::kRefuse;
};

// Binary outcomes (0/1) and the predicted probability of outcome 1 for each row. Immutable; holds a
// copy of the data plus the rows ordered by decreasing probability (for ranking metrics).
// Thread-compatible: const methods may be called concurrently.
class BinaryPredictions {
 public:
  // Fails (InvalidArgument) on different lengths, no rows, an outcome other than 0 or 1, a
  // probability that is NaN or outside [0, 1], or, under kRefuse, probabilities that are all 0/1.
  // Messages name the first offending row (0-based).
  static StatusOr<BinaryPredictions> Create(std::span<const double> outcomes,
                                            std::span<const double> probabilities,
                                            const ProbabilityOptions& options = {});

  size_t size() const { return outcomes_.size(); }
  std::span<const uint8_t> outcomes() const { return outcomes_; }
  std::span<const double> probabilities() const { return probabilities_; }
  // Row indices by decreasing probability; equal probabilities are adjacent (ties).
  std::span<const uint32_t> descending() const { return descending_; }
  // Probabilities and outcomes in that order (descending_probabilities()[k] is the probability of
  // row descending()[k]).
  std::span<const double> descending_probabilities() const { return sorted_probabilities_; }
  std::span<const uint8_t> descending_outcomes() const { return sorted_outcomes_; }
  // The rows listed (0-based, may repeat), as a new data set in that order.
  StatusOr<BinaryPredictions> Subset(std::span<const uint32_t> rows) const;

 private:
  BinaryPredictions() = default;
  void SortDescending();

  std::vector<uint8_t> outcomes_;
  std::vector<double> probabilities_;
  std::vector<uint32_t> descending_;
  std::vector<double> sorted_probabilities_;
  std::vector<uint8_t> sorted_outcomes_;
};

// Actual and predicted values for regression, optionally with a prediction interval per row.
// Immutable; also holds the rows ordered by absolute error (for the median absolute error).
class RegressionPredictions {
 public:
  // Fails (InvalidArgument) on different lengths, no rows, or a non-finite value (naming the row).
  static StatusOr<RegressionPredictions> Create(std::span<const double> actual,
                                                std::span<const double> predicted);
  // With a prediction interval [lower, upper] per row; fails also when lower > upper. Both spans
  // empty means no interval (the same as Create).
  static StatusOr<RegressionPredictions> CreateWithInterval(std::span<const double> actual,
                                                            std::span<const double> predicted,
                                                            std::span<const double> lower,
                                                            std::span<const double> upper);

  size_t size() const { return actual_.size(); }
  bool has_interval() const { return !lower_.empty(); }
  std::span<const double> actual() const { return actual_; }
  std::span<const double> predicted() const { return predicted_; }
  std::span<const double> lower() const { return lower_; }
  std::span<const double> upper() const { return upper_; }
  // Row indices by increasing |predicted - actual|.
  std::span<const uint32_t> by_abs_error() const { return by_abs_error_; }
  // |error| of the rows in that order (a sequential walk for medians).
  std::span<const double> sorted_abs_error() const { return sorted_abs_error_; }
  StatusOr<RegressionPredictions> Subset(std::span<const uint32_t> rows) const;

 private:
  RegressionPredictions() = default;
  void SortByAbsError();

  std::vector<double> actual_, predicted_, lower_, upper_;
  std::vector<uint32_t> by_abs_error_;
  std::vector<double> sorted_abs_error_;
};

// Checks that counts is empty or has `rows` entries; the message names `what`.
Status CheckRowCounts(RowCounts counts, size_t rows);

}  // namespace staycast::eval
