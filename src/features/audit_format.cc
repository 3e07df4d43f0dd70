// The audit report as text: one section per check, problems marked (and red on a terminal).
#include <cstdio>

#include "src/features/audit.h"

namespace staycast::features {
namespace {

std::string Fixed(double v, int digits = 3) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string FormatAudit(const AuditReport& r, bool color) {
  const std::string red = color ? "\033[31m" : "";
  const std::string green = color ? "\033[32m" : "";
  const std::string reset = color ? "\033[0m" : "";
  auto bad = [&](const std::string& s) { return red + s + reset; };
  auto good = [&](const std::string& s) { return green + s + reset; };
  std::string out;
  out += "Staycast audit: " + std::to_string(r.rows) + " rows, target '" + r.target + "'\n";

  out += "\n== Columns used vs. availability ==\n";
  for (const ColumnUse& u : r.columns) {
    std::string line = "  " + Pad(u.column, 24) + Pad(u.type, 13) + Pad(u.role, 9) +
                       Pad("known at " + u.availability, 26) +
                       (u.available_at_prediction ? "at prediction  " : "later          ");
    line += u.features.empty() ? "unused" : "used by ";
    for (size_t i = 0; i < u.features.size(); ++i) line += (i ? ", " : "") + u.features[i];
    out += u.leak ? bad(line + "  LEAK (allow_leak: true)") + "\n" : line + "\n";
  }

  out += "\n== Single features vs. the target (suspicious above 0.9) ==\n";
  for (size_t i = 0; i < r.strengths.size() && i < 8; ++i) {
    const FeatureStrength& s = r.strengths[i];
    const std::string line = "  " + Pad(s.output, 32) + s.measure + " " + Fixed(s.value) +
                             (s.suspicious ? "  SUSPICIOUS" : "");
    out += s.suspicious ? bad(line) + "\n" : line + "\n";
  }

  out += "\n== Entities across a temporal split at " + r.cutoff + " ==\n";
  out += "  " + std::to_string(r.entities_both_sides) + " of " + std::to_string(r.entities) +
         " entities have rows on both sides of a plain temporal split; the audit's own split "
         "keeps each entity on one side (train: earlier entities' rows before the cutoff, test: "
         "entities first seen after it)\n";

  out += "\n== Data quality ==\n";
  out += "  duplicate rows (ignoring the id): " + std::to_string(r.duplicate_rows) + "\n";
  out += "  duplicate ids: " + std::to_string(r.duplicate_ids) + "\n";
  out += "  constant columns: ";
  for (size_t i = 0; i < r.constant_columns.size(); ++i)
    out += (i ? ", " : "") + r.constant_columns[i];
  out += r.constant_columns.empty() ? "none\n" : "\n";
  out += "  near-empty columns: ";
  for (size_t i = 0; i < r.near_empty_columns.size(); ++i) {
    out += (i ? ", " : "") + r.near_empty_columns[i].first + " (" +
           Fixed(100 * r.near_empty_columns[i].second, 1) + "% missing)";
  }
  out += r.near_empty_columns.empty() ? "none\n" : "\n";

  out += "\n== History features: recomputed with every later row removed ==\n";
  if (r.proofs.empty()) out += "  (no history features)\n";
  for (const HistoryProof& p : r.proofs) {
    const std::string line = "  " + Pad(p.feature, 32) + "changed in " +
                             std::to_string(p.rows_changed) + " of " +
                             std::to_string(p.rows_checked) + " sampled rows";
    if (p.rows_changed == 0) {
      out += line + "  " + good("OK (point in time)") + "\n";
    } else {
      out += bad(line + (p.naive ? "  LEAK (the seed's per-patient aggregate uses future stays)"
                                 : "  LEAK")) +
             "\n";
    }
  }

  if (!r.naive.empty()) {
    out += "\n== What the seed's naive per-patient aggregate does to the test metric ==\n";
    out +=
        "  (ridge least-squares baseline on the feature matrix, for this comparison only; "
        "trained on the earlier period, tested on the later one, grouped by patient)\n";
    for (const NaiveComparison& c : r.naive) {
      const std::string arrow = c.higher_is_better ? "higher is better" : "lower is better";
      out += "  " + c.feature + " (" + std::to_string(c.train_rows) + " train / " +
             std::to_string(c.test_rows) + " test rows; " + c.metric + ", " + arrow + ")\n";
      out += "    point-in-time feature:                 " + c.metric + " " + Fixed(c.honest) +
             "   (feature alone: " + Fixed(c.honest_strength) + ")\n";
      out += bad("    naive mean incl. current stay, as reported: " + c.metric + " " +
                 Fixed(c.naive_reported) + "   (feature alone: " + Fixed(c.naive_strength) +
                 ")  <- too good: it contains the answer") +
             "\n";
      out += "    same naive model when deployed:        " + c.metric + " " +
             Fixed(c.naive_deployed) + "   (only past stays exist at prediction time)\n";
    }
  }
  out += "\n" +
         (r.problems == 0 ? good("No leakage found in the config's features.")
                          : bad(std::to_string(r.problems) + " problem(s) found.")) +
         "\n";
  return out;
}

}  // namespace staycast::features
