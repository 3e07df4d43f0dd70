// gradient_boosting and random_forest over the XGBoost C API: parameter parsing, the boosting
// loop with early stopping and per-round callbacks, in-place prediction, JSON model state.
#include "src/models/xgboost_model.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include "src/models/params.h"
#include "src/models/tree_ensemble.h"
#include "src/models/xgboost_handles.h"

namespace staycast::models {

namespace xgb {
Status Check(int rc, const std::string& what) {
  if (rc == 0) return OkStatus();
  return InternalError(what + ": XGBoost: " + XGBGetLastError());
}
}  // namespace xgb

namespace {

constexpr const char* kAttrType = "staycast_type";
constexpr const char* kAttrTask = "staycast_task";
constexpr const char* kAttrFeatureNames = "staycast_feature_names";
constexpr const char* kAttrNumFeatures = "staycast_num_features";
constexpr const char* kAttrBestRound = "staycast_best_round";
constexpr const char* kAttrBestScore = "staycast_best_score";
constexpr const char* kAttrRounds = "staycast_rounds_run";

// Default evaluation metric per objective (XGBoost's own defaults, spelled out for the log).
std::string DefaultMetric(const std::string& objective, double tweedie_power) {
  if (objective == "reg:absoluteerror") return "mae";
  if (objective == "count:poisson") return "poisson-nloglik";
  if (objective == "reg:gamma") return "gamma-nloglik";
  if (objective == "reg:tweedie") {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "tweedie-nloglik@%g", tweedie_power);
    return buf;
  }
  if (objective == "binary:logistic") return "logloss";
  return "rmse";
}

bool HigherIsBetter(const std::string& metric) {
  return metric.rfind("auc", 0) == 0 || metric.rfind("aucpr", 0) == 0 ||
         metric.rfind("map", 0) == 0 || metric.rfind("ndcg", 0) == 0 || metric.rfind("pre", 0) == 0;
}

double WeightedMean(const std::vector<double>& y, const std::vector<double>& w) {
  double sum = 0;
  double total = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double wi = w.empty() ? 1.0 : w[i];
    sum += wi * y[i];
    total += wi;
  }
  return sum / total;
}

double Median(std::vector<double> v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), v.begin() + mid)) / 2;
  return m;
}

// Parses "[3]\ttrain-rmse:1.5\tvalid-rmse:2.5" into the values for "train" and "valid".
void ParseEval(const std::string& text, double* train, double* valid) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\t', pos);
    if (end == std::string::npos) end = text.size();
    const std::string token = text.substr(pos, end - pos);
    const size_t dash = token.find('-');
    const size_t colon = token.rfind(':');
    if (dash != std::string::npos && colon != std::string::npos && colon > dash) {
      const std::string set = token.substr(0, dash);
      const double value = std::strtod(token.c_str() + colon + 1, nullptr);
      if (set == "train") *train = value;
      if (set == "valid") *valid = value;
    }
    pos = end + 1;
  }
}

std::string FormatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

// Sets this thread's OpenMP team size for a scope. XGBoost 1.7's reg:absoluteerror leaf update
// ignores nthread and uses the OpenMP default (all cores); see measured-facts.md.
class OmpThreadsScope {
 public:
  explicit OmpThreadsScope(int threads) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(threads);
  }
  ~OmpThreadsScope() { omp_set_num_threads(saved_); }
  OmpThreadsScope(const OmpThreadsScope&) = delete;
  OmpThreadsScope& operator=(const OmpThreadsScope&) = delete;

 private:
  int saved_;
};

xgb::DMatrixPtr MakeDMatrix(const Matrix& x, int threads, Status* status) {
  DMatrixHandle handle = nullptr;
  *status = xgb::Check(
      XGDMatrixCreateFromMat_omp(x.values.data(), x.rows, x.cols,
                                 std::numeric_limits<float>::quiet_NaN(), &handle, threads),
      "creating the feature matrix");
  return xgb::DMatrixPtr(handle);
}

Status SetFloatInfo(DMatrixHandle m, const char* field, const std::vector<double>& v) {
  std::vector<float> f(v.begin(), v.end());
  return xgb::Check(XGDMatrixSetFloatInfo(m, field, f.data(), f.size()),
                    std::string("setting ") + field);
}

class XgboostModel : public Model {
 public:
  enum class Mode { kBoosting, kForest };

  XgboostModel(Mode mode, Task task, nlohmann::json params)
      : Model(task), mode_(mode), params_(std::move(params)) {}

  std::string type() const override {
    return mode_ == Mode::kBoosting ? "gradient_boosting" : "random_forest";
  }
  nlohmann::json params() const override { return params_; }

  void SetPredictThreads(int threads) override {
    predict_threads_ = std::max(1, threads);
    if (booster_) {
      XGBoosterSetParam(booster_.get(), "nthread", std::to_string(predict_threads_).c_str());
    }
  }

 protected:
  Status FitImpl(const Matrix& x, const std::vector<double>& y, const std::vector<double>& w,
                 const FitOptions& options) override;
  StatusOr<std::vector<double>> PredictImpl(const Matrix& x) const override;
  StatusOr<Contributions> ContributeImpl(const Matrix& x) const override;
  StatusOr<std::vector<double>> GainImportance() const override;
  StatusOr<nlohmann::json> SaveStateJson() const override { return InternalError("raw state"); }
  Status LoadStateJson(const nlohmann::json& state) override { return InternalError("raw state"); }
  bool raw_state() const override { return true; }
  StatusOr<std::string> SaveRawState() const override;
  Status LoadRawState(std::string_view state) override;
  nlohmann::json DescribeFit() const override;

 private:
  void CompileEnsemble(const nlohmann::json& state);
  Status CheckTargetForObjective(const std::vector<double>& y) const;
  double BaseScore(const std::vector<double>& y, const std::vector<double>& w) const;
  Status SetParam(BoosterHandle b, const std::string& name, const std::string& value) const {
    return xgb::Check(XGBoosterSetParam(b, name.c_str(), value.c_str()),
                      "setting parameter " + name + "=" + value);
  }
  Status SetAttr(const std::string& name, const std::string& value) {
    return xgb::Check(XGBoosterSetAttr(booster_.get(), name.c_str(), value.c_str()),
                      "setting attribute " + name);
  }
  std::string objective() const { return params_.value("objective", "binary:logistic"); }
  std::string metric() const {
    const std::string m = params_.value("eval_metric", "");
    return m.empty() ? DefaultMetric(objective(), params_.value("tweedie_variance_power", 1.5)) : m;
  }

  Mode mode_;
  nlohmann::json params_;
  xgb::BoosterPtr booster_;
  // Scores every batch (bench/tree_predict_bench.cc: faster than XGBoost at every size); absent
  // for what it cannot score, which XGBoost then scores.
  std::optional<TreeEnsemble> ensemble_;
  int predict_threads_ = 1;
  int best_round_ = 0;
  int rounds_run_ = 0;
  double best_score_ = std::numeric_limits<double>::quiet_NaN();
};

Status XgboostModel::CheckTargetForObjective(const std::vector<double>& y) const {
  const std::string obj = objective();
  const bool nonnegative = obj == "count:poisson" || obj == "reg:tweedie";
  const bool positive = obj == "reg:gamma";
  for (size_t i = 0; i < y.size(); ++i) {
    if ((nonnegative && y[i] < 0) || (positive && y[i] <= 0)) {
      return InvalidArgumentError("objective " + obj + " needs a " +
                                  (positive ? "positive" : "non-negative") + " target, but row " +
                                  std::to_string(i) + " has " + FormatDouble(y[i]) +
                                  "; use reg:squarederror or fix the target");
    }
  }
  return OkStatus();
}

// The starting prediction: XGBoost 1.7 defaults to 0.5, which costs many rounds for a target
// like length of stay; start from the loss-minimising constant instead.
double XgboostModel::BaseScore(const std::vector<double>& y, const std::vector<double>& w) const {
  const std::string obj = objective();
  if (obj == "reg:absoluteerror") return Median(y);
  double mean = WeightedMean(y, w);
  if (obj == "binary:logistic") return std::clamp(mean, 1e-6, 1 - 1e-6);
  if (obj == "count:poisson" || obj == "reg:tweedie" || obj == "reg:gamma") {
    return std::max(mean, 1e-6);
  }
  return mean;
}

Status XgboostModel::FitImpl(const Matrix& x, const std::vector<double>& y,
                             const std::vector<double>& w, const FitOptions& options) {
  booster_.reset();
  const OmpThreadsScope omp_threads(options.threads);
  RETURN_IF_ERROR(CheckTargetForObjective(y));
  if (options.y_valid != nullptr) RETURN_IF_ERROR(CheckTargetForObjective(*options.y_valid));
  Status status;
  xgb::DMatrixPtr dtrain = MakeDMatrix(x, options.threads, &status);
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(SetFloatInfo(dtrain.get(), "label", y));
  if (!w.empty()) RETURN_IF_ERROR(SetFloatInfo(dtrain.get(), "weight", w));
  xgb::DMatrixPtr dvalid;
  if (options.x_valid != nullptr) {
    dvalid = MakeDMatrix(*options.x_valid, options.threads, &status);
    RETURN_IF_ERROR(status);
    RETURN_IF_ERROR(SetFloatInfo(dvalid.get(), "label", *options.y_valid));
  }
  std::vector<DMatrixHandle> dmats = {dtrain.get()};
  std::vector<const char*> names = {"train"};
  if (dvalid) {
    dmats.push_back(dvalid.get());
    names.push_back("valid");
  }
  BoosterHandle raw = nullptr;
  RETURN_IF_ERROR(
      xgb::Check(XGBoosterCreate(dmats.data(), dmats.size(), &raw), "creating the booster"));
  booster_.reset(raw);
  BoosterHandle b = booster_.get();
  RETURN_IF_ERROR(SetParam(b, "verbosity", "0"));
  RETURN_IF_ERROR(SetParam(b, "validate_parameters", "1"));
  RETURN_IF_ERROR(SetParam(b, "tree_method", "hist"));
  RETURN_IF_ERROR(SetParam(b, "nthread", std::to_string(options.threads)));
  RETURN_IF_ERROR(SetParam(b, "seed", std::to_string(options.seed % 2147483647ULL)));
  RETURN_IF_ERROR(SetParam(b, "objective", objective()));
  RETURN_IF_ERROR(SetParam(b, "base_score", FormatDouble(BaseScore(y, w))));
  RETURN_IF_ERROR(SetParam(b, "eval_metric", metric()));
  if (objective() == "reg:tweedie") {
    RETURN_IF_ERROR(SetParam(b, "tweedie_variance_power",
                             FormatDouble(params_.at("tweedie_variance_power").get<double>())));
  }
  static const char* const kPassThrough[] = {
      "learning_rate",    "max_depth",  "min_child_weight", "subsample",      "colsample_bytree",
      "colsample_bynode", "reg_lambda", "reg_alpha",        "min_split_loss", "max_bin"};
  for (const char* key : kPassThrough) {
    auto it = params_.find(key);
    if (it == params_.end()) continue;
    const std::string value =
        it->is_number_integer() ? std::to_string(it->get<int>()) : FormatDouble(it->get<double>());
    RETURN_IF_ERROR(SetParam(b, key, value));
  }
  int rounds = 1;
  int patience = 0;
  if (mode_ == Mode::kForest) {
    RETURN_IF_ERROR(SetParam(b, "learning_rate", "1"));
    RETURN_IF_ERROR(
        SetParam(b, "num_parallel_tree", std::to_string(params_.at("n_trees").get<int>())));
  } else {
    rounds = params_.at("n_rounds").get<int>();
    patience = dvalid ? params_.at("early_stopping_rounds").get<int>() : 0;
  }
  const bool maximize = HigherIsBetter(metric());
  best_round_ = 0;
  best_score_ = std::numeric_limits<double>::quiet_NaN();
  rounds_run_ = 0;
  for (int iter = 0; iter < rounds; ++iter) {
    RETURN_IF_ERROR(xgb::Check(XGBoosterUpdateOneIter(b, iter, dtrain.get()),
                               "boosting round " + std::to_string(iter)));
    rounds_run_ = iter + 1;
    const char* eval = nullptr;
    RETURN_IF_ERROR(
        xgb::Check(XGBoosterEvalOneIter(b, iter, dmats.data(), names.data(), dmats.size(), &eval),
                   "evaluating round " + std::to_string(iter)));
    RoundInfo info;
    info.round = iter;
    info.metric = metric();
    info.valid_metric = std::numeric_limits<double>::quiet_NaN();
    ParseEval(eval == nullptr ? "" : eval, &info.train_metric, &info.valid_metric);
    const double score = dvalid ? info.valid_metric : info.train_metric;
    if (iter == 0 || (maximize ? score > best_score_ : score < best_score_)) {
      best_score_ = score;
      best_round_ = iter;
    }
    if (!dvalid) best_round_ = iter;
    info.best_round = best_round_;
    if (options.on_round) options.on_round(info);
    if (patience > 0 && iter - best_round_ >= patience) break;
  }
  if (best_round_ + 1 < rounds_run_) {
    // Keep only the trees up to the best validation round, so the saved model is what we score.
    BoosterHandle sliced = nullptr;
    RETURN_IF_ERROR(xgb::Check(XGBoosterSlice(b, 0, best_round_ + 1, 1, &sliced),
                               "keeping the best " + std::to_string(best_round_ + 1) + " rounds"));
    booster_.reset(sliced);
  }
  RETURN_IF_ERROR(SetAttr(kAttrType, type()));
  RETURN_IF_ERROR(SetAttr(kAttrTask, TaskName(task())));
  RETURN_IF_ERROR(SetAttr(kAttrFeatureNames, nlohmann::json(x.feature_names).dump()));
  RETURN_IF_ERROR(SetAttr(kAttrNumFeatures, std::to_string(x.cols)));
  RETURN_IF_ERROR(SetAttr(kAttrBestRound, std::to_string(best_round_)));
  RETURN_IF_ERROR(SetAttr(kAttrBestScore, FormatDouble(best_score_)));
  RETURN_IF_ERROR(SetAttr(kAttrRounds, std::to_string(rounds_run_)));
  predict_threads_ = options.threads;
  ensemble_.reset();
  ASSIGN_OR_RETURN(const std::string state, SaveRawState());
  CompileEnsemble(nlohmann::json::parse(state, nullptr, /*allow_exceptions=*/false));
  return OkStatus();
}

void XgboostModel::CompileEnsemble(const nlohmann::json& state) {
  StatusOr<TreeEnsemble> e = TreeEnsemble::FromXgboostJson(state);
  if (e.ok()) {
    ensemble_ = std::move(e.value());
  } else {
    ensemble_.reset();  // XGBoost scores every batch
  }
}

StatusOr<std::vector<double>> XgboostModel::PredictImpl(const Matrix& x) const {
  if (ensemble_.has_value() && x.cols == ensemble_->num_features()) {
    std::vector<double> out;
    ensemble_->Predict(x, &out, predict_threads_);
    return out;
  }
  char array[256];
  std::snprintf(array, sizeof(array),
                R"({"data": [%llu, true], "shape": [%zu, %zu], "typestr": "<f4", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(x.values.data())),
                x.rows, x.cols);
  // "cache_id": 0 is required by XGBoost 1.7's in-place prediction (see measured-facts.md).
  static const char* const kConfig =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
      R"( "strict_shape": false, "cache_id": 0, "missing": NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  RETURN_IF_ERROR(xgb::Check(
      XGBoosterPredictFromDense(booster_.get(), array, kConfig, nullptr, &shape, &dim, &result),
      "predicting " + std::to_string(x.rows) + " rows"));
  bst_ulong n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  if (n != x.rows) {
    return InternalError("XGBoost returned " + std::to_string(n) + " predictions for " +
                         std::to_string(x.rows) + " rows");
  }
  return std::vector<double>(result, result + n);
}

// Exact TreeSHAP through the DMatrix path (in-place prediction has no contributions in 1.7).
StatusOr<Contributions> XgboostModel::ContributeImpl(const Matrix& x) const {
  const OmpThreadsScope omp_threads(predict_threads_);
  Status status;
  xgb::DMatrixPtr dmat = MakeDMatrix(x, predict_threads_, &status);
  RETURN_IF_ERROR(status);
  static const char* const kConfig =
      R"({"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
      R"( "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  RETURN_IF_ERROR(xgb::Check(
      XGBoosterPredictFromDMatrix(booster_.get(), dmat.get(), kConfig, &shape, &dim, &result),
      "computing SHAP contributions for " + std::to_string(x.rows) + " rows"));
  if (dim != 2 || shape[0] != x.rows || shape[1] != x.cols + 1) {
    return InternalError("XGBoost returned contributions of an unexpected shape for " +
                         std::to_string(x.rows) + " x " + std::to_string(x.cols));
  }
  Contributions out;
  out.rows = x.rows;
  out.cols = x.cols;
  out.log_odds = task() == Task::kClassification;
  out.values.resize(x.rows * x.cols);
  out.bias.resize(x.rows);
  const size_t width = x.cols + 1;
  for (size_t r = 0; r < x.rows; ++r) {
    const float* row = result + r * width;
    for (size_t c = 0; c < x.cols; ++c) out.values[r * x.cols + c] = row[c];
    out.bias[r] = row[x.cols];
  }
  return out;
}

StatusOr<std::vector<double>> XgboostModel::GainImportance() const {
  if (!fitted()) return FailedPreconditionError(type() + ": the model is not fitted");
  bst_ulong n_features = 0;
  const char** names = nullptr;
  bst_ulong dim = 0;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  RETURN_IF_ERROR(
      xgb::Check(XGBoosterFeatureScore(booster_.get(), R"({"importance_type": "total_gain"})",
                                       &n_features, &names, &dim, &shape, &scores),
                 "reading gain importance"));
  // Without feature names on the booster XGBoost names features "f<index>"; unused ones are absent.
  std::vector<double> out(num_features(), 0.0);
  for (bst_ulong i = 0; i < n_features; ++i) {
    const char* name = names[i];
    if (name == nullptr || name[0] != 'f') continue;
    char* end = nullptr;
    const unsigned long index = std::strtoul(name + 1, &end, 10);
    if (end != nullptr && *end == '\0' && index < out.size()) out[index] = scores[i];
  }
  return out;
}

StatusOr<std::string> XgboostModel::SaveRawState() const {
  bst_ulong len = 0;
  const char* data = nullptr;
  RETURN_IF_ERROR(
      xgb::Check(XGBoosterSaveModelToBuffer(booster_.get(), R"({"format": "json"})", &len, &data),
                 "saving the model as JSON"));
  return std::string(data, len);
}

Status XgboostModel::LoadRawState(std::string_view state) {
  booster_.reset();
  nlohmann::json parsed = nlohmann::json::parse(state, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("learner")) {
    return DataLossError("the state is not an XGBoost JSON model (truncated or corrupted?)");
  }
  BoosterHandle raw = nullptr;
  RETURN_IF_ERROR(xgb::Check(XGBoosterCreate(nullptr, 0, &raw), "creating the booster"));
  xgb::BoosterPtr booster(raw);
  RETURN_IF_ERROR(xgb::Check(XGBoosterLoadModelFromBuffer(raw, state.data(), state.size()),
                             "loading the JSON model"));
  auto attr = [&](const char* key) -> std::string {
    const char* value = nullptr;
    int success = 0;
    if (XGBoosterGetAttr(raw, key, &value, &success) != 0 || success == 0) return "";
    return value;
  };
  if (attr(kAttrType) != type() || attr(kAttrTask) != TaskName(task())) {
    return InvalidArgumentError("the state is for a " + attr(kAttrTask) + " " + attr(kAttrType) +
                                " model, this is a " + TaskName(task()) + " " + type() + " model");
  }
  nlohmann::json names =
      nlohmann::json::parse(attr(kAttrFeatureNames), nullptr, /*allow_exceptions=*/false);
  if (names.is_discarded() || !names.is_array()) {
    return DataLossError("attribute " + std::string(kAttrFeatureNames) + " is malformed");
  }
  bst_ulong num_features = 0;
  RETURN_IF_ERROR(
      xgb::Check(XGBoosterGetNumFeature(raw, &num_features), "reading the feature count"));
  const std::string recorded = attr(kAttrNumFeatures);
  if (!recorded.empty() && std::to_string(num_features) != recorded) {
    return DataLossError("the model has " + std::to_string(num_features) + " features but " +
                         "records " + recorded);
  }
  booster_ = std::move(booster);
  best_round_ = std::atoi(attr(kAttrBestRound).c_str());
  rounds_run_ = std::atoi(attr(kAttrRounds).c_str());
  best_score_ = std::strtod(attr(kAttrBestScore).c_str(), nullptr);
  SetPredictThreads(1);
  set_fitted_features(num_features, names.get<std::vector<std::string>>());
  CompileEnsemble(parsed);
  return OkStatus();
}

nlohmann::json XgboostModel::DescribeFit() const {
  int rounds = 0;
  XGBoosterBoostedRounds(booster_.get(), &rounds);
  const int per_round = mode_ == Mode::kForest ? params_.at("n_trees").get<int>() : 1;
  nlohmann::json out = {{"trees", rounds * per_round},
                        {"rounds_run", rounds_run_},
                        {"best_round", best_round_},
                        {"metric", metric()},
                        {"objective", objective()}};
  if (std::isfinite(best_score_)) out["best_score"] = best_score_;
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<Model>> CreateXgboostModel(const std::string& type,
                                                    const nlohmann::json& params, Task task) {
  ParamReader r(type, params);
  const bool classification = task == Task::kClassification;
  if (type == "gradient_boosting") {
    if (classification) {
      r.String("objective", "binary:logistic", {"binary:logistic"});
    } else {
      r.String(
          "objective", "reg:squarederror",
          {"reg:squarederror", "reg:absoluteerror", "count:poisson", "reg:tweedie", "reg:gamma"});
    }
    r.Int("n_rounds", 300, 1, 100000);
    r.Int("early_stopping_rounds", 20, 0, 100000);
    r.Double("learning_rate", 0.1, 0, 1, /*min_open=*/true);
    r.Int("max_depth", 6, 1, 20);
    r.Double("min_child_weight", 1, 0, 1e9);
    r.Double("subsample", 1, 0, 1, /*min_open=*/true);
    r.Double("colsample_bytree", 1, 0, 1, /*min_open=*/true);
    r.Double("reg_lambda", 1, 0, 1e9);
    r.Double("reg_alpha", 0, 0, 1e9);
    r.Double("min_split_loss", 0, 0, 1e9);
    r.Int("max_bin", 256, 2, 65535);
    r.Double("tweedie_variance_power", 1.5, 1, 1.999, /*min_open=*/true);
    r.String("eval_metric", "");
    RETURN_IF_ERROR(r.Finish());
    return std::unique_ptr<Model>(
        std::make_unique<XgboostModel>(XgboostModel::Mode::kBoosting, task, r.resolved()));
  }
  if (type == "random_forest") {
    r.String("objective", classification ? "binary:logistic" : "reg:squarederror",
             {classification ? "binary:logistic" : "reg:squarederror"});
    r.Int("n_trees", 100, 1, 10000);
    r.Int("max_depth", 8, 1, 20);
    r.Double("min_child_weight", 1, 0, 1e9);
    r.Double("subsample", 0.8, 0, 1, /*min_open=*/true);
    r.Double("colsample_bynode", 0.8, 0, 1, /*min_open=*/true);
    r.Double("reg_lambda", 0, 0, 1e9);
    r.Int("max_bin", 256, 2, 65535);
    RETURN_IF_ERROR(r.Finish());
    return std::unique_ptr<Model>(
        std::make_unique<XgboostModel>(XgboostModel::Mode::kForest, task, r.resolved()));
  }
  return InvalidArgumentError("unknown XGBoost model type '" + type + "'");
}

}  // namespace staycast::models
