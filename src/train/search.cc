// Cross-validated hyperparameter search per candidate.
#include "src/train/search.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "src/eval/split.h"

namespace staycast::train {
namespace {

std::string FormatValue(const nlohmann::json& v) {
  if (v.is_number_float()) return fmt::format("{:.4g}", v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// The rows of each fold's training and held-out parts.
struct FoldRows {
  std::vector<size_t> fit, held;
};

std::vector<FoldRows> SplitFolds(const std::vector<int>& folds, int k) {
  std::vector<FoldRows> out(static_cast<size_t>(k));
  for (size_t r = 0; r < folds.size(); ++r) {
    for (int f = 0; f < k; ++f) {
      (folds[r] == f ? out[f].held : out[f].fit).push_back(r);
    }
  }
  return out;
}

// The primary metric of one fit on fold rows `f`, scored on its held-out rows.
StatusOr<double> ScoreFold(const TrainConfig& config, const std::string& type,
                           const nlohmann::json& params, const Part& train, const FoldRows& f,
                           const Part& valid, const std::vector<double>* weights) {
  const models::Matrix x_fit = models::SelectRows(train.x, f.fit);
  const std::vector<double> y_fit = models::SelectElements(train.y, f.fit);
  std::vector<double> w_fit;
  ASSIGN_OR_RETURN(std::unique_ptr<models::Model> model,
                   models::CreateModel(type, params, config.task));
  models::FitOptions fit;
  fit.threads = config.threads;
  fit.seed = config.seed;
  if (weights != nullptr) {
    w_fit = models::SelectElements(*weights, f.fit);
    fit.weights = &w_fit;
  }
  if (valid.x.rows > 0) {
    fit.x_valid = &valid.x;
    fit.y_valid = &valid.y;
  }
  RETURN_IF_ERROR(model->Fit(x_fit, y_fit, fit));
  ASSIGN_OR_RETURN(std::vector<double> pred, model->Predict(models::SelectRows(train.x, f.held)));
  ASSIGN_OR_RETURN(nlohmann::json metrics,
                   ScoreMetrics(config.task, models::SelectElements(train.y, f.held), pred, false));
  const auto it = metrics.find(config.primary_metric);
  if (it == metrics.end() || !it->is_number()) {
    return FailedPreconditionError(config.primary_metric + " is undefined on a held-out fold");
  }
  return it->get<double>();
}

}  // namespace

std::string FormatTrialParams(const SearchSpace& space, const nlohmann::json& params) {
  std::string out;
  for (const auto& [name, d] : space.params) {
    if (!out.empty()) out += ", ";
    out += name + "=" + (params.contains(name) ? FormatValue(params[name]) : "default");
  }
  return out;
}

nlohmann::json SearchOutcome::ToJson(const SearchConfig& config, const std::string& metric) const {
  nlohmann::json trial_list = nlohmann::json::array();
  for (const SearchTrialResult& t : trials) {
    trial_list.push_back({{"params", t.params},
                          {"cv_mean", t.cv_mean},
                          {"cv_sd", t.cv_sd},
                          {"fold_scores", t.fold_scores},
                          {"seconds", t.seconds}});
  }
  double seconds = 0;
  for (const SearchTrialResult& t : trials) seconds += t.seconds;
  return {{"method", SearchMethodName(config.method)},
          {"seconds", seconds},
          {"folds", folds},
          {"grouped", grouped},
          {"metric", metric},
          {"trials_run", trials.size()},
          {"trial_budget", config.trials},
          {"time_budget_s", config.time_budget_s},
          {"stopped_by", stopped_by},
          {"best",
           {{"trial", best + 1},
            {"params", best_trial().params},
            {"cv_mean", best_trial().cv_mean},
            {"cv_sd", best_trial().cv_sd}}},
          {"trials", trial_list}};
}

StatusOr<std::vector<int>> CrossValidationFolds(const data::Table& train_table,
                                                const std::string& group_column, int k,
                                                uint64_t seed) {
  StatusOr<std::vector<int>> folds = eval::GroupKFold(train_table, group_column, k, seed);
  if (!folds.ok()) return folds.status().WithContext("models.search.folds");
  return folds;
}

StatusOr<SearchOutcome> SearchCandidate(const TrainConfig& config, const CandidateSpec& spec,
                                        const SearchSpace& space, const Part& train,
                                        const std::vector<int>& folds, const Part& valid,
                                        const std::vector<double>* weights,
                                        const std::function<void(const std::string&)>& progress) {
  if (folds.size() != train.y.size()) {
    return InternalError(
        fmt::format("search: {} fold labels for {} training rows", folds.size(), train.y.size()));
  }
  const int k = config.search.folds;
  const std::vector<FoldRows> fold_rows = SplitFolds(folds, k);
  for (int f = 0; f < k; ++f) {
    if (fold_rows[f].held.empty() || fold_rows[f].fit.empty()) {
      return FailedPreconditionError(fmt::format(
          "models.search.folds: fold {} of {} is empty; use fewer folds or more rows", f + 1, k));
    }
  }
  const std::vector<nlohmann::json> trials =
      SearchTrials(config.search, space, spec.params, config.seed);
  SearchOutcome out;
  out.folds = k;
  out.grouped = !config.split.group_column.empty();
  out.stopped_by = "trials";
  if (progress) {
    progress(fmt::format("searching {} ({}): {} search, {} trials, {}-fold {}CV on {} rows{}",
                         spec.name, spec.type, SearchMethodName(config.search.method),
                         trials.size(), k, out.grouped ? "grouped " : "", train.y.size(),
                         config.search.time_budget_s > 0
                             ? fmt::format(", time budget {:g} s", config.search.time_budget_s)
                             : ""));
  }
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (size_t t = 0; t < trials.size(); ++t) {
    if (t > 0 && config.search.time_budget_s > 0 && elapsed() >= config.search.time_budget_s) {
      out.stopped_by = "time_budget";
      break;
    }
    const double trial_start = elapsed();
    SearchTrialResult r;
    r.params = trials[t];
    for (int f = 0; f < k; ++f) {
      StatusOr<double> score =
          ScoreFold(config, spec.type, trials[t], train, fold_rows[f], valid, weights);
      if (!score.ok()) {
        return score.status().WithContext(fmt::format("search of '{}' trial {} ({}), fold {}",
                                                      spec.name, t + 1,
                                                      FormatTrialParams(space, trials[t]), f + 1));
      }
      r.fold_scores.push_back(*score);
    }
    double sum = 0;
    for (double s : r.fold_scores) sum += s;
    r.cv_mean = sum / k;
    double ss = 0;
    for (double s : r.fold_scores) ss += (s - r.cv_mean) * (s - r.cv_mean);
    r.cv_sd = std::sqrt(ss / (k - 1));
    r.seconds = elapsed() - trial_start;
    out.trials.push_back(std::move(r));
    const SearchTrialResult& last = out.trials.back();
    const double best = out.best_trial().cv_mean;
    if (config.greater_is_better ? last.cv_mean > best : last.cv_mean < best) {
      out.best = out.trials.size() - 1;
    }
    if (progress) {
      progress(fmt::format("  {} trial {}/{}: cv {} {:.4f} ± {:.4f} ({}) {:.1f} s{}", spec.name,
                           t + 1, trials.size(), config.primary_metric, last.cv_mean, last.cv_sd,
                           FormatTrialParams(space, last.params), last.seconds,
                           out.best == out.trials.size() - 1 ? " *best" : ""));
    }
  }
  if (progress) {
    progress(fmt::format("  {} search done: best trial {} of {}, cv {} {:.4f} ± {:.4f} ({}){}",
                         spec.name, out.best + 1, out.trials.size(), config.primary_metric,
                         out.best_trial().cv_mean, out.best_trial().cv_sd,
                         FormatTrialParams(space, out.best_trial().params),
                         out.stopped_by == "time_budget" ? "; stopped by the time budget" : ""));
  }
  return out;
}

}  // namespace staycast::train
