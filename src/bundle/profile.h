// The input schema and the reference profile of a bundle: what the training data looked like
// (columns, types, allowed categories, ranges, missing rates; per-feature quantiles and histograms;
// the prediction distribution), so that serving can flag odd inputs and monitoring can measure
// drift.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "src/data/table.h"
#include "src/features/config.h"
#include "src/features/feature_matrix.h"

namespace staycast::bundle {

// Categorical columns with more distinct training values than this keep no allowed-category list.
inline constexpr size_t kMaxAllowedCategories = 500;

// One entry per column the pipeline reads: name, type, role, availability, whether it is needed in
// the row being predicted (`required`: known at the prediction time) or only in history rows, and
// from the training rows its missing rate, allowed categories or numeric range.
nlohmann::json BuildInputSchema(const features::RunConfig& config, const data::Table& train);

// Quantiles, a 10-bin histogram and the missing rate of each output feature, and the same for
// the predictions.
nlohmann::json BuildReferenceProfile(const features::FeatureMatrix& train,
                                     const std::vector<double>& predictions);

// A distribution summary of one numeric vector (NaN = missing): quantiles, histogram, missing rate.
nlohmann::json ProfileValues(const std::vector<double>& values);

}  // namespace staycast::bundle
