// The report's charts: predicted vs actual, residuals, error and coverage by LOS band; ROC, PR,
// calibration with histogram, decision curve, confusion matrix; importance and SHAP summary.
#include "src/report/report_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "src/report/svg_plot.h"

namespace staycast::report::internal {
namespace {

constexpr uint64_t kMinBinRows = 10;

std::vector<double> Column(const nlohmann::json& points, size_t k) {
  std::vector<double> out;
  for (const nlohmann::json& p : points) out.push_back(p[k].get<double>());
  return out;
}

std::vector<double> Doubles(const nlohmann::json& a) {
  std::vector<double> out;
  for (const nlohmann::json& v : a) out.push_back(v.is_number() ? v.get<double>() : NAN);
  return out;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

// A horizontal bar chart of named values (largest first), at most `top` bars.
std::string HorizontalBars(const std::string& id, const std::string& title,
                           const std::vector<std::string>& names, const std::vector<double>& values,
                           const std::vector<double>* errors, const std::string& x_label,
                           const std::string& color, size_t top) {
  std::vector<size_t> order(names.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] > values[b]; });
  order.resize(std::min(order.size(), top));
  double hi = 0;
  for (size_t i : order) {
    hi = std::max(hi, values[i] + (errors != nullptr ? (*errors)[i] : 0));
  }
  const int rows = static_cast<int>(order.size());
  SvgPlot plot(id, title, 0, hi > 0 ? hi * 1.05 : 1, -0.5, rows - 0.5);
  plot.set_size(520, 60 + 22 * rows);
  plot.set_labels(x_label, "");
  std::vector<std::string> categories(rows);
  for (int k = 0; k < rows; ++k) categories[rows - 1 - k] = names[order[k]];
  plot.set_y_categories(categories);
  for (int k = 0; k < rows; ++k) {
    const size_t i = order[k];
    const double y = rows - 1 - k;
    plot.Rect(0, std::max(0.0, values[i]), y - 0.35, y + 0.35, color, 0.85,
              fmt::format("{}: {}", names[i], Fmt(values[i], 4)));
    if (errors != nullptr && (*errors)[i] > 0) {
      plot.Segment(std::max(0.0, values[i] - (*errors)[i]), y, values[i] + (*errors)[i], y, "#333",
                   1);
    }
  }
  return plot.Render();
}

}  // namespace

std::string Figure(const std::string& svg, const std::string& caption) {
  return "<figure>" + svg + "<figcaption>" + caption + "</figcaption></figure>\n";
}

double Get(const nlohmann::json& j, const char* key, double fallback) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

std::string Fmt(double v, int digits) {
  if (!std::isfinite(v)) return "–";
  return fmt::format("{:.{}f}", v, digits);
}

std::string RegressionCharts(const nlohmann::json& e) {
  const nlohmann::json& r = e["regression"];
  std::string out;
  const std::vector<double> actual = Doubles(r["scatter"]["actual"]);
  const std::vector<double> predicted = Doubles(r["scatter"]["predicted"]);
  const double hi = std::max(Quantile(actual, 0.99), Quantile(predicted, 0.99)) * 1.05 + 0.5;
  {
    SvgPlot plot("chart-pred-vs-actual", "Predicted vs actual length of stay", 0, hi, 0, hi);
    plot.set_labels("actual (days)", "predicted (days)");
    if (r["scatter"].contains("lower")) {
      const std::vector<double> lo = Doubles(r["scatter"]["lower"]);
      const std::vector<double> up = Doubles(r["scatter"]["upper"]);
      for (size_t i = 0; i < actual.size() && i < 300; ++i) {
        if (actual[i] < hi)
          plot.Segment(actual[i], lo[i], actual[i], std::min(up[i], hi), "#c9dcef", 1);
      }
    }
    plot.Points(actual, predicted, kBlue, 2.0, 0.35);
    plot.Line({0, hi}, {0, hi}, kGrey, 1.5, true, "perfect prediction");
    out += Figure(plot.Render(),
                  fmt::format("{} of {} rows (sampled; axes cut at the 99th percentile). Points "
                              "on the dashed line are exact; light vertical bars are the "
                              "prediction intervals of the first 300.",
                              actual.size(), r["scatter"].value("of_rows", actual.size())));
  }
  {
    const nlohmann::json& h = r["residual_histogram"];
    const std::vector<double> counts = Doubles(h["counts"]);
    const double from = Get(h, "from"), width = Get(h, "width", 1);
    double top = 0;
    for (double c : counts) top = std::max(top, c);
    SvgPlot plot("chart-residuals", "Residuals (predicted - actual)", from,
                 from + width * static_cast<double>(counts.size()), 0, top * 1.1);
    plot.set_labels("days (negative = under-predicted)", "rows");
    for (size_t i = 0; i < counts.size(); ++i) {
      plot.Rect(from + width * i, from + width * (i + 1) - width * 0.05, 0, counts[i], kBlue, 0.8,
                fmt::format("{} rows", counts[i]));
    }
    plot.Line({0, 0}, {0, top * 1.1}, kGrey, 1.5, true);
    out += Figure(plot.Render(),
                  "Long stays are under-predicted: the long left tail is the price of predicting "
                  "at admission.");
  }
  {
    const nlohmann::json& bands = r["bands"];
    std::vector<std::string> names;
    double top = 0;
    for (const nlohmann::json& b : bands) {
      names.push_back(b["label"].get<std::string>());
      top = std::max(top, std::abs(Get(b, "mae")));
      top = std::max(top, std::abs(Get(b, "bias")));
    }
    const double n = static_cast<double>(names.size());
    SvgPlot plot("chart-error-by-band", "Error by length-of-stay band", -0.5, n - 0.5, -top * 1.1,
                 top * 1.15);
    plot.set_labels("actual length of stay", "days");
    plot.set_x_categories(names);
    for (size_t i = 0; i < bands.size(); ++i) {
      const double mae = Get(bands[i], "mae"), bias = Get(bands[i], "bias");
      plot.Rect(i - 0.38, i - 0.02, 0, mae, kBlue, 0.85,
                fmt::format("MAE {} days ({} rows)", Fmt(mae, 2), bands[i].value("count", 0)));
      plot.Rect(i + 0.02, i + 0.38, 0, bias, kOrange, 0.85,
                fmt::format("mean bias {} days", Fmt(bias, 2)));
    }
    plot.Line({-0.5, n - 0.5}, {0, 0}, "#555", 1);
    plot.Legend("MAE", kBlue);
    plot.Legend("bias (pred - actual)", kOrange);
    out += Figure(plot.Render(), "Mean absolute error (blue) and mean bias (orange) per band.");
  }
  if (r.contains("coverage")) {
    const nlohmann::json& c = r["coverage"];
    std::vector<std::string> names;
    for (const nlohmann::json& b : c["by_band"]) names.push_back(b["label"].get<std::string>());
    const double n = static_cast<double>(names.size());
    SvgPlot plot("chart-coverage", "Interval coverage by band", -0.5, n - 0.5, 0, 1.05);
    plot.set_labels("actual length of stay", "share of rows inside the interval");
    plot.set_x_categories(names);
    for (size_t i = 0; i < c["by_band"].size(); ++i) {
      const double cov = Get(c["by_band"][i], "coverage");
      plot.Rect(i - 0.35, i + 0.35, 0, cov, kGreen, 0.8,
                fmt::format("coverage {} , mean width {} days", Fmt(cov),
                            Fmt(Get(c["by_band"][i], "mean_width"), 2)));
    }
    const double nominal = Get(c, "nominal", 0);
    if (nominal > 0) plot.Line({-0.5, n - 0.5}, {nominal, nominal}, kRed, 1.5, true, "nominal");
    plot.Line({-0.5, n - 0.5}, {Get(c, "achieved"), Get(c, "achieved")}, kGrey, 1.5, false,
              "overall");
    out +=
        Figure(plot.Render(),
               fmt::format("Overall {} of actual stays fall inside their interval (nominal "
                           "{}), mean width {} days. Conformal intervals hold on average, not "
                           "in every band.",
                           Fmt(Get(c, "achieved")), Fmt(nominal, 2), Fmt(Get(c, "mean_width"), 2)));
  }
  return out;
}

std::string ClassificationCharts(const nlohmann::json& e) {
  const nlohmann::json& c = e["classification"];
  const double prevalence = Get(c, "prevalence");
  std::string out;
  if (c.contains("roc")) {
    SvgPlot plot("chart-roc", "ROC curve", 0, 1, 0, 1);
    plot.set_labels("false positive rate (1 - specificity)", "sensitivity");
    plot.Line({0, 1}, {0, 1}, kGrey, 1.5, true, "no skill");
    plot.Line(Column(c["roc"], 0), Column(c["roc"], 1), kBlue, 2.2, false, "model");
    out += Figure(plot.Render(), "ROC from predicted probabilities (never hard labels).");
  }
  if (c.contains("pr")) {
    SvgPlot plot("chart-pr", "Precision-recall curve", 0, 1, 0, 1);
    plot.set_labels("recall (sensitivity)", "precision (PPV)");
    plot.Line({0, 1}, {prevalence, prevalence}, kRed, 1.5, true,
              "prevalence " + Fmt(prevalence, 3));
    plot.Line(Column(c["pr"], 0), Column(c["pr"], 1), kBlue, 2.2, false, "model");
    out += Figure(plot.Render(),
                  "A model without skill sits on the red prevalence line; PR-AUC is judged "
                  "against it, not against 0.5.");
  }
  {
    const nlohmann::json& cal = c["calibration"];
    double max_p = 0.05;
    for (const nlohmann::json& b : cal["bins"]) {
      if (b["count"].get<uint64_t>() >= kMinBinRows) max_p = std::max(max_p, Get(b, "upper"));
    }
    double max_y = max_p;
    for (const nlohmann::json& b : cal["bins"]) {
      if (b["count"].get<uint64_t>() >= kMinBinRows)
        max_y = std::max(max_y, Get(b, "observed_rate"));
    }
    SvgPlot plot("chart-calibration", "Calibration", 0, max_p, 0, max_y * 1.05);
    plot.set_size(520, 380);
    plot.set_labels("predicted probability", "observed rate");
    // Histogram of predictions along the bottom (scaled to a fifth of the height).
    const std::vector<double> pos = Doubles(c["histogram"]["positive"]);
    const std::vector<double> neg = Doubles(c["histogram"]["negative"]);
    double top = 1;
    for (size_t i = 0; i < pos.size(); ++i) top = std::max(top, pos[i] + neg[i]);
    const double w = 1.0 / static_cast<double>(pos.size());
    for (size_t i = 0; i < pos.size(); ++i) {
      if (w * i >= max_p) break;
      const double h = (pos[i] + neg[i]) / top * max_p * 0.2;
      plot.Rect(
          w * i, std::min(max_p, w * (i + 1)) - w * 0.05, 0, h, "#b8c7d6", 0.9,
          fmt::format("{} predictions in [{:.2f}, {:.2f})", pos[i] + neg[i], w * i, w * (i + 1)));
    }
    plot.Line({0, max_p}, {0, max_p}, kGrey, 1.5, true, "perfect calibration");
    std::vector<double> xs, ys;
    for (const nlohmann::json& b : cal["bins"]) {
      if (b["count"].get<uint64_t>() < kMinBinRows) continue;
      xs.push_back(Get(b, "mean_predicted"));
      ys.push_back(Get(b, "observed_rate"));
    }
    plot.Line(xs, ys, kBlue, 2, false, "model (10 bins)");
    plot.Points(xs, ys, kBlue, 3.5, 0.9);
    out += Figure(plot.Render(),
                  fmt::format("Observed rate per bin of predicted risk; grey bars: how many "
                              "predictions fall in each range (bins with under 10 rows not drawn). "
                              "ECE {}, calibration intercept {}, "
                              "slope {}.",
                              Fmt(Get(cal, "ece")), Fmt(Get(cal, "intercept", NAN), 2),
                              Fmt(Get(cal, "slope", NAN), 2)));
  }
  {
    const nlohmann::json& dc = c["decision_curve"];
    std::vector<double> t, m, all_t, all;
    double hi = prevalence;
    const double x_max = std::min(0.6, std::max(0.1, prevalence * 4));
    for (const nlohmann::json& p : dc) {
      if (Get(p, "threshold") > x_max) break;
      t.push_back(Get(p, "threshold"));
      m.push_back(Get(p, "model"));
      hi = std::max(hi, Get(p, "model"));
    }
    for (const nlohmann::json& p : dc) {
      if (Get(p, "threshold") > x_max || Get(p, "treat_all") < -hi * 0.3) break;
      all_t.push_back(Get(p, "threshold"));
      all.push_back(Get(p, "treat_all"));
    }
    SvgPlot plot("chart-decision-curve", "Decision curve", 0, x_max, -hi * 0.3, hi * 1.1);
    plot.set_labels("threshold probability", "net benefit");
    plot.Line(all_t, all, kOrange, 1.8, false, "treat all");
    plot.Line({0, x_max}, {0, 0}, kGrey, 1.5, true, "treat none");
    plot.Line(t, m, kBlue, 2.2, false, "model");
    out += Figure(plot.Render(),
                  "Net benefit = true positives/n - false positives/n x pt/(1-pt). Where the blue "
                  "line is above both others, acting on the model helps at that risk threshold.");
  }
  {
    const nlohmann::json& cm = c["at_threshold"]["confusion"];
    const double tn = Get(cm, "tn"), fp = Get(cm, "fp"), fn = Get(cm, "fn"), tp = Get(cm, "tp");
    const double mx = std::max({tn, fp, fn, tp, 1.0});
    SvgPlot plot("chart-confusion", "Confusion matrix at threshold " + Fmt(Get(c, "threshold")),
                 -0.5, 1.5, -0.5, 1.5);
    plot.set_size(400, 340);
    plot.set_labels("predicted", "actual");
    plot.set_x_categories({"0 (no)", "1 (yes)"});
    plot.set_y_categories({"1 (yes)", "0 (no)"});
    const auto cell = [&](double x, double y, double v, const std::string& what) {
      const double shade = 0.15 + 0.8 * std::sqrt(v / mx);
      plot.Rect(x - 0.48, x + 0.48, y - 0.48, y + 0.48, kBlue, shade, what);
      plot.Text(x, y, fmt::format("{:.0f}", v), "middle", shade > 0.5 ? "#fff" : "#111");
      plot.Text(x, y - 0.2, what, "middle", shade > 0.5 ? "#fff" : "#111");
    };
    cell(0, 1, tn, "true negatives");
    cell(1, 1, fp, "false positives");
    cell(0, 0, fn, "false negatives");
    cell(1, 0, tp, "true positives");
    out += Figure(plot.Render(), "Rows: actual outcome (top 0, bottom 1); columns: prediction.");
  }
  return out;
}

std::string ImportanceCharts(const nlohmann::json& e) {
  if (!e.contains("explanations")) return "<p>No explanations were computed.</p>";
  const nlohmann::json& x = e["explanations"];
  const std::vector<std::string> names = x["groups"].get<std::vector<std::string>>();
  const bool log_odds = x.value("log_odds", false);
  std::string out;
  if (x.contains("permutation")) {
    const std::vector<double> mean = Doubles(x["permutation"]["mean"]);
    const std::vector<double> sd = Doubles(x["permutation"]["sd"]);
    out += Figure(
        HorizontalBars("chart-permutation", "Permutation importance", names, mean, &sd,
                       "increase in " + x["permutation"].value("loss", std::string()) +
                           " when the column is shuffled",
                       kBlue, 15),
        fmt::format("Each original column (all its derived features together) shuffled "
                    "{} times over {} rows; bars: mean rise in loss, lines: +/- 1 sd.",
                    x["permutation"].value("repeats", 0), x["permutation"].value("rows", 0)));
  }
  if (x.contains("mean_abs_shap")) {
    out += Figure(
        HorizontalBars("chart-shap-importance", "Mean |SHAP| by column", names,
                       Doubles(x["mean_abs_shap"]), nullptr,
                       log_odds ? "mean |contribution| (log-odds)" : "mean |contribution| (days)",
                       kOrange, 15),
        "Average size of each column's contribution to a single prediction.");
  }
  if (x.contains("gain")) {
    out += Figure(HorizontalBars("chart-gain", "Gain importance", names, Doubles(x["gain"]),
                                 nullptr, "total gain of splits on the column", kGreen, 15),
                  "XGBoost's total split gain (favours columns with many distinct values).");
  }
  if (x.contains("shap_summary") && !x["shap_summary"].empty()) {
    const nlohmann::json& s = x["shap_summary"];
    double lo = 0, hi = 0;
    for (const nlohmann::json& g : s) {
      for (const nlohmann::json& v : g["values"]) {
        lo = std::min(lo, v.get<double>());
        hi = std::max(hi, v.get<double>());
      }
    }
    const int rows = static_cast<int>(s.size());
    SvgPlot plot("chart-shap-summary", "SHAP summary", lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo),
                 -0.7, rows - 0.3);
    plot.set_size(520, 70 + 30 * rows);
    plot.set_labels(log_odds ? "contribution to the log-odds" : "contribution (days)", "");
    std::vector<std::string> categories(rows);
    for (int k = 0; k < rows; ++k) categories[rows - 1 - k] = s[k]["group"].get<std::string>();
    plot.set_y_categories(categories);
    for (int k = 0; k < rows; ++k) {
      const nlohmann::json& g = s[k];
      const double y = rows - 1 - k;
      std::vector<double> xs, ys;
      std::vector<std::string> colors;
      const std::vector<double> values = Doubles(g["values"]);
      const std::vector<double> level = Doubles(g["level"]);
      for (size_t i = 0; i < values.size(); ++i) {
        xs.push_back(values[i]);
        // Deterministic jitter so overlapping points spread vertically.
        ys.push_back(y + 0.28 * (static_cast<double>((i * 37) % 17) / 16.0 - 0.5));
        const int red = static_cast<int>(40 + 200 * level[i]);
        const int blue = static_cast<int>(240 - 200 * level[i]);
        colors.push_back(fmt::format("rgb({},{},{})", red, 70, blue));
      }
      plot.ColoredPoints(xs, ys, colors, 2.0);
    }
    plot.Line({0, 0}, {-0.7, rows - 0.3}, kGrey, 1, true);
    out += Figure(plot.Render(),
                  "One dot per sampled row and column: its contribution to that row's prediction. "
                  "Colour: the column's (first feature's) value, blue low to red high.");
  }
  return out;
}

}  // namespace staycast::report::internal
