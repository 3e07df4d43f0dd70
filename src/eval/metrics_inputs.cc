// Validation of metric inputs: lengths, NaN, 0/1 outcomes, probabilities in [0, 1], hard labels.
#include "src/eval/metrics_inputs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "fmt/format.h"

namespace staycast::eval {
namespace {

Status CheckSizes(size_t a, const char* a_name, size_t b, const char* b_name) {
  if (a != b) {
    return InvalidArgumentError(
        fmt::format("length mismatch: {} {} but {} {}", a, a_name, b, b_name));
  }
  if (a == 0) return InvalidArgumentError(fmt::format("no rows: {} is empty", a_name));
  if (a >= std::numeric_limits<uint32_t>::max()) {
    return InvalidArgumentError(fmt::format("too many rows ({}) for the metrics library", a));
  }
  return OkStatus();
}

Status CheckFinite(std::span<const double> v, const char* name) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      return InvalidArgumentError(
          fmt::format("{}: row {} is {}, expected a finite number", name, i, v[i]));
    }
  }
  return OkStatus();
}

}  // namespace

Status CheckRowCounts(RowCounts counts, size_t rows) {
  if (!counts.empty() && counts.size() != rows) {
    return InvalidArgumentError(
        fmt::format("row counts: {} entries for {} rows", counts.size(), rows));
  }
  return OkStatus();
}

StatusOr<BinaryPredictions> BinaryPredictions::Create(std::span<const double> outcomes,
                                                      std::span<const double> probabilities,
                                                      const ProbabilityOptions& options) {
  RETURN_IF_ERROR(
      CheckSizes(outcomes.size(), "outcomes", probabilities.size(), "predicted probabilities"));
  BinaryPredictions data;
  data.outcomes_.resize(outcomes.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const double y = outcomes[i];
    if (y != 0.0 && y != 1.0) {
      return InvalidArgumentError(fmt::format("outcomes: row {} is {}, expected 0 or 1", i, y));
    }
    data.outcomes_[i] = y == 1.0 ? 1 : 0;
  }
  bool only_zero_one = true;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const double p = probabilities[i];
    if (std::isnan(p) || p < 0.0 || p > 1.0) {
      return InvalidArgumentError(fmt::format(
          "predicted probabilities: row {} is {}, expected a probability in [0, 1]", i, p));
    }
    if (p != 0.0 && p != 1.0) only_zero_one = false;
  }
  if (only_zero_one && options.hard_labels == HardLabelPolicy::kRefuse) {
    return InvalidArgumentError(
        "predicted probabilities are all exactly 0 or 1: these look like hard class labels, "
        "not probabilities. ROC-AUC, PR-AUC, Brier score and calibration need the predicted "
        "probability of the positive class (e.g. predict_proba); pass HardLabelPolicy::kAllow "
        "only if the model really outputs 0/1");
  }
  data.probabilities_.assign(probabilities.begin(), probabilities.end());
  data.SortDescending();
  return data;
}

void BinaryPredictions::SortDescending() {
  descending_.resize(probabilities_.size());
  std::iota(descending_.begin(), descending_.end(), 0U);
  std::stable_sort(descending_.begin(), descending_.end(), [this](uint32_t a, uint32_t b) {
    return probabilities_[a] > probabilities_[b];
  });
  sorted_probabilities_.resize(descending_.size());
  sorted_outcomes_.resize(descending_.size());
  for (size_t k = 0; k < descending_.size(); ++k) {
    sorted_probabilities_[k] = probabilities_[descending_[k]];
    sorted_outcomes_[k] = outcomes_[descending_[k]];
  }
}

StatusOr<BinaryPredictions> BinaryPredictions::Subset(std::span<const uint32_t> rows) const {
  if (rows.empty()) return InvalidArgumentError("subset: no rows");
  BinaryPredictions data;
  data.outcomes_.reserve(rows.size());
  data.probabilities_.reserve(rows.size());
  for (uint32_t r : rows) {
    if (r >= size()) {
      return InvalidArgumentError(fmt::format("subset: row {} of {} rows", r, size()));
    }
    data.outcomes_.push_back(outcomes_[r]);
    data.probabilities_.push_back(probabilities_[r]);
  }
  data.SortDescending();
  return data;
}

StatusOr<RegressionPredictions> RegressionPredictions::Create(std::span<const double> actual,
                                                              std::span<const double> predicted) {
  RETURN_IF_ERROR(CheckSizes(actual.size(), "actual values", predicted.size(), "predictions"));
  RETURN_IF_ERROR(CheckFinite(actual, "actual values"));
  RETURN_IF_ERROR(CheckFinite(predicted, "predictions"));
  RegressionPredictions data;
  data.actual_.assign(actual.begin(), actual.end());
  data.predicted_.assign(predicted.begin(), predicted.end());
  data.SortByAbsError();
  return data;
}

StatusOr<RegressionPredictions> RegressionPredictions::CreateWithInterval(
    std::span<const double> actual, std::span<const double> predicted,
    std::span<const double> lower, std::span<const double> upper) {
  ASSIGN_OR_RETURN(RegressionPredictions data, Create(actual, predicted));
  if (lower.empty() && upper.empty()) return data;
  RETURN_IF_ERROR(
      CheckSizes(actual.size(), "actual values", lower.size(), "interval lower bounds"));
  RETURN_IF_ERROR(
      CheckSizes(actual.size(), "actual values", upper.size(), "interval upper bounds"));
  RETURN_IF_ERROR(CheckFinite(lower, "interval lower bounds"));
  RETURN_IF_ERROR(CheckFinite(upper, "interval upper bounds"));
  for (size_t i = 0; i < lower.size(); ++i) {
    if (lower[i] > upper[i]) {
      return InvalidArgumentError(
          fmt::format("prediction interval: row {} has lower bound {} above upper bound {}", i,
                      lower[i], upper[i]));
    }
  }
  data.lower_.assign(lower.begin(), lower.end());
  data.upper_.assign(upper.begin(), upper.end());
  return data;
}

void RegressionPredictions::SortByAbsError() {
  std::vector<double> err(actual_.size());
  for (size_t i = 0; i < err.size(); ++i) err[i] = std::fabs(predicted_[i] - actual_[i]);
  by_abs_error_.resize(err.size());
  std::iota(by_abs_error_.begin(), by_abs_error_.end(), 0U);
  std::stable_sort(by_abs_error_.begin(), by_abs_error_.end(),
                   [&err](uint32_t a, uint32_t b) { return err[a] < err[b]; });
  sorted_abs_error_.resize(err.size());
  for (size_t k = 0; k < err.size(); ++k) sorted_abs_error_[k] = err[by_abs_error_[k]];
}

StatusOr<RegressionPredictions> RegressionPredictions::Subset(
    std::span<const uint32_t> rows) const {
  if (rows.empty()) return InvalidArgumentError("subset: no rows");
  RegressionPredictions data;
  for (uint32_t r : rows) {
    if (r >= size()) {
      return InvalidArgumentError(fmt::format("subset: row {} of {} rows", r, size()));
    }
    data.actual_.push_back(actual_[r]);
    data.predicted_.push_back(predicted_[r]);
    if (has_interval()) {
      data.lower_.push_back(lower_[r]);
      data.upper_.push_back(upper_[r]);
    }
  }
  data.SortByAbsError();
  return data;
}

}  // namespace staycast::eval
