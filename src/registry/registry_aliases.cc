// Registry aliases: moves with an append-only history, the promotion gate, and rollback.
#include <cmath>
#include <cstdio>

#include "src/registry/registry.h"
#include "src/registry/registry_internal.h"

namespace staycast::registry {
namespace {

constexpr const char* kHistoryColumns =
    "id, model, alias, from_version, to_version, at, user_name, action, reason, details";

StatusOr<AliasMove> ParseMoveRow(const SqlRow& row) {
  AliasMove move;
  ASSIGN_OR_RETURN(move.id, CellInt(row, 0, "alias_history.id"));
  move.model = CellText(row, 1);
  move.alias = CellText(row, 2);
  if (auto from = CellOptionalInt(row, 3)) move.from_version = static_cast<int>(*from);
  if (auto to = CellOptionalInt(row, 4)) move.to_version = static_cast<int>(*to);
  ASSIGN_OR_RETURN(move.at, CellInt(row, 5, "alias_history.at"));
  move.user = CellText(row, 6);
  move.action = CellText(row, 7);
  move.reason = CellText(row, 8);
  ASSIGN_OR_RETURN(move.details,
                   internal::ParseJsonCell(CellText(row, 9), "alias history details"));
  return move;
}

std::string Num(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", value);
  return buf;
}

// metadata[section][split][metric] as a number, if present.
std::optional<double> MetricFrom(const nlohmann::json& metadata, const char* section,
                                 const std::string& split, const std::string& metric) {
  if (!metadata.is_object() || !metadata.contains(section)) return std::nullopt;
  const nlohmann::json& s = metadata[section];
  if (!s.is_object() || !s.contains(split) || !s[split].is_object()) return std::nullopt;
  const nlohmann::json& m = s[split];
  if (!m.contains(metric) || !m[metric].is_number()) return std::nullopt;
  return m[metric].get<double>();
}

struct PrimaryMetric {
  std::string name;
  bool greater_is_better = false;
};

std::optional<PrimaryMetric> PrimaryMetricOf(const nlohmann::json& metadata) {
  if (!metadata.is_object() || !metadata.contains("primary_metric")) return std::nullopt;
  const nlohmann::json& p = metadata["primary_metric"];
  if (!p.is_object() || !p.contains("name") || !p["name"].is_string() ||
      !p.contains("greater_is_better") || !p["greater_is_better"].is_boolean()) {
    return std::nullopt;
  }
  return PrimaryMetric{p["name"].get<std::string>(), p["greater_is_better"].get<bool>()};
}

}  // namespace

StatusOr<AliasMove> Registry::MoveAliasLocked(const std::string& name, const std::string& alias,
                                              int version, const std::string& user,
                                              const std::string& action, const std::string& reason,
                                              const nlohmann::json& details) {
  std::optional<int> from;
  StatusOr<int> current = GetAlias(name, alias);
  if (current.ok()) {
    from = *current;
  } else if (current.status().code() != StatusCode::kNotFound) {
    return current.status();
  }
  const Timestamp now = options_.env->Now();
  const std::string who = UserOrDefault(user);
  RETURN_IF_ERROR(store_->Exec(
      "INSERT INTO aliases (model, alias, version, updated, updated_by) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, "
      "updated = excluded.updated, updated_by = excluded.updated_by",
      {name, alias, static_cast<int64_t>(version), now, who}));
  ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      store_->Query(std::string("INSERT INTO alias_history (model, alias, from_version, "
                                "to_version, at, user_name, action, reason, details) VALUES "
                                "(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ") +
                        kHistoryColumns,
                    {name, alias, from ? SqlValue(static_cast<int64_t>(*from)) : SqlValue(),
                     static_cast<int64_t>(version), now, who, action, reason,
                     details.is_null() ? std::string("{}") : details.dump()}));
  return ParseMoveRow(rows.at(0));
}

StatusOr<AliasMove> Registry::SetAlias(const std::string& name, const std::string& alias,
                                       int version, const std::string& user,
                                       const std::string& reason) {
  RETURN_IF_ERROR(ValidateAliasName(alias));
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  if (store_->dialect() == Dialect::kPostgres) {
    RETURN_IF_ERROR(store_->Exec("SELECT name FROM models WHERE name = ? FOR UPDATE", {name}));
  }
  RETURN_IF_ERROR(GetVersion(name, version).status());
  ASSIGN_OR_RETURN(AliasMove move,
                   MoveAliasLocked(name, alias, version, user, "set", reason, nullptr));
  RETURN_IF_ERROR(tx.Commit());
  return move;
}

StatusOr<int> Registry::GetAlias(const std::string& name, const std::string& alias) {
  ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      store_->Query("SELECT version FROM aliases WHERE model = ? AND alias = ?", {name, alias}));
  if (rows.empty()) {
    RETURN_IF_ERROR(GetModel(name).status());
    return NotFoundError("model '" + name + "' has no alias '" + alias + "'");
  }
  ASSIGN_OR_RETURN(const int64_t version, CellInt(rows[0], 0, "aliases.version"));
  return static_cast<int>(version);
}

StatusOr<std::vector<AliasMove>> Registry::AliasHistory(const std::string& name,
                                                        const std::string& alias) {
  RETURN_IF_ERROR(GetModel(name).status());
  std::string sql =
      std::string("SELECT ") + kHistoryColumns + " FROM alias_history WHERE model = ?";
  std::vector<SqlValue> params = {name};
  if (!alias.empty()) {
    sql += " AND alias = ?";
    params.emplace_back(alias);
  }
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows, store_->Query(sql + " ORDER BY id", params));
  std::vector<AliasMove> moves;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(AliasMove move, ParseMoveRow(row));
    moves.push_back(std::move(move));
  }
  return moves;
}

StatusOr<GateReport> Registry::EvaluateGate(const std::string& name, int version,
                                            const std::string& alias,
                                            const PromoteOptions& options) {
  return EvaluateGateLocked(name, version, alias, options);
}

StatusOr<GateReport> Registry::EvaluateGateLocked(const std::string& name, int version,
                                                  const std::string& alias,
                                                  const PromoteOptions& options) {
  RETURN_IF_ERROR(ValidateAliasName(alias));
  ASSIGN_OR_RETURN(ModelVersion candidate, GetVersion(name, version));
  const std::string who = "version " + std::to_string(version);
  if (candidate.archived) {
    return FailedPreconditionError("model '" + name + "' " + who +
                                   " is archived; unarchive it before promoting it");
  }
  GateReport gate;
  gate.source = options.source;
  std::optional<int> current_version;
  StatusOr<int> current = GetAlias(name, alias);
  if (current.ok()) {
    current_version = *current;
  } else if (current.status().code() != StatusCode::kNotFound) {
    return current.status();
  }
  if (current_version == version) {
    return FailedPreconditionError("alias '" + alias + "' of model '" + name +
                                   "' already points at " + who);
  }
  gate.current_version = current_version;
  const std::optional<PrimaryMetric> primary = PrimaryMetricOf(candidate.metadata);
  if (!primary) {
    gate.failures.push_back(who +
                            " has no primary_metric {name, greater_is_better} in its bundle "
                            "metadata, so it cannot be compared");
    gate.passed = false;
    return gate;
  }
  gate.metric = primary->name;
  gate.greater_is_better = primary->greater_is_better;
  const std::string direction = gate.greater_is_better ? "higher is better" : "lower is better";
  auto worse = [&](double a, double b) { return gate.greater_is_better ? a < b : a > b; };
  gate.candidate = options.candidate_value
                       ? options.candidate_value
                       : MetricFrom(candidate.metadata, "metrics", "test", gate.metric);
  if (!gate.candidate || std::isnan(*gate.candidate)) {
    gate.failures.push_back(who + " has no " + options.source + " value for " + gate.metric);
  }
  if (current_version) {
    ASSIGN_OR_RETURN(ModelVersion holder, GetVersion(name, *current_version));
    const std::optional<PrimaryMetric> holder_primary = PrimaryMetricOf(holder.metadata);
    if (options.current_value) {
      gate.current = options.current_value;
    } else if (holder_primary && holder_primary->name != gate.metric) {
      gate.failures.push_back(alias + " (version " + std::to_string(*current_version) +
                              ") is measured on " + holder_primary->name + ", the candidate on " +
                              gate.metric + "; compare both on the same data");
    } else {
      gate.current = MetricFrom(holder.metadata, "metrics", "test", gate.metric);
    }
    if (!gate.current && gate.failures.empty()) {
      gate.failures.push_back(alias + " (version " + std::to_string(*current_version) +
                              ") has no " + options.source + " value for " + gate.metric);
    }
    if (gate.candidate && gate.current && worse(*gate.candidate, *gate.current)) {
      gate.failures.push_back(options.source + " " + gate.metric + " " + Num(*gate.candidate) +
                              " is worse than " + alias + " (version " +
                              std::to_string(*current_version) + ") " + Num(*gate.current) + " (" +
                              direction + ")");
    }
  }
  gate.baseline = options.baseline_value
                      ? options.baseline_value
                      : MetricFrom(candidate.metadata, "baseline_metrics", "test", gate.metric);
  if (gate.candidate && gate.baseline && worse(*gate.candidate, *gate.baseline)) {
    gate.failures.push_back(options.source + " " + gate.metric + " " + Num(*gate.candidate) +
                            " is worse than its baseline " + Num(*gate.baseline) + " (" +
                            direction + ")");
  }
  gate.passed = gate.failures.empty();
  return gate;
}

StatusOr<PromoteResult> Registry::Promote(const std::string& name, int version,
                                          const std::string& alias, const PromoteOptions& options) {
  if (options.force && options.reason.empty()) {
    return InvalidArgumentError("--force needs --reason \"...\": an override is recorded with why");
  }
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  if (store_->dialect() == Dialect::kPostgres) {
    RETURN_IF_ERROR(store_->Exec("SELECT name FROM models WHERE name = ? FOR UPDATE", {name}));
  }
  ASSIGN_OR_RETURN(GateReport gate, EvaluateGateLocked(name, version, alias, options));
  if (!gate.passed && !options.force) {
    std::string message = "refusing to promote model '" + name + "' version " +
                          std::to_string(version) + " to '" + alias + "': ";
    for (size_t i = 0; i < gate.failures.size(); ++i) {
      message += (i > 0 ? "; " : "") + gate.failures[i];
    }
    return FailedPreconditionError(message + ". Pass --force --reason \"...\" to override.");
  }
  gate.forced = !gate.passed && options.force;
  nlohmann::json details = gate.ToJson();
  details["force_requested"] = options.force;
  ASSIGN_OR_RETURN(AliasMove move, MoveAliasLocked(name, alias, version, options.user, "promote",
                                                   options.reason, details));
  RETURN_IF_ERROR(tx.Commit());
  return PromoteResult{std::move(move), std::move(gate)};
}

StatusOr<AliasMove> Registry::Rollback(const std::string& name, const std::string& alias,
                                       const std::string& user, const std::string& reason) {
  RETURN_IF_ERROR(ValidateAliasName(alias));
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  if (store_->dialect() == Dialect::kPostgres) {
    RETURN_IF_ERROR(store_->Exec("SELECT name FROM models WHERE name = ? FOR UPDATE", {name}));
  }
  ASSIGN_OR_RETURN(const int current, GetAlias(name, alias));
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query(std::string("SELECT ") + kHistoryColumns +
                                     " FROM alias_history WHERE model = ? AND alias = ? ORDER "
                                     "BY id DESC LIMIT 1",
                                 {name, alias}));
  if (rows.empty()) {
    return FailedPreconditionError("alias '" + alias + "' of model '" + name +
                                   "' has no history to roll back");
  }
  ASSIGN_OR_RETURN(AliasMove last, ParseMoveRow(rows[0]));
  if (!last.from_version) {
    return FailedPreconditionError("alias '" + alias + "' of model '" + name +
                                   "' has pointed only at version " + std::to_string(current) +
                                   "; there is no earlier version to roll back to");
  }
  ASSIGN_OR_RETURN(ModelVersion target, GetVersion(name, *last.from_version));
  if (target.archived) {
    return FailedPreconditionError("cannot roll '" + alias + "' of model '" + name +
                                   "' back to version " + std::to_string(target.version) +
                                   ": it is archived (unarchive it first)");
  }
  nlohmann::json details = {{"undoes_move", last.id}};
  ASSIGN_OR_RETURN(AliasMove move,
                   MoveAliasLocked(name, alias, target.version, user, "rollback", reason, details));
  RETURN_IF_ERROR(tx.Commit());
  return move;
}

}  // namespace staycast::registry
