// RunAudit: column use against availability, data quality, single-feature strength, and the
// history proofs (audit_history.cc).
#include "src/features/audit.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "src/features/audit_internal.h"
#include "src/features/pipeline.h"

namespace staycast::features {

using internal::AuditSplit;

namespace {

std::vector<ColumnUse> ColumnUses(const RunConfig& config) {
  std::vector<ColumnUse> out;
  for (const ColumnSpec& c : config.columns) {
    ColumnUse u;
    u.column = c.name;
    u.type = data::ColumnTypeName(c.type);
    u.role = ColumnRoleName(c.role);
    u.availability = c.available.ToString();
    u.available_at_prediction = config.AvailableAtPrediction(c);
    for (const FeatureSpec& f : config.features) {
      for (const InputRef& ref : f.inputs) {
        if (ref.is_feature() || ref.column != c.name) continue;
        u.features.push_back(f.name);
        const bool current_row = f.kind != FeatureKind::kHistory;
        if (f.allow_leak &&
            ((current_row && (!u.available_at_prediction || c.role == ColumnRole::kTarget)) ||
             c.available.never())) {
          u.leak = true;
        }
      }
    }
    out.push_back(std::move(u));
  }
  return out;
}

void DataQuality(const RunConfig& config, const data::Table& table, const AuditOptions& options,
                 AuditReport* report) {
  const std::string id = config.IdColumn();
  std::unordered_map<std::string, int> rows_seen;
  std::unordered_map<std::string, int> ids_seen;
  const data::Column* id_col = id.empty() ? nullptr : table.FindColumn(id);
  for (size_t r = 0; r < table.num_rows(); ++r) {
    std::string key;
    for (const data::Column& c : table.columns()) {
      if (c.name() == id) continue;
      key += c.ValueAsString(r);
      key += '\x1f';
    }
    ++rows_seen[key];
    if (id_col != nullptr && !id_col->IsMissing(r)) ++ids_seen[id_col->ValueAsString(r)];
  }
  // Duplicates are counted as rows beyond the first copy.
  for (const auto& [k, n] : rows_seen) report->duplicate_rows += static_cast<size_t>(n - 1);
  for (const auto& [k, n] : ids_seen) report->duplicate_ids += static_cast<size_t>(n - 1);
  for (const ColumnSpec& spec : config.columns) {
    const data::Column* c = table.FindColumn(spec.name);
    if (c == nullptr || table.num_rows() == 0) continue;
    const double missing =
        static_cast<double>(c->CountMissing()) / static_cast<double>(table.num_rows());
    if (missing > options.near_empty) report->near_empty_columns.emplace_back(spec.name, missing);
    std::string first;
    bool constant = true;
    bool any = false;
    for (size_t r = 0; r < table.num_rows() && constant; ++r) {
      if (c->IsMissing(r)) continue;
      const std::string v = c->ValueAsString(r);
      if (!any) first = v;
      constant = !any || v == first;
      any = true;
    }
    if (any && constant) report->constant_columns.push_back(spec.name);
  }
}

}  // namespace

StatusOr<AuditReport> RunAudit(const RunConfig& config, const data::Table& table,
                               const AuditOptions& options) {
  if (config.target.column.empty()) {
    return InvalidArgumentError(config.origin + ": target: the audit needs a target");
  }
  AuditReport report;
  report.rows = table.num_rows();
  report.target = config.target.column;
  report.columns = ColumnUses(config);
  for (const ColumnUse& u : report.columns) report.problems += u.leak ? 1 : 0;
  DataQuality(config, table, options, &report);
  ASSIGN_OR_RETURN(std::vector<double> y, internal::TargetValues(config, table));
  const AuditSplit split = internal::SplitByTime(config, table, options.test_fraction);
  report.entities = split.entities;
  report.entities_both_sides = split.entities_both_sides;
  report.cutoff = split.cutoff == kMissingTime ? "" : FormatTimestamp(split.cutoff);
  if (split.train.empty() || split.test.empty()) {
    return FailedPreconditionError("the audit needs rows before and after the time cutoff; got " +
                                   std::to_string(split.train.size()) + " train and " +
                                   std::to_string(split.test.size()) + " test rows");
  }
  ASSIGN_OR_RETURN(FeaturePipeline pipeline, FeaturePipeline::Create(config));
  RETURN_IF_ERROR(pipeline.Fit(table.Take(split.train)));
  ASSIGN_OR_RETURN(FeatureMatrix features, pipeline.Transform(table));
  std::vector<size_t> all(table.num_rows());
  for (size_t r = 0; r < all.size(); ++r) all[r] = r;
  for (size_t j = 0; j < features.fields.size(); ++j) {
    FeatureStrength s;
    s.output = features.fields[j].name;
    s.measure = config.target.task == Task::kClassification ? "ROC-AUC" : "|r|";
    s.value = internal::Strength(config.target.task, features.columns[j], y, all);
    s.suspicious = s.value > options.suspicious;
    report.problems += s.suspicious ? 1 : 0;
    report.strengths.push_back(std::move(s));
  }
  std::stable_sort(
      report.strengths.begin(), report.strengths.end(),
      [](const FeatureStrength& a, const FeatureStrength& b) { return a.value > b.value; });
  RETURN_IF_ERROR(
      internal::AuditHistory(config, table, pipeline, features, y, split, options, &report));
  return report;
}

}  // namespace staycast::features
