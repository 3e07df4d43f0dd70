// Internal to the report: the chart sections (regression, classification, importance), each a
// sequence of <figure> elements with one <svg class="chart"> inside.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace staycast::report::internal {

inline constexpr const char* kBlue = "#1f6fb2";
inline constexpr const char* kOrange = "#e07b00";
inline constexpr const char* kGrey = "#888888";
inline constexpr const char* kRed = "#c0392b";
inline constexpr const char* kGreen = "#2e8b57";

// A figure with the chart and a caption saying how to read it.
std::string Figure(const std::string& svg, const std::string& caption);
double Get(const nlohmann::json& j, const char* key, double fallback = 0);
std::string Fmt(double v, int digits = 3);

std::string RegressionCharts(const nlohmann::json& evaluation);
std::string ClassificationCharts(const nlohmann::json& evaluation);
std::string ImportanceCharts(const nlohmann::json& evaluation);

}  // namespace staycast::report::internal
