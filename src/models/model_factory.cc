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
};

const std::map<std::string, TypeInfo>& Types() {
  static const std::map<std::string, TypeInfo> kTypes = {
      {"gradient_boosting", {true, true}},
      {"random_forest", {true, true}},
      {"ridge", {true, false}},
      {"logistic", {false, true}},
      {"svr", {true, false}},
      {"mean", {true, false}},
      {"median", {true, false}},
      {"group_median", {true, false}},
      {"prevalence", {false, true}},
      {"always_negative", {false, true}},
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
