// Baseline models: constant predictions (mean, median, prevalence, zero) and per-group medians.
#include "src/models/baseline_models.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "src/models/params.h"

namespace staycast::models {
namespace {

double MedianOf(std::vector<double> v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), v.begin() + mid)) / 2;
  return m;
}

// mean, median, prevalence, always_negative: one number learned from y.
class ConstantModel : public Model {
 public:
  ConstantModel(std::string type, Task task) : Model(task), type_(std::move(type)) {}

  std::string type() const override { return type_; }
  nlohmann::json params() const override { return nlohmann::json::object(); }

 protected:
  bool needs_features() const override { return false; }
  Status FitImpl(const Matrix& x, const std::vector<double>& y, const std::vector<double>& w,
                 const FitOptions& options) override {
    if (type_ == "always_negative") {
      value_ = 0;
    } else if (type_ == "median") {
      value_ = MedianOf(y);
    } else {  // mean, prevalence: the weighted mean
      double sum = 0;
      double total = 0;
      for (size_t i = 0; i < y.size(); ++i) {
        const double wi = w.empty() ? 1.0 : w[i];
        sum += wi * y[i];
        total += wi;
      }
      value_ = sum / total;
    }
    return OkStatus();
  }
  StatusOr<std::vector<double>> PredictImpl(const Matrix& x) const override {
    return std::vector<double>(x.rows, value_);
  }
  StatusOr<nlohmann::json> SaveStateJson() const override {
    return nlohmann::json{{"value", value_}};
  }
  Status LoadStateJson(const nlohmann::json& state) override {
    value_ = state.at("value").get<double>();
    return OkStatus();
  }
  nlohmann::json DescribeFit() const override { return {{"value", value_}}; }

 private:
  std::string type_;
  double value_ = 0;
};

class GroupMedianModel : public Model {
 public:
  GroupMedianModel(Task task, nlohmann::json params) : Model(task), params_(std::move(params)) {}

  std::string type() const override { return "group_median"; }
  nlohmann::json params() const override { return params_; }

 protected:
  Status FitImpl(const Matrix& x, const std::vector<double>& y, const std::vector<double>& w,
                 const FitOptions& options) override;
  StatusOr<std::vector<double>> PredictImpl(const Matrix& x) const override;
  StatusOr<nlohmann::json> SaveStateJson() const override;
  Status LoadStateJson(const nlohmann::json& state) override;
  nlohmann::json DescribeFit() const override {
    return {{"groups", medians_.size()}, {"overall_median", overall_}};
  }

 private:
  // Group columns of x (by name); fails naming the parameter if none match.
  Status ResolveColumns(const Matrix& x);
  std::string GroupOf(const float* row) const;

  nlohmann::json params_;
  std::vector<size_t> columns_;
  std::vector<std::string> column_names_;
  std::map<std::string, double> medians_;
  double overall_ = 0;
};

Status GroupMedianModel::ResolveColumns(const Matrix& x) {
  columns_.clear();
  column_names_.clear();
  const std::string feature = params_.value("group_feature", "");
  const std::string prefix = params_.value("group_prefix", "");
  for (size_t c = 0; c < x.feature_names.size(); ++c) {
    const std::string& name = x.feature_names[c];
    if ((!feature.empty() && name == feature) ||
        (!prefix.empty() && name.compare(0, prefix.size(), prefix) == 0)) {
      columns_.push_back(c);
      column_names_.push_back(name);
    }
  }
  if (columns_.empty()) {
    const std::string key = feature.empty() ? "group_prefix" : "group_feature";
    return InvalidArgumentError("parameter '" + key + "' = '" +
                                (feature.empty() ? prefix : feature) +
                                "' matches no feature name of the training matrix (" +
                                std::to_string(x.feature_names.size()) +
                                " named features); name a column the pipeline produces");
  }
  return OkStatus();
}

std::string GroupMedianModel::GroupOf(const float* row) const {
  if (params_.contains("group_feature")) {
    const float v = row[columns_[0]];
    if (std::isnan(v)) return "NaN";
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.9g", v);
    return buf;
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (row[columns_[i]] > 0.5F) return column_names_[i];
  }
  return "none";
}

Status GroupMedianModel::FitImpl(const Matrix& x, const std::vector<double>& y,
                                 const std::vector<double>& w, const FitOptions& options) {
  RETURN_IF_ERROR(ResolveColumns(x));
  overall_ = MedianOf(y);
  std::map<std::string, std::vector<double>> groups;
  for (size_t r = 0; r < x.rows; ++r) groups[GroupOf(x.row(r))].push_back(y[r]);
  const auto min_size = static_cast<size_t>(params_.at("min_group_size").get<int>());
  medians_.clear();
  for (auto& [group, values] : groups) {
    if (values.size() >= min_size) medians_[group] = MedianOf(std::move(values));
  }
  return OkStatus();
}

StatusOr<std::vector<double>> GroupMedianModel::PredictImpl(const Matrix& x) const {
  std::vector<double> out(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    auto it = medians_.find(GroupOf(x.row(r)));
    out[r] = it == medians_.end() ? overall_ : it->second;
  }
  return out;
}

StatusOr<nlohmann::json> GroupMedianModel::SaveStateJson() const {
  nlohmann::json groups = nlohmann::json::object();
  for (const auto& [group, median] : medians_) groups[group] = median;
  return nlohmann::json{{"columns", columns_},
                        {"column_names", column_names_},
                        {"overall_median", overall_},
                        {"medians", groups}};
}

Status GroupMedianModel::LoadStateJson(const nlohmann::json& state) {
  columns_ = state.at("columns").get<std::vector<size_t>>();
  column_names_ = state.at("column_names").get<std::vector<std::string>>();
  overall_ = state.at("overall_median").get<double>();
  medians_.clear();
  for (const auto& [group, median] : state.at("medians").items()) {
    medians_[group] = median.get<double>();
  }
  if (columns_.empty() || columns_.size() != column_names_.size()) {
    return DataLossError("group_median state has no group columns");
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<Model>> CreateBaselineModel(const std::string& type,
                                                     const nlohmann::json& params, Task task) {
  ParamReader r(type, params);
  if (type == "group_median") {
    const std::string feature = r.OptionalString("group_feature");
    const std::string prefix = r.OptionalString("group_prefix");
    r.Int("min_group_size", 5, 1, 1000000000);
    RETURN_IF_ERROR(r.Finish());
    if (feature.empty() == prefix.empty()) {
      return InvalidArgumentError(
          "group_median: set exactly one of 'group_feature' (a column holding a group code) or "
          "'group_prefix' (the name prefix of one-hot group columns, e.g. \"department=\")");
    }
    return std::unique_ptr<Model>(std::make_unique<GroupMedianModel>(task, r.resolved()));
  }
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(std::make_unique<ConstantModel>(type, task));
}

}  // namespace staycast::models
