// Registry runs: create, metrics, heartbeat, finish, list, and marking runs of dead processes
// failed.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "src/core/version.h"
#include "src/registry/registry.h"
#include "src/registry/registry_internal.h"

namespace staycast::registry {
namespace {

constexpr const char* kRunColumns =
    "id, name, status, config, params, data_fingerprint, staycast_version, seed, tags, "
    "user_name, start_time, end_time, bundle_path, error, pid, host, process_start, heartbeat";

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

// The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), which tells
// a live run's process apart from a later one that reused its pid. 0 when unknown.
int64_t ProcessStartTicks(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!in || !std::getline(in, text)) return 0;
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 1));
  std::string field;
  // After ")" come fields 3 (state) .. 22 (starttime).
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return 0;
  }
  try {
    return std::stoll(field);
  } catch (const std::exception&) {
    return 0;
  }
}

bool ProcessAlive(int64_t pid, int64_t start_ticks) {
  if (pid <= 0) return true;  // unknown owner: cannot tell
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  if (start_ticks == 0) return true;
  const int64_t now_ticks = ProcessStartTicks(pid);
  return now_ticks == 0 || now_ticks == start_ticks;
}

StatusOr<Run> ParseRunRow(const SqlRow& row) {
  Run run;
  ASSIGN_OR_RETURN(run.id, CellInt(row, 0, "id"));
  const std::string what = "run " + std::to_string(run.id);
  run.name = CellText(row, 1);
  ASSIGN_OR_RETURN(run.status, ParseRunStatus(CellText(row, 2)));
  ASSIGN_OR_RETURN(run.config, internal::ParseJsonCell(CellText(row, 3), what + " config"));
  ASSIGN_OR_RETURN(run.params, internal::ParseJsonCell(CellText(row, 4), what + " params"));
  run.data_fingerprint = CellText(row, 5);
  run.staycast_version = CellText(row, 6);
  run.seed = CellOptionalInt(row, 7);
  ASSIGN_OR_RETURN(nlohmann::json tags, internal::ParseJsonCell(CellText(row, 8), what + " tags"));
  for (const auto& [key, value] : tags.items()) {
    run.tags[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  run.user = CellText(row, 9);
  ASSIGN_OR_RETURN(run.start_time, CellInt(row, 10, "start_time"));
  run.end_time = CellOptionalInt(row, 11);
  run.bundle_path = CellText(row, 12);
  run.error = CellText(row, 13);
  run.pid = CellOptionalInt(row, 14).value_or(0);
  run.host = CellText(row, 15);
  run.heartbeat = CellOptionalInt(row, 17);
  return run;
}

}  // namespace

StatusOr<int64_t> Registry::CreateRun(const RunSpec& spec) {
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [key, value] : spec.tags) tags[key] = value;
  const Timestamp now = options_.env->Now();
  const int64_t pid = ::getpid();
  ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      store_->Query(
          "INSERT INTO runs (name, status, config, params, data_fingerprint, staycast_version, "
          "seed, tags, user_name, start_time, pid, host, process_start, heartbeat) VALUES "
          "(?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {spec.name, spec.config.dump(), spec.params.dump(), spec.data_fingerprint,
           std::string(kVersion), spec.seed ? SqlValue(*spec.seed) : SqlValue(), tags.dump(),
           UserOrDefault(spec.user), now, pid, HostName(), ProcessStartTicks(pid), now}));
  if (rows.empty()) return InternalError("registry: INSERT INTO runs returned no id");
  return CellInt(rows[0], 0, "runs.id");
}

Status Registry::LogMetric(int64_t run_id, const std::string& model, const std::string& split,
                           const std::string& name, double value) {
  return LogMetrics(run_id, model, split, {{name, value}});
}

Status Registry::LogMetrics(int64_t run_id, const std::string& model, const std::string& split,
                            const std::map<std::string, double>& values) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  ASSIGN_OR_RETURN(std::vector<SqlRow> found,
                   store_->Query("SELECT id FROM runs WHERE id = ?", {run_id}));
  if (found.empty()) return NotFoundError("run " + std::to_string(run_id) + " does not exist");
  for (const auto& [name, value] : values) {
    RETURN_IF_ERROR(store_->Exec(
        "INSERT INTO run_metrics (run_id, model, split, name, value) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (run_id, model, split, name) DO UPDATE SET value = excluded.value",
        {run_id, model, split, name, value}));
  }
  return tx.Commit();
}

Status Registry::Heartbeat(int64_t run_id) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query("UPDATE runs SET heartbeat = ? WHERE id = ? RETURNING id",
                                 {options_.env->Now(), run_id}));
  if (rows.empty()) return NotFoundError("run " + std::to_string(run_id) + " does not exist");
  return OkStatus();
}

Status Registry::FinishRun(int64_t run_id, RunStatus status, const std::string& bundle_path,
                           const std::string& error) {
  if (status == RunStatus::kRunning) {
    return InvalidArgumentError("FinishRun: status must be finished or failed");
  }
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_.get()));
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query("SELECT status FROM runs WHERE id = ?", {run_id}));
  if (rows.empty()) return NotFoundError("run " + std::to_string(run_id) + " does not exist");
  if (CellText(rows[0], 0) != "running") {
    return FailedPreconditionError("run " + std::to_string(run_id) + " is already " +
                                   CellText(rows[0], 0));
  }
  RETURN_IF_ERROR(store_->Exec(
      "UPDATE runs SET status = ?, end_time = ?, heartbeat = ?, bundle_path = ?, error = ? "
      "WHERE id = ?",
      {std::string(RunStatusName(status)), options_.env->Now(), options_.env->Now(), bundle_path,
       error, run_id}));
  return tx.Commit();
}

StatusOr<Run> Registry::GetRun(int64_t run_id) {
  ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      store_->Query(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?", {run_id}));
  if (rows.empty()) return NotFoundError("run " + std::to_string(run_id) + " does not exist");
  ASSIGN_OR_RETURN(Run run, ParseRunRow(rows[0]));
  ASSIGN_OR_RETURN(std::vector<SqlRow> metrics,
                   store_->Query("SELECT model, split, name, value FROM run_metrics WHERE "
                                 "run_id = ? ORDER BY model, split, name",
                                 {run_id}));
  for (const SqlRow& row : metrics) {
    RunMetric m{CellText(row, 0), CellText(row, 1), CellText(row, 2), 0};
    ASSIGN_OR_RETURN(m.value, CellDouble(row, 3, "value"));
    run.metrics.push_back(std::move(m));
  }
  return run;
}

StatusOr<std::vector<Run>> Registry::ListRuns(const RunFilter& filter) {
  RETURN_IF_ERROR(MarkStaleRuns().status());
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (filter.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(RunStatusName(*filter.status)));
  }
  if (!filter.name.empty()) {
    sql += " AND name = ?";
    params.emplace_back(filter.name);
  }
  sql += " ORDER BY id DESC";
  if (filter.limit > 0) {
    sql += " LIMIT ?";
    params.emplace_back(static_cast<int64_t>(filter.limit));
  }
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows, store_->Query(sql, params));
  std::vector<Run> runs;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(Run run, ParseRunRow(row));
    runs.push_back(std::move(run));
  }
  return runs;
}

StatusOr<int> Registry::MarkStaleRuns() {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store_->Query("SELECT id, pid, host, process_start, heartbeat, start_time "
                                 "FROM runs WHERE status = 'running'"));
  const std::string host = HostName();
  const Timestamp now = options_.env->Now();
  int marked = 0;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(const int64_t id, CellInt(row, 0, "id"));
    const int64_t pid = CellOptionalInt(row, 1).value_or(0);
    const std::string run_host = CellText(row, 2);
    const Timestamp last_seen =
        CellOptionalInt(row, 4).value_or(CellOptionalInt(row, 5).value_or(0));
    std::string why;
    if (run_host == host && pid > 0) {
      if (!ProcessAlive(pid, CellOptionalInt(row, 3).value_or(0))) {
        why = "interrupted: its process " + std::to_string(pid) + " on " + host +
              " ended without finishing the run";
      }
    } else if (now - last_seen > options_.stale_heartbeat_seconds) {
      why = "interrupted: no heartbeat from " + (run_host.empty() ? "its process" : run_host) +
            " since " + FormatTimestamp(last_seen);
    }
    if (why.empty()) continue;
    ASSIGN_OR_RETURN(std::vector<SqlRow> updated,
                     store_->Query("UPDATE runs SET status = 'failed', end_time = ?, error = ? "
                                   "WHERE id = ? AND status = 'running' RETURNING id",
                                   {now, why, id}));
    marked += static_cast<int>(updated.size());
  }
  return marked;
}

}  // namespace staycast::registry
