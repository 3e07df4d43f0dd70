// The comparison table printed by `staycast train`: every model's validation and test metrics,
// baselines beside them, fit time, and the chosen model's final test metrics.
#include <fmt/format.h>

#include "src/train/trainer.h"

namespace staycast::train {
namespace {

std::string Cell(const nlohmann::json& metrics, const std::string& key) {
  if (!metrics.is_object() || !metrics.contains(key) || !metrics[key].is_number()) return "-";
  return fmt::format("{:.4f}", metrics[key].get<double>());
}

}  // namespace

std::string FormatComparison(const TrainResult& r) {
  const bool regression = r.config.task == models::Task::kRegression;
  const std::vector<std::string> keys =
      regression ? std::vector<std::string>{"mae", "rmse", "r2"}
                 : std::vector<std::string>{"pr_auc", "roc_auc", "brier"};
  std::string out;
  std::string header = fmt::format("{:<24} {:<18}", "model", "type");
  for (const std::string& k : keys) header += fmt::format(" {:>10}", "val " + k);
  for (const std::string& k : keys) header += fmt::format(" {:>10}", "test " + k);
  header += fmt::format(" {:>8}", "fit s");
  out += header + "\n" + std::string(header.size(), '-') + "\n";
  for (const ModelResult& m : r.models) {
    std::string name = (m.name == r.chosen ? "* " : "  ") + m.name;
    std::string line = fmt::format("{:<24} {:<18}", name, m.baseline ? m.type + " (base)" : m.type);
    for (const std::string& k : keys) line += fmt::format(" {:>10}", Cell(m.valid, k));
    for (const std::string& k : keys) line += fmt::format(" {:>10}", Cell(m.test, k));
    line += fmt::format(" {:>8.2f}", m.fit_seconds);
    out += line + "\n";
  }
  out += fmt::format(
      "\n* chosen by validation {} ({}); ties within 0.1% go to the simpler model.\n",
      r.config.primary_metric, r.config.greater_is_better ? "higher is better" : "lower is better");
  const nlohmann::json& t = r.final_test;
  if (regression) {
    out += fmt::format("chosen on test: MAE {} days, RMSE {}, R2 {}", Cell(t, "mae"),
                       Cell(t, "rmse"), Cell(t, "r2"));
    if (t.contains("coverage")) {
      out +=
          fmt::format("; {:.0f}% interval coverage {}, mean width {} days",
                      100 * r.config.interval_coverage, Cell(t, "coverage"), Cell(t, "mean_width"));
    }
  } else {
    out += fmt::format(
        "chosen on test (calibrated): prevalence {}, PR-AUC {}, ROC-AUC {}, Brier {}, "
        "calibration slope {}\n  at threshold {}: sensitivity {}, specificity {}, precision {}, "
        "accuracy {} (always-negative accuracy would be {:.4f})",
        Cell(t, "prevalence"), Cell(t, "pr_auc"), Cell(t, "roc_auc"), Cell(t, "brier"),
        Cell(t, "calibration_slope"), Cell(t, "threshold"), Cell(t, "sensitivity"),
        Cell(t, "specificity"), Cell(t, "precision"), Cell(t, "accuracy"),
        t.contains("prevalence") ? 1.0 - t["prevalence"].get<double>() : 0.0);
  }
  out += "\n";
  for (const ModelResult& m : r.models) {
    if (m.search.is_null()) continue;
    const nlohmann::json& s = m.search;
    const nlohmann::json& best = s["best"];
    std::string params;
    for (const auto& [key, value] : best["params"].items()) {
      params += (params.empty() ? "" : ", ") + key + "=" +
                (value.is_number_float() ? fmt::format("{:.4g}", value.get<double>())
                 : value.is_string()     ? value.get<std::string>()
                                         : value.dump());
    }
    out += fmt::format(
        "search {}: {} search, {} trials in {:.1f} s{}, {}-fold {}CV on train rows: best cv {} "
        "{:.4f} ± {:.4f} (trial {}: {})\n",
        m.name, s["method"].get<std::string>(), s["trials_run"].get<size_t>(),
        s["seconds"].get<double>(),
        s["stopped_by"] == "time_budget" ? " (stopped by the time budget)" : "",
        s["folds"].get<int>(), s["grouped"].get<bool>() ? "grouped " : "", r.config.primary_metric,
        best["cv_mean"].get<double>(), best["cv_sd"].get<double>(), best["trial"].get<size_t>(),
        params.empty() ? "the configured params" : params);
  }
  for (const std::string& note : r.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace staycast::train
