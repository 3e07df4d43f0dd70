// `staycast runs list|show|compare`: the training runs recorded in the registry.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "src/cli/command.h"
#include "src/cli/text_table.h"
#include "src/registry/registry.h"
#include "src/registry/registry_json.h"

namespace staycast::cli {
namespace {

namespace reg = ::staycast::registry;

struct RunsOptions {
  std::string registry;
  bool json = false;
  std::string status;
  std::string name;
  int limit = 20;
  std::vector<int64_t> ids;
  std::string split;
};

StatusOr<std::unique_ptr<reg::Registry>> OpenForReading(const RunsOptions& opts) {
  reg::RegistryOptions options;
  options.create_if_missing = false;
  return reg::Registry::Open(opts.registry, options);
}

std::string Duration(const reg::Run& run) {
  if (!run.end_time) return "";
  const int64_t seconds = *run.end_time - run.start_time;
  return std::to_string(seconds) + "s";
}

Status RunList(const RunsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, OpenForReading(opts));
  reg::RunFilter filter;
  filter.limit = opts.limit;
  filter.name = opts.name;
  if (!opts.status.empty()) {
    ASSIGN_OR_RETURN(filter.status, reg::ParseRunStatus(opts.status));
  }
  ASSIGN_OR_RETURN(std::vector<reg::Run> runs, registry->ListRuns(filter));
  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const reg::Run& run : runs) out.push_back(reg::ToJson(run));
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(runs.size());
  for (const reg::Run& run : runs) {
    rows.push_back({std::to_string(run.id), run.name, reg::RunStatusName(run.status),
                    FormatTimestamp(run.start_time), Duration(run), run.user,
                    run.error.empty() ? run.bundle_path : run.error});
  }
  Print(FormatTextTable({"ID", "NAME", "STATUS", "STARTED (UTC)", "TOOK", "USER", "BUNDLE / ERROR"},
                        rows));
  return OkStatus();
}

Status RunShow(const RunsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, OpenForReading(opts));
  RETURN_IF_ERROR(registry->MarkStaleRuns().status());
  ASSIGN_OR_RETURN(reg::Run run, registry->GetRun(opts.ids.at(0)));
  if (opts.json) {
    Print(reg::ToJson(run).dump(2) + "\n");
    return OkStatus();
  }
  std::string text =
      "run " + std::to_string(run.id) + (run.name.empty() ? "" : " (" + run.name + ")") + "\n";
  auto field = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) text += "  " + key + ": " + value + "\n";
  };
  field("status", reg::RunStatusName(run.status));
  field("error", run.error);
  field("started", FormatTimestamp(run.start_time) + " UTC by " + run.user + " (pid " +
                       std::to_string(run.pid) + " on " + run.host + ")");
  if (run.end_time) field("ended", FormatTimestamp(*run.end_time) + " UTC");
  field("staycast", run.staycast_version);
  field("seed", run.seed ? std::to_string(*run.seed) : "");
  field("data fingerprint", run.data_fingerprint);
  field("bundle", run.bundle_path);
  for (const auto& [key, value] : run.tags) field("tag " + key, value);
  if (!run.params.empty()) field("params", run.params.dump());
  Print(text);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(run.metrics.size());
  for (const reg::RunMetric& m : run.metrics) {
    rows.push_back({m.model, m.split, m.name, reg::FormatDouble(m.value)});
  }
  if (!rows.empty()) Print("\n" + FormatTextTable({"MODEL", "SPLIT", "METRIC", "VALUE"}, rows));
  return OkStatus();
}

// Flattens nested JSON objects into "a.b.c" -> value text.
void Flatten(const nlohmann::json& j, const std::string& prefix,
             std::map<std::string, std::string>* out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      Flatten(value, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  (*out)[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
}

Status RunCompare(const RunsOptions& opts) {
  if (opts.ids.size() < 2) return InvalidArgumentError("runs compare: give at least two run ids");
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, OpenForReading(opts));
  std::vector<reg::Run> runs;
  for (int64_t id : opts.ids) {
    ASSIGN_OR_RETURN(reg::Run run, registry->GetRun(id));
    runs.push_back(std::move(run));
  }
  // Metrics: one row per (model, split, metric), one column per run.
  std::map<std::string, std::vector<std::string>> metric_rows;
  for (size_t r = 0; r < runs.size(); ++r) {
    for (const reg::RunMetric& m : runs[r].metrics) {
      if (!opts.split.empty() && m.split != opts.split) continue;
      auto& row = metric_rows[m.model + "\t" + m.split + "\t" + m.name];
      row.resize(runs.size());
      row[r] = reg::FormatDouble(m.value);
    }
  }
  // Config and params: only the keys whose values differ.
  std::vector<std::map<std::string, std::string>> flat(runs.size());
  std::set<std::string> keys;
  for (size_t r = 0; r < runs.size(); ++r) {
    Flatten(runs[r].config, "config", &flat[r]);
    Flatten(runs[r].params, "params", &flat[r]);
    flat[r]["seed"] = runs[r].seed ? std::to_string(*runs[r].seed) : "";
    flat[r]["data_fingerprint"] = runs[r].data_fingerprint;
    for (const auto& [key, value] : flat[r]) keys.insert(key);
  }
  std::map<std::string, std::vector<std::string>> diff_rows;
  for (const std::string& key : keys) {
    std::vector<std::string> values;
    for (const auto& f : flat) {
      const auto it = f.find(key);
      values.push_back(it == f.end() ? "" : it->second);
    }
    if (std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) != values.end()) {
      diff_rows[key] = values;
    }
  }
  if (opts.json) {
    nlohmann::json out;
    out["runs"] = opts.ids;
    nlohmann::json metrics = nlohmann::json::array();
    for (const auto& [key, values] : metric_rows) {
      const size_t t1 = key.find('\t');
      const size_t t2 = key.find('\t', t1 + 1);
      metrics.push_back({{"model", key.substr(0, t1)},
                         {"split", key.substr(t1 + 1, t2 - t1 - 1)},
                         {"metric", key.substr(t2 + 1)},
                         {"values", values}});
    }
    out["metrics"] = metrics;
    out["differences"] = diff_rows;
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  std::vector<std::string> header = {"MODEL", "SPLIT", "METRIC"};
  for (int64_t id : opts.ids) header.push_back("RUN " + std::to_string(id));
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, values] : metric_rows) {
    const size_t t1 = key.find('\t');
    const size_t t2 = key.find('\t', t1 + 1);
    std::vector<std::string> row = {key.substr(0, t1), key.substr(t1 + 1, t2 - t1 - 1),
                                    key.substr(t2 + 1)};
    row.insert(row.end(), values.begin(), values.end());
    rows.push_back(std::move(row));
  }
  Print(FormatTextTable(header, rows));
  if (!diff_rows.empty()) {
    std::vector<std::string> diff_header = {"DIFFERS"};
    for (int64_t id : opts.ids) diff_header.push_back("RUN " + std::to_string(id));
    std::vector<std::vector<std::string>> drows;
    for (const auto& [key, values] : diff_rows) {
      std::vector<std::string> row = {key};
      row.insert(row.end(), values.begin(), values.end());
      drows.push_back(std::move(row));
    }
    Print("\n" + FormatTextTable(diff_header, drows));
  }
  return OkStatus();
}

void AddCommon(CLI::App* sub, const std::shared_ptr<RunsOptions>& opts) {
  sub->add_option("--registry", opts->registry,
                  "Registry: sqlite:PATH, a file path or postgresql://... (default "
                  "$STAYCAST_REGISTRY, $STAYCAST_HOME/staycast.db or ./staycast.db)");
  sub->add_flag("--json", opts->json, "Print JSON for scripts instead of a table");
}

}  // namespace

void AddRunsCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<RunsOptions>();
  CLI::App* runs = app.add_subcommand("runs", "List, show and compare recorded training runs");
  runs->require_subcommand(1);

  CLI::App* list = runs->add_subcommand("list", "List runs, newest first");
  AddCommon(list, opts);
  list->add_option("--status", opts->status,
                   "Only runs with this status (running|finished|failed)");
  list->add_option("--name", opts->name, "Only runs with this name");
  list->add_option("--limit", opts->limit, "How many runs (0: all)")->capture_default_str();
  list->callback([opts, action] { *action = [opts] { return RunList(*opts); }; });

  CLI::App* show = runs->add_subcommand("show", "Show one run: config, params, metrics");
  AddCommon(show, opts);
  show->add_option("id", opts->ids, "Run id")->required()->expected(1);
  show->callback([opts, action] { *action = [opts] { return RunShow(*opts); }; });

  CLI::App* compare = runs->add_subcommand("compare", "Compare runs' metrics and settings");
  AddCommon(compare, opts);
  compare->add_option("ids", opts->ids, "Two or more run ids")->required();
  compare->add_option("--split", opts->split, "Only metrics of this split (e.g. test)");
  compare->callback([opts, action] { *action = [opts] { return RunCompare(*opts); }; });
}

}  // namespace staycast::cli
