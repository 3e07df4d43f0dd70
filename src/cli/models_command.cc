// `staycast models ...`: registered models, their versions, aliases (promote, rollback), tags and
// archiving. Thin: parses, calls staycast::registry::Registry, prints a table or --json.
#include <chrono>
#include <cstdio>
#include <memory>

#include "src/cli/command.h"
#include "src/cli/promote_on_data.h"
#include "src/cli/text_table.h"
#include "src/registry/registry.h"
#include "src/registry/registry_json.h"

namespace staycast::cli {
namespace {

namespace reg = ::staycast::registry;

struct ModelsOptions {
  std::string registry;
  std::string artifacts;
  std::string user;
  bool json = false;
  std::string name;
  int version = 0;
  std::string bundle;
  int64_t run_id = 0;
  std::string description;
  std::string alias = "champion";
  std::string history_alias;
  bool force = false;
  bool dry_run = false;
  std::string reason;
  std::vector<std::string> tags;
  bool undo = false;
  std::string on_data;
  std::string on_history;
  bool clean = false;
  int older_than_minutes = 60;
};

StatusOr<std::unique_ptr<reg::Registry>> Open(const ModelsOptions& opts, bool create) {
  reg::RegistryOptions options;
  options.create_if_missing = create;
  options.artifact_root = opts.artifacts;
  return reg::Registry::Open(opts.registry, options);
}

std::string VersionText(const std::optional<int>& v) { return v ? std::to_string(*v) : "-"; }

std::string MetricText(const nlohmann::json& metadata) {
  if (!metadata.contains("primary_metric") || !metadata["primary_metric"].is_object()) return "";
  std::string name = metadata["primary_metric"].value("name", std::string());
  if (metadata.contains("metrics") && metadata["metrics"].contains("test") &&
      metadata["metrics"]["test"].contains(name) && metadata["metrics"]["test"][name].is_number()) {
    return "test " + name + " " +
           reg::FormatDouble(metadata["metrics"]["test"][name].get<double>());
  }
  return name;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string AliasesText(const std::map<std::string, int>& aliases) {
  std::string out;
  for (const auto& [alias, version] : aliases) {
    out += (out.empty() ? "" : " ") + alias + "=v" + std::to_string(version);
  }
  return out;
}

Status List(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  ASSIGN_OR_RETURN(std::vector<reg::RegisteredModel> models, registry->ListModels());
  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : models) out.push_back(reg::ToJson(m));
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(models.size());
  for (const auto& m : models) {
    rows.push_back({m.name, std::to_string(m.num_versions), std::to_string(m.latest_version),
                    AliasesText(m.aliases), FormatTimestamp(m.created), m.description});
  }
  Print(FormatTextTable({"MODEL", "VERSIONS", "LATEST", "ALIASES", "CREATED (UTC)", "DESCRIPTION"},
                        rows));
  return OkStatus();
}

std::vector<std::vector<std::string>> VersionRows(const std::vector<reg::ModelVersion>& versions) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(versions.size());
  for (const auto& v : versions) {
    rows.push_back({std::to_string(v.version), Join(v.aliases), MetricText(v.metadata),
                    v.run_id ? std::to_string(*v.run_id) : "", FormatTimestamp(v.created),
                    v.created_by, v.archived ? "archived" : "", v.description});
  }
  return rows;
}

const std::vector<std::string> kVersionHeader = {
    "VERSION", "ALIASES", "PRIMARY METRIC", "RUN", "CREATED (UTC)", "BY", "STATE", "DESCRIPTION"};

Status Versions(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  ASSIGN_OR_RETURN(std::vector<reg::ModelVersion> versions, registry->ListVersions(opts.name));
  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : versions) out.push_back(reg::ToJson(v));
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  Print(FormatTextTable(kVersionHeader, VersionRows(versions)));
  return OkStatus();
}

Status Show(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  if (opts.version > 0) {
    ASSIGN_OR_RETURN(reg::ModelVersion v, registry->GetVersion(opts.name, opts.version));
    if (opts.json) {
      Print(reg::ToJson(v).dump(2) + "\n");
      return OkStatus();
    }
    std::string text = v.model + " version " + std::to_string(v.version) + "\n";
    text += "  artifact: " + v.artifact_path + "\n  sha256 (manifest): " + v.manifest_sha256 +
            "\n  registered from: " + v.source_path + "\n  created: " + FormatTimestamp(v.created) +
            " UTC by " + v.created_by + "\n";
    if (v.run_id) text += "  run: " + std::to_string(*v.run_id) + "\n";
    if (!v.aliases.empty()) text += "  aliases: " + Join(v.aliases) + "\n";
    if (v.archived) text += "  archived\n";
    for (const auto& [key, value] : v.tags) text += "  tag " + key + ": " + value + "\n";
    text += "  metadata: " + v.metadata.dump() + "\n";
    Print(text);
    return OkStatus();
  }
  ASSIGN_OR_RETURN(reg::RegisteredModel model, registry->GetModel(opts.name));
  ASSIGN_OR_RETURN(std::vector<reg::ModelVersion> versions, registry->ListVersions(opts.name));
  if (opts.json) {
    nlohmann::json out = reg::ToJson(model);
    out["versions"] = nlohmann::json::array();
    for (const auto& v : versions) out["versions"].push_back(reg::ToJson(v));
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  Print(model.name + ": " + std::to_string(model.num_versions) + " version(s), created " +
        FormatTimestamp(model.created) + " UTC by " + model.created_by + "\n");
  if (!model.aliases.empty()) Print("aliases: " + AliasesText(model.aliases) + "\n");
  Print("\n" + FormatTextTable(kVersionHeader, VersionRows(versions)));
  return OkStatus();
}

std::vector<std::vector<std::string>> HistoryRows(const std::vector<reg::AliasMove>& moves) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(moves.size());
  for (const auto& m : moves) {
    std::string action = m.action;
    if (m.details.is_object() && m.details.value("forced", false)) action += " (forced)";
    rows.push_back({FormatTimestamp(m.at), m.alias, VersionText(m.from_version),
                    VersionText(m.to_version), action, m.user, m.reason});
  }
  return rows;
}

Status History(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  ASSIGN_OR_RETURN(std::vector<reg::AliasMove> moves,
                   registry->AliasHistory(opts.name, opts.history_alias));
  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : moves) out.push_back(reg::ToJson(m));
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  Print(FormatTextTable({"WHEN (UTC)", "ALIAS", "FROM", "TO", "ACTION", "WHO", "REASON"},
                        HistoryRows(moves)));
  return OkStatus();
}

Status Register(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, true));
  reg::RegisterOptions options;
  if (opts.run_id > 0) options.run_id = opts.run_id;
  options.user = opts.user;
  options.description = opts.description;
  ASSIGN_OR_RETURN(reg::ModelVersion v, registry->RegisterVersion(opts.name, opts.bundle, options));
  if (opts.json) {
    Print(reg::ToJson(v).dump(2) + "\n");
    return OkStatus();
  }
  Print("Registered " + v.model + " version " + std::to_string(v.version) + " (" +
        MetricText(v.metadata) + ")\n  artifact: " + v.artifact_path + "\n  use: models:/" +
        v.model + "/" + std::to_string(v.version) + "\n");
  return OkStatus();
}

std::string GateText(const reg::GateReport& gate) {
  if (gate.metric.empty()) return "";
  std::string text = gate.source + " " + gate.metric + " " +
                     (gate.candidate ? reg::FormatDouble(*gate.candidate) : "?");
  if (gate.current_version) {
    text += " vs " + (gate.current ? reg::FormatDouble(*gate.current) : "?") + " (version " +
            std::to_string(*gate.current_version) + ")";
  }
  if (gate.baseline) text += ", baseline " + reg::FormatDouble(*gate.baseline);
  text += gate.greater_is_better ? ", higher is better" : ", lower is better";
  return text;
}

Status Promote(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  reg::PromoteOptions options;
  options.force = opts.force;
  options.reason = opts.reason;
  options.user = opts.user;
  if (!opts.on_data.empty()) {
    ASSIGN_OR_RETURN(OnDataMeasurement measured,
                     MeasureOnData(*registry, opts.name, opts.version, opts.alias, opts.on_data,
                                   opts.on_history));
    options.candidate_value = measured.candidate;
    options.current_value = measured.current;
    options.baseline_value = measured.baseline;
    options.source = measured.source;
    if (measured.dropped > 0 && !opts.json) {
      Print("note: " + std::to_string(measured.dropped) + " rows of " + opts.on_data +
            " have no label and were not scored\n");
    }
  } else if (!opts.on_history.empty()) {
    return InvalidArgumentError("--history is only used with --on DATA");
  }
  if (opts.dry_run) {
    ASSIGN_OR_RETURN(reg::GateReport gate,
                     registry->EvaluateGate(opts.name, opts.version, opts.alias, options));
    if (opts.json) {
      Print(gate.ToJson().dump(2) + "\n");
      return OkStatus();
    }
    Print(std::string(gate.passed ? "would promote: " : "would refuse: ") + GateText(gate) + "\n");
    for (const std::string& failure : gate.failures) Print("  " + failure + "\n");
    return OkStatus();
  }
  ASSIGN_OR_RETURN(reg::PromoteResult result,
                   registry->Promote(opts.name, opts.version, opts.alias, options));
  if (opts.json) {
    nlohmann::json out = reg::ToJson(result.move);
    out["gate"] = result.gate.ToJson();
    Print(out.dump(2) + "\n");
    return OkStatus();
  }
  Print("Promoted " + opts.name + " version " + std::to_string(opts.version) + " to '" +
        opts.alias + "' (was " +
        (result.move.from_version ? "version " + std::to_string(*result.move.from_version)
                                  : std::string("unset")) +
        ")" + (result.gate.forced ? " — FORCED past the gate" : "") + "\n  " +
        GateText(result.gate) + "\n");
  return OkStatus();
}

Status Rollback(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  ASSIGN_OR_RETURN(reg::AliasMove move,
                   registry->Rollback(opts.name, opts.alias, opts.user, opts.reason));
  if (opts.json) {
    Print(reg::ToJson(move).dump(2) + "\n");
    return OkStatus();
  }
  Print("Rolled back '" + opts.alias + "' of " + opts.name + ": version " +
        VersionText(move.from_version) + " -> " + VersionText(move.to_version) + "\n");
  return OkStatus();
}

Status Tag(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  for (const std::string& tag : opts.tags) {
    const size_t eq = tag.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError("tag '" + tag + "': expected KEY=VALUE (empty VALUE removes)");
    }
    RETURN_IF_ERROR(
        registry->SetTag(opts.name, opts.version, tag.substr(0, eq), tag.substr(eq + 1)));
  }
  ASSIGN_OR_RETURN(reg::ModelVersion v, registry->GetVersion(opts.name, opts.version));
  if (opts.json) {
    Print(nlohmann::json(v.tags).dump(2) + "\n");
    return OkStatus();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, value] : v.tags) rows.push_back({key, value});
  Print(FormatTextTable({"TAG", "VALUE"}, rows));
  return OkStatus();
}

Status Archive(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  RETURN_IF_ERROR(registry->SetArchived(opts.name, opts.version, !opts.undo));
  if (opts.json) {
    Print(
        nlohmann::json({{"model", opts.name}, {"version", opts.version}, {"archived", !opts.undo}})
            .dump(2) +
        "\n");
    return OkStatus();
  }
  Print(std::string(opts.undo ? "Unarchived " : "Archived ") + opts.name + " version " +
        std::to_string(opts.version) + "\n");
  return OkStatus();
}

Status Check(const ModelsOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<reg::Registry> registry, Open(opts, false));
  ASSIGN_OR_RETURN(reg::ConsistencyReport report, registry->CheckConsistency());
  std::vector<std::string> removed;
  if (opts.clean) {
    ASSIGN_OR_RETURN(removed, registry->RemoveUnreferencedArtifacts(
                                  std::chrono::minutes(opts.older_than_minutes)));
  }
  if (opts.json) {
    Print(nlohmann::json({{"versions_checked", report.versions_checked},
                          {"problems", report.problems},
                          {"unreferenced_dirs", report.unreferenced_dirs},
                          {"removed", removed}})
              .dump(2) +
          "\n");
  } else {
    Print("checked " + std::to_string(report.versions_checked) + " versions: " +
          (report.problems.empty() ? std::string("every artifact verifies")
                                   : std::to_string(report.problems.size()) + " problems") +
          "\n");
    for (const std::string& problem : report.problems) Print("  PROBLEM " + problem + "\n");
    const size_t kept = report.unreferenced_dirs.size() - removed.size();
    for (const std::string& dir : removed) Print("  removed unreferenced " + dir + "\n");
    if (kept > 0) {
      Print("  " + std::to_string(kept) + " unreferenced artifact directories (leftovers of " +
            "interrupted registrations) " +
            (opts.clean ? "are younger than --older-than and were kept"
                        : "can be removed with --clean") +
            "\n");
    }
  }
  if (!report.problems.empty()) {
    return DataLossError(std::to_string(report.problems.size()) +
                         " registered versions have a missing or corrupt artifact (listed above)");
  }
  return OkStatus();
}

using Handler = Status (*)(const ModelsOptions&);

CLI::App* AddSub(CLI::App* models, const char* name, const char* help,
                 const std::shared_ptr<ModelsOptions>& opts, CommandAction* action,
                 Handler handler) {
  CLI::App* sub = models->add_subcommand(name, help);
  sub->add_option("--registry", opts->registry,
                  "Registry: sqlite:PATH, a file path or postgresql://... (default "
                  "$STAYCAST_REGISTRY, $STAYCAST_HOME/staycast.db or ./staycast.db)");
  sub->add_option("--artifacts", opts->artifacts,
                  "Artifact store directory (default $STAYCAST_ARTIFACTS or <db>.artifacts)");
  sub->add_option("--user", opts->user, "Who is acting, for the history (default: the OS user)");
  sub->add_flag("--json", opts->json, "Print JSON for scripts instead of a table");
  sub->callback([opts, action, handler] { *action = [opts, handler] { return handler(*opts); }; });
  return sub;
}

}  // namespace

void AddModelsCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<ModelsOptions>();
  CLI::App* models = app.add_subcommand(
      "models", "Registered models: versions, aliases (promote, rollback), history, tags");
  models->require_subcommand(1);

  AddSub(models, "list", "List registered models", opts, action, List);

  CLI::App* show = AddSub(models, "show", "Show a model (or one version)", opts, action, Show);
  show->add_option("name", opts->name, "Model name")->required();
  show->add_option("version", opts->version, "Version (optional)");

  CLI::App* versions =
      AddSub(models, "versions", "List a model's versions", opts, action, Versions);
  versions->add_option("name", opts->name, "Model name")->required();

  CLI::App* history =
      AddSub(models, "history", "Every alias move of a model: when, who, from, to, why", opts,
             action, History);
  history->add_option("name", opts->name, "Model name")->required();
  history->add_option("--alias", opts->history_alias, "Only this alias");

  CLI::App* reg_cmd =
      AddSub(models, "register", "Copy a bundle into the artifact store as the next version", opts,
             action, Register);
  reg_cmd->add_option("name", opts->name, "Model name")->required();
  reg_cmd->add_option("bundle", opts->bundle, "Bundle directory or .tar")->required();
  reg_cmd->add_option("--run", opts->run_id, "The run that produced the bundle (lineage)");
  reg_cmd->add_option("--description", opts->description, "What this version is");

  CLI::App* promote = AddSub(models, "promote",
                             "Point an alias at a version if it is no worse than the current "
                             "holder and its baseline",
                             opts, action, Promote);
  promote->add_option("name", opts->name, "Model name")->required();
  promote->add_option("version", opts->version, "Version to promote")->required();
  promote->add_option("--alias", opts->alias, "Alias to move")->capture_default_str();
  promote->add_flag("--force", opts->force, "Override a failed gate (needs --reason)");
  promote->add_option("--reason", opts->reason, "Why; recorded in the history");
  promote->add_flag("--dry-run", opts->dry_run, "Only evaluate the gate");
  promote->add_option("--on", opts->on_data,
                      "Compare on these recent labelled rows (CSV or SQL location) instead of "
                      "the bundles' test results");
  promote->add_option("--history", opts->on_history,
                      "Earlier admissions for history features of --on rows");

  CLI::App* rollback = AddSub(models, "rollback",
                              "Move an alias back to the version it pointed at before its last "
                              "move",
                              opts, action, Rollback);
  rollback->add_option("name", opts->name, "Model name")->required();
  rollback->add_option("--alias", opts->alias, "Alias to roll back")->capture_default_str();
  rollback->add_option("--reason", opts->reason, "Why; recorded in the history");

  CLI::App* tag =
      AddSub(models, "tag", "Set KEY=VALUE tags on a version (KEY= removes)", opts, action, Tag);
  tag->add_option("name", opts->name, "Model name")->required();
  tag->add_option("version", opts->version, "Version")->required();
  tag->add_option("tags", opts->tags, "KEY=VALUE ...")->required();

  CLI::App* archive =
      AddSub(models, "archive", "Archive a version (hidden from latest, not promotable)", opts,
             action, Archive);
  archive->add_option("name", opts->name, "Model name")->required();
  archive->add_option("version", opts->version, "Version")->required();
  archive->add_flag("--undo", opts->undo, "Unarchive instead");

  CLI::App* check = AddSub(models, "check",
                           "Verify every version's artifact; list (or --clean) unreferenced "
                           "artifact directories",
                           opts, action, Check);
  check->add_flag("--clean", opts->clean,
                  "Delete unreferenced artifact directories older than --older-than");
  check
      ->add_option("--older-than", opts->older_than_minutes,
                   "Minutes; younger leftovers may be a registration in progress")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

}  // namespace staycast::cli
