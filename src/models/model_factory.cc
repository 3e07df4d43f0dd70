// CreateModel: maps a type name to its implementation and checks the type suits the task.
#include <map>

#include "src/models/baseline_models.h"
#include "src/models/linear_model.h"
#include "src/models/model.h"
#include "src/models/svr_model.h"
#include "src/models/xgboost_model.h"

namespace staycast::models {
namespace {

struct TypeInfo {
  bool regression;
  bool classification;
  int simplicity;
};

const std::map<std::string, TypeInfo>& Types() {
  static const std::map<std::string, TypeInfo> kTypes = {
      {"gradient_boosting", {true, true, 4}},
      {"random_forest", {true, true, 3}},
      {"ridge", {true, false, 1}},
      {"logistic", {false, true, 1}},
      {"svr", {true, false, 2}},
      {"mean", {true, false, 0}},
      {"median", {true, false, 0}},
      {"group_median", {true, false, 0}},
      {"prevalence", {false, true, 0}},
      {"always_negative", {false, true, 0}},
  };
  return kTypes;
}

}  // namespace

std::vector<std::string> ModelTypes(Task task) {
  std::vector<std::string> out;
  for (const auto& [name, info] : Types()) {
    if (task == Task::kRegression ? info.regression : info.classification) out.push_back(name);
  }
  return out;
}

int ModelSimplicityRank(const std::string& type) {
  constexpr int kUnknownRank = 5;
  auto it = Types().find(type);
  return it == Types().end() ? kUnknownRank : it->second.simplicity;
}

StatusOr<std::unique_ptr<Model>> CreateModel(const std::string& type, const nlohmann::json& params,
                                             Task task) {
  auto it = Types().find(type);
  const std::vector<std::string> valid = ModelTypes(task);
  std::string list;
  for (const std::string& name : valid) list += (list.empty() ? "" : ", ") + name;
  if (it == Types().end()) {
    return InvalidArgumentError("unknown model type '" + type + "'; " + TaskName(task) +
                                " models are: " + list);
  }
  if (!(task == Task::kRegression ? it->second.regression : it->second.classification)) {
    return InvalidArgumentError("model type '" + type + "' is not a " + TaskName(task) +
                                " model; " + TaskName(task) + " models are: " + list);
  }
  if (type == "gradient_boosting" || type == "random_forest") {
    return CreateXgboostModel(type, params, task);
  }
  if (type == "ridge" || type == "logistic") return CreateLinearModel(type, params, task);
  if (type == "svr") return CreateSvrModel(params, task);
  return CreateBaselineModel(type, params, task);
}

}  // namespace staycast::models
