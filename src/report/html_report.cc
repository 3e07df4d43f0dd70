// The report page: header and headline cards, data summary and audit, comparison, charts,
// explanations, subgroups, model card (TRIPOD+AI), and an inline self-check for browser tests.
#include "src/report/html_report.h"

#include <fmt/format.h>

#include <cmath>

#include "src/report/report_charts.h"
#include "src/report/svg_plot.h"

namespace staycast::report {
namespace {

using internal::Fmt;
using internal::Get;

constexpr const char* kCss = R"(
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#17324d;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;opacity:.85}main{max-width:1120px;margin:0 auto;padding:8px 24px 48px}
section{background:#fff;border:1px solid #e2e5ea;border-radius:8px;padding:16px 22px;margin:18px 0}
h2{font-size:19px;margin:4px 0 12px;color:#17324d}h3{font-size:15px;margin:14px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#f0f4f8;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px;color:#17324d}.card span{font-size:12px;color:#555}
table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border-bottom:1px solid #e6e6e6;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f0f4f8}tr.chosen td{font-weight:bold}
tr.flag td{background:#fff1e6}.charts{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0;flex:0 0 auto;max-width:530px}figcaption{font-size:12px;color:#555;max-width:520px}
svg.chart{background:#fff}svg .chart-title{font-size:13px;font-weight:600;fill:#17324d}
.story{background:#fff8e1;border-left:4px solid #e0a800;padding:10px 14px;font-size:14px}
.note{color:#8a4b00}pre{background:#f4f4f4;padding:8px;font-size:12px;overflow:auto}
dl.card-items dt{font-weight:600;margin-top:8px}dl.card-items dd{margin:2px 0 0 18px;font-size:14px}
)";

// Checks, once loaded, that every chart drew something with a size, and records script errors;
// results go into the DOM (data attributes of #render-check) for headless-browser tests.
constexpr const char* kSelfCheck = R"(<script>
(function(){var errors=[];window.addEventListener('error',function(e){errors.push(String(e.message));});
function check(){var charts=document.querySelectorAll('svg.chart'),empty=[];
for(var i=0;i<charts.length;i++){var c=charts[i],b=c.getBoundingClientRect(),
marks=c.querySelectorAll('g.data path,g.data circle,g.data rect');
if(b.width<50||b.height<50||marks.length===0)empty.push(c.id);}
var el=document.getElementById('render-check');el.setAttribute('data-charts',String(charts.length));
el.setAttribute('data-empty',empty.join(','));el.setAttribute('data-errors',errors.join(' | '));
el.setAttribute('data-done','1');}
if(document.readyState==='complete')check();else window.addEventListener('load',check);})();
</script>)";

std::string Cell(const nlohmann::json& v, int digits = 3) {
  if (v.is_number()) return Fmt(v.get<double>(), digits);
  if (v.is_string()) return Escape(v.get<std::string>());
  return "–";
}

std::string Ci(const nlohmann::json& m) {
  if (!m["lower"].is_number()) return Cell(m["value"]);
  return Cell(m["value"]) + " <small>(" + Cell(m["lower"]) + "–" + Cell(m["upper"]) + ")</small>";
}

std::string Header(const nlohmann::json& e) {
  const bool cls = e.value("task", "") == "classification";
  const nlohmann::json card = e.value("card", nlohmann::json::object());
  std::string s =
      "<header><h1>Staycast evaluation: " + Escape(e.value("target", std::string("model"))) +
      "</h1><p>" +
      Escape(cls ? "Classification (probability of the outcome)"
                 : "Regression (length of stay in days)") +
      " · model " + Escape(card.value("chosen", e.value("model_type", std::string()))) +
      " · evaluated on " + Escape(card.value("evaluated_on", std::string("data"))) +
      "</p></header><main>";
  s += "<section id=\"headline\"><h2>Headline metrics</h2><div class=\"cards\">";
  for (const nlohmann::json& m : e["headline"]) {
    if (!m["value"].is_number()) continue;
    s += "<div class=\"card\"><b>" + Cell(m["value"]) + "</b><span>" +
         Escape(m["name"].get<std::string>()) + "<br>95% CI " + Cell(m["lower"]) + "–" +
         Cell(m["upper"]) + "</span></div>";
  }
  const nlohmann::json& b = e["bootstrap"];
  s += fmt::format(
      "</div><p>95% intervals: percentile bootstrap, {} replicates resampling {} ({} units).</p>",
      b.value("replicates", 0), b.value("unit", std::string("rows")), b.value("units", 0));
  if (cls) {
    s += "<p class=\"story\" id=\"accuracy-story\">" +
         Escape(e["classification"]["accuracy_story"].value("sentence", std::string())) + "</p>";
  }
  return s + "</section>";
}

std::string DataSection(const nlohmann::json& e) {
  const nlohmann::json& d = e["data"];
  std::string s = "<section id=\"data\"><h2>Data summary and audit</h2><table>";
  s += "<tr><th>rows evaluated</th><td>" + Cell(d["rows"], 0) + "</td></tr>";
  if (d.contains("patients"))
    s += "<tr><th>patients</th><td>" + Cell(d["patients"], 0) + "</td></tr>";
  if (d.contains("from")) {
    s += "<tr><th>" + Escape(d.value("time_column", std::string("time"))) + "</th><td>" +
         Cell(d["from"]) + " to " + Cell(d["to"]) + "</td></tr>";
  }
  if (d.contains("prevalence"))
    s += "<tr><th>outcome rate</th><td>" + Cell(d["prevalence"]) + "</td></tr>";
  if (d.contains("target_mean"))
    s += "<tr><th>mean outcome</th><td>" + Cell(d["target_mean"]) + "</td></tr>";
  s += "</table>";
  if (d.contains("notes") && !d["notes"].empty()) {
    s += "<h3>What had to be done to the input</h3><ul>";
    for (const nlohmann::json& n : d["notes"]) s += "<li class=\"note\">" + Cell(n) + "</li>";
    s += "</ul>";
  } else {
    s += "<p>The input matched the bundle's schema: no columns missing, none ignored.</p>";
  }
  if (d.contains("missing") && !d["missing"].empty()) {
    s += "<h3>Missing values (imputed by the fitted pipeline)</h3><table><tr><th>column</th>"
         "<th>missing rows</th><th>share</th></tr>";
    for (const nlohmann::json& m : d["missing"]) {
      s += "<tr><td>" + Cell(m["column"]) + "</td><td>" + Cell(m["missing"], 0) + "</td><td>" +
           Cell(m["share"]) + "</td></tr>";
    }
    s += "</table>";
  }
  return s + "</section>";
}

std::string ComparisonSection(const nlohmann::json& e) {
  const bool cls = e.value("task", "") == "classification";
  const std::vector<std::string> keys =
      cls ? std::vector<std::string>{"pr_auc", "roc_auc", "brier", "log_loss", "accuracy"}
          : std::vector<std::string>{"mae", "rmse", "median_ae", "r2", "bias"};
  std::string s = "<section id=\"comparison\"><h2>Model comparison</h2>";
  if (e.contains("comparison") && e["comparison"].contains("models")) {
    const std::string chosen = e["comparison"].value("chosen", std::string());
    s += "<h3>Training run (test split, before calibration)</h3><table><tr><th>model</th>";
    for (const std::string& k : keys) s += "<th>" + k + "</th>";
    s += "<th>fit s</th></tr>";
    for (const nlohmann::json& m : e["comparison"]["models"]) {
      const std::string name = m.value("name", std::string());
      s += std::string(name == chosen ? "<tr class=\"chosen\">" : "<tr>") + "<td>" + Escape(name) +
           (m.value("baseline", false) ? " (baseline)" : "") + (name == chosen ? " ★" : "") +
           "</td>";
      for (const std::string& k : keys) {
        s += "<td>" + Cell(m["test"].value(k, nlohmann::json())) + "</td>";
      }
      s += "<td>" + Cell(m.value("fit_seconds", nlohmann::json()), 2) + "</td></tr>";
    }
    s += "</table>";
  }
  s += "<h3>The model beside baselines on the evaluated rows</h3><table><tr><th>predictor</th>";
  for (const std::string& k : keys) s += "<th>" + k + "</th>";
  s += "</tr><tr class=\"chosen\"><td>model</td>";
  for (const std::string& k : keys) {
    std::string v = "–";
    for (const nlohmann::json& m : e["headline"]) {
      if (m["name"] == k) v = Cell(m["value"]);
    }
    s += "<td>" + v + "</td>";
  }
  s += "</tr>";
  for (const nlohmann::json& b : e["baselines"]) {
    s += "<tr><td>" + Cell(b["name"]) + " <small>" + Cell(b["description"]) + "</small></td>";
    for (const std::string& k : keys) {
      s += "<td>" + Cell(b["metrics"].value(k, nlohmann::json())) + "</td>";
    }
    s += "</tr>";
  }
  return s + "</table></section>";
}

std::string PerformanceSection(const nlohmann::json& e) {
  const bool cls = e.value("task", "") == "classification";
  std::string s = "<section id=\"performance\"><h2>Performance</h2><div class=\"charts\">";
  s += cls ? internal::ClassificationCharts(e) : internal::RegressionCharts(e);
  s += "</div>";
  if (cls) {
    const nlohmann::json& t = e["classification"]["at_threshold"];
    s += fmt::format(
        "<h3>At the chosen threshold {}</h3><p>accuracy {}, balanced accuracy {}, sensitivity "
        "{}, specificity {}</p><pre id=\"classification-report\">{}</pre>",
        Fmt(Get(t, "threshold")), Fmt(Get(t, "accuracy")), Fmt(Get(t, "balanced_accuracy")),
        Fmt(Get(t, "sensitivity")), Fmt(Get(t, "specificity")),
        Escape(e["classification"].value("report_text", std::string())));
  } else {
    s += "<h3>Errors by length-of-stay band</h3><table><tr><th>band</th><th>rows</th><th>MAE</th>"
         "<th>RMSE</th><th>bias</th></tr>";
    for (const nlohmann::json& b : e["regression"]["bands"]) {
      s += "<tr><td>" + Cell(b["label"]) + "</td><td>" + Cell(b["count"], 0) + "</td><td>" +
           Cell(b["mae"]) + "</td><td>" + Cell(b["rmse"]) + "</td><td>" + Cell(b["bias"]) +
           "</td></tr>";
    }
    s += "</table>";
  }
  return s + "</section>";
}

std::string ExplanationSection(const nlohmann::json& e) {
  std::string s = "<section id=\"explanations\"><h2>What drives the predictions</h2>";
  s += "<div class=\"charts\">" + internal::ImportanceCharts(e) + "</div>";
  if (e.contains("explanations") && e["explanations"].contains("coefficients")) {
    const nlohmann::json& c = e["explanations"]["coefficients"];
    const bool lo = c.value("log_odds", false);
    s += fmt::format(
        "<h3>Coefficients</h3><p>Per one unit of each feature ({}), with 95% Wald intervals from "
        "the fit on {} training rows; standardised: per standard deviation.</p><table><tr>"
        "<th>feature</th><th>per unit</th><th>95% CI</th>{}<th>per SD</th><th>95% CI</th>"
        "<th>training mean</th></tr>",
        lo ? "log-odds; odds ratio = e^coef" : "days", c.value("training_rows", 0),
        lo ? "<th>odds ratio</th>" : "");
    // A feature constant in training has no interval: "–" and why, not a made-up range.
    const auto range = [](const nlohmann::json& lower, const nlohmann::json& upper) {
      if (!lower.is_number() || !upper.is_number()) return std::string("–");
      return Cell(lower, 4) + " to " + Cell(upper, 4);
    };
    for (const nlohmann::json& r : c["rows"]) {
      const bool constant = r.value("constant", false);
      s += "<tr><td>" + Cell(r["name"]) +
           (constant ? " <small>(constant in training: not estimable)</small>" : "") + "</td><td>" +
           Cell(r["coefficient"], 4) + "</td><td>" + range(r["lower"], r["upper"]) + "</td>";
      if (lo) {
        s += "<td>" +
             (r["coefficient"].is_number() ? Fmt(std::exp(r["coefficient"].get<double>()), 3)
                                           : std::string("–")) +
             "</td>";
      }
      s += "<td>" + Cell(r["standardized"], 4) + "</td><td>" +
           range(r["standardized_lower"], r["standardized_upper"]) + "</td><td>" + Cell(r["mean"]) +
           "</td></tr>";
    }
    s += "</table>";
  }
  return s + "</section>";
}

std::string SubgroupSection(const nlohmann::json& e) {
  std::string s = "<section id=\"subgroups\"><h2>Subgroups</h2>";
  if (e["subgroups"].empty()) {
    return s + "<p>No subgroup columns configured (evaluation.subgroups).</p></section>";
  }
  const bool cls = e.value("task", "") == "classification";
  const std::vector<std::string> keys =
      cls ? std::vector<std::string>{"prevalence", "roc_auc", "pr_auc", "brier", "sensitivity"}
          : std::vector<std::string>{"mae", "rmse", "bias", "coverage"};
  for (const nlohmann::json& sg : e["subgroups"]) {
    s += "<h3>by " + Cell(sg["column"]) + "</h3>";
    if (sg.contains("error")) {
      s += "<p class=\"note\">" + Cell(sg["error"]) + "</p>";
      continue;
    }
    const std::vector<std::string> names = sg["metric_names"].get<std::vector<std::string>>();
    std::string flagged_metric, flagged_low, flagged_high;
    const int k = sg.value("largest_flagged", -1);
    if (k >= 0) {
      const nlohmann::json& g = sg["gaps"][k];
      flagged_metric = g.value("metric", "");
      flagged_low = g.value("lowest", "");
      flagged_high = g.value("highest", "");
      s += fmt::format(
          "<p class=\"note\">Largest gap flagged: {} is {} in {} and {} in {} (gap {}; the "
          "intervals do not overlap).</p>",
          Escape(flagged_metric), "lower", Escape(flagged_low), "higher", Escape(flagged_high),
          Fmt(Get(g, "gap")));
    }
    s += "<table><tr><th>value</th><th>rows</th><th>patients</th>";
    for (const std::string& key : keys) s += "<th>" + key + " (95% CI)</th>";
    s += "</tr>";
    for (const nlohmann::json& g : sg["groups"]) {
      const std::string v = g.value("value", "");
      const bool flag = k >= 0 && (v == flagged_low || v == flagged_high);
      s += std::string(flag ? "<tr class=\"flag\">" : "<tr>") + "<td>" + Escape(v) + "</td><td>" +
           Cell(g["rows"], 0) + "</td><td>" + Cell(g["patients"], 0) + "</td>";
      for (const std::string& key : keys) {
        std::string cell = "–";
        if (g.value("evaluated", false)) {
          for (size_t i = 0; i < names.size(); ++i) {
            if (names[i] == key) cell = Ci(g["metrics"][i]);
          }
        }
        s += "<td>" + cell + "</td>";
      }
      s += "</tr>";
    }
    s += "</table>";
  }
  return s + "</section>";
}

std::string Item(const std::string& title, const std::string& body) {
  return "<dt>" + Escape(title) + "</dt><dd>" + body + "</dd>";
}

std::string ModelCard(const nlohmann::json& e) {
  const bool cls = e.value("task", "") == "classification";
  const nlohmann::json card = e.value("card", nlohmann::json::object());
  const nlohmann::json split = card.value("split", nlohmann::json::object());
  std::string perf;
  for (const nlohmann::json& m : e["headline"]) {
    if (m["value"].is_number()) perf += Escape(m["name"].get<std::string>()) + " " + Ci(m) + "; ";
  }
  std::string subgroups;
  for (const nlohmann::json& sg : e["subgroups"]) {
    subgroups +=
        Cell(sg["column"]) + (sg.value("largest_flagged", -1) >= 0 ? " (gap flagged)" : "") + "; ";
  }
  std::string s =
      "<section id=\"model-card\"><h2>Model card (TRIPOD+AI)</h2><dl class=\"card-items\">";
  s += Item("Intended use (TRIPOD+AI 3a, 5)",
            cls ? "Estimate, at discharge, the probability that the patient is readmitted within "
                  "30 days, to prioritise follow-up. Decision support for clinicians; not for "
                  "denying care."
                : "Estimate, at admission, the patient's length of stay in days, with a "
                  "prediction interval, for bed and discharge planning. Not a clinical prognosis.");
  s += Item("Data and its dates (TRIPOD+AI 5a, 6)",
            Escape(card.value("data_source", std::string("?"))) + "; split " +
                Escape(split.value("kind", std::string("?"))) + " (" +
                Cell(split.value("train", nlohmann::json()), 0) + " train, " +
                Cell(split.value("test", nlohmann::json()), 0) + " test rows" +
                (split.contains("test_from") ? ", test from " + Cell(split["test_from"]) : "") +
                "); evaluated rows from " + Cell(e["data"].value("from", nlohmann::json())) +
                " to " + Cell(e["data"].value("to", nlohmann::json())) + ".");
  s += Item("Outcome and prediction time (TRIPOD+AI 6, 7)",
            "Outcome: " + Escape(e.value("target", std::string())) +
                ". Predictions use only "
                "facts known at the prediction time (" +
                Escape(e["data"].value("time_column", std::string("the configured event"))) +
                "); history features use earlier stays only, checked by `staycast audit`.");
  s += Item("Handling of missing data (TRIPOD+AI 9)",
            "The fitted pipeline imputes numeric values (median by default, with a missing "
            "indicator) and sends unseen or missing categories to an unknown bucket; the "
            "Predictor reports per row what it imputed. Rows without an outcome are not "
            "evaluated.");
  if (cls) {
    s += Item("Class imbalance (TRIPOD+AI 10)",
              fmt::format("Outcome rate {}. Class weights: {}; probabilities calibrated ({}); "
                          "threshold chosen by {}. Metrics come from probabilities; accuracy is "
                          "shown beside the always-negative baseline.",
                          Fmt(Get(e["classification"], "prevalence")),
                          Escape(card.value("class_weight", std::string("none"))),
                          Escape(card.value("calibration", std::string("?"))),
                          Escape(card.value("threshold_rule", std::string("?")))));
  }
  s += Item("Performance with CIs (TRIPOD+AI 23)", perf);
  s += Item("Subgroups / fairness (TRIPOD+AI 14, 23)",
            subgroups.empty() ? std::string("none configured") : subgroups);
  s += Item("Limitations (TRIPOD+AI 27)",
            "Evaluated on one data source and period; performance can drift with case mix, coding "
            "practice and policy. Bootstrap intervals reflect sampling of patients, not shifts "
            "over time. Contributions explain the model, not causes. " +
                std::string(cls ? "Contributions are on the log-odds scale of the uncalibrated "
                                  "model."
                                : "Intervals hold on average, not within every band."));
  return s + "</dl></section>";
}

}  // namespace

StatusOr<std::string> RenderHtmlReport(const nlohmann::json& e) {
  if (!e.is_object() || e.value("format", "") != "staycast-evaluation" || !e.contains("headline")) {
    return InvalidArgumentError("not a staycast evaluation document (format field missing)");
  }
  try {
    std::string html =
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>Staycast evaluation: " +
        Escape(e.value("target", std::string())) + "</title><style>" + kCss +
        "</style></head><body>";
    html += Header(e);
    html += DataSection(e);
    html += ComparisonSection(e);
    html += PerformanceSection(e);
    html += ExplanationSection(e);
    html += SubgroupSection(e);
    html += ModelCard(e);
    html += "<div id=\"render-check\" hidden></div></main>";
    html += kSelfCheck;
    html += "</body></html>\n";
    return html;
  } catch (const nlohmann::json::exception& ex) {
    return InvalidArgumentError(std::string("malformed evaluation document: ") + ex.what());
  }
}

}  // namespace staycast::report
