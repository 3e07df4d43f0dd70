// svr: epsilon-SVR through libsvm. The learned support vectors are copied out of libsvm into our
// own storage (and JSON state); prediction evaluates the RBF kernel in blocks of rows with Eigen
// (distances through one matrix product per block), on several threads.
#include "src/models/svr_model.h"

#include <libsvm/svm.h>
#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>
#include <vector>

#include "src/models/params.h"
#include "src/models/standardizer.h"

namespace staycast::models {
namespace {

constexpr int kStratificationBins = 10;

void DiscardLibsvmOutput(const char* /*text*/) {}

void SilenceLibsvm() {
  static std::once_flag once;
  std::call_once(once, [] { svm_set_print_string_function(&DiscardLibsvmOutput); });
}

struct SvmModelFree {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};

class SvrModel : public Model {
 public:
  SvrModel(Task task, nlohmann::json params) : Model(task), params_(std::move(params)) {}

  std::string type() const override { return "svr"; }
  nlohmann::json params() const override { return params_; }

 protected:
  Status FitImpl(const Matrix& x, const std::vector<double>& y, const std::vector<double>& w,
                 const FitOptions& options) override;
  StatusOr<std::vector<double>> PredictImpl(const Matrix& x) const override;
  StatusOr<nlohmann::json> SaveStateJson() const override {
    return nlohmann::json{{"standardizer", standardizer_.ToJson()},
                          {"gamma", gamma_},
                          {"y_mean", y_mean_},
                          {"y_scale", y_scale_},
                          {"rho", rho_},
                          {"sv_coef", sv_coef_},
                          {"support_vectors", support_vectors_},
                          {"train_rows", train_rows_},
                          {"total_rows", total_rows_}};
  }
  Status LoadStateJson(const nlohmann::json& state) override;
  nlohmann::json DescribeFit() const override;
  void SetPredictThreads(int threads) override { predict_threads_ = std::max(1, threads); }

 private:
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  // Rebuilds the dense support-vector matrix and norms from support_vectors_ / sv_coef_.
  void BuildKernel();

  nlohmann::json params_;
  Standardizer standardizer_;
  double gamma_ = 0;
  double y_mean_ = 0;
  double y_scale_ = 1;
  double rho_ = 0;
  std::vector<double> sv_coef_;
  std::vector<std::vector<double>> support_vectors_;  // standardised, dense
  size_t train_rows_ = 0;
  size_t total_rows_ = 0;
  // The support vectors as one dense matrix, their squared norms and coefficients.
  RowMatrix sv_;
  Eigen::VectorXd sv_norm2_;
  Eigen::VectorXd coef_;
  int predict_threads_ = 1;
};

void SvrModel::BuildKernel() {
  const size_t cols = standardizer_.size();
  sv_.resize(static_cast<Eigen::Index>(support_vectors_.size()), static_cast<Eigen::Index>(cols));
  for (size_t i = 0; i < support_vectors_.size(); ++i) {
    for (size_t c = 0; c < cols; ++c) {
      sv_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = support_vectors_[i][c];
    }
  }
  sv_norm2_ = sv_.rowwise().squaredNorm();
  coef_ = Eigen::Map<const Eigen::VectorXd>(sv_coef_.data(),
                                            static_cast<Eigen::Index>(sv_coef_.size()));
}

Status SvrModel::FitImpl(const Matrix& x, const std::vector<double>& y,
                         const std::vector<double>& w, const FitOptions& options) {
  if (!w.empty()) {
    return InvalidArgumentError(
        "libsvm's epsilon-SVR does not take sample weights; drop the weights for this model");
  }
  SilenceLibsvm();
  total_rows_ = x.rows;
  const auto max_rows = static_cast<size_t>(params_.at("max_train_rows").get<int>());
  std::vector<size_t> rows(x.rows);
  std::iota(rows.begin(), rows.end(), size_t{0});
  if (x.rows > max_rows) rows = StratifiedSubsample(y, max_rows, kStratificationBins, options.seed);
  train_rows_ = rows.size();
  const Matrix xs = rows.size() == x.rows ? Matrix() : SelectRows(x, rows);
  const Matrix& xt = rows.size() == x.rows ? x : xs;
  const std::vector<double> yt = SelectElements(y, rows);

  standardizer_.Fit(xt);
  y_mean_ = 0;
  y_scale_ = 1;
  if (params_.at("standardize_target").get<bool>()) {
    y_mean_ = std::accumulate(yt.begin(), yt.end(), 0.0) / yt.size();
    double sq = 0;
    for (double v : yt) sq += (v - y_mean_) * (v - y_mean_);
    y_scale_ = std::sqrt(sq / yt.size());
    if (!(y_scale_ > 0)) y_scale_ = 1;
  }
  const size_t cols = x.cols;
  std::vector<svm_node> nodes(xt.rows * (cols + 1));
  std::vector<svm_node*> ptrs(xt.rows);
  std::vector<double> z(cols);
  std::vector<double> target(xt.rows);
  for (size_t r = 0; r < xt.rows; ++r) {
    standardizer_.TransformRow(xt.row(r), z.data());
    svm_node* row = nodes.data() + r * (cols + 1);
    for (size_t c = 0; c < cols; ++c) row[c] = svm_node{static_cast<int>(c) + 1, z[c]};
    row[cols] = svm_node{-1, 0};
    ptrs[r] = row;
    target[r] = (yt[r] - y_mean_) / y_scale_;
  }
  svm_problem problem{};
  problem.l = static_cast<int>(xt.rows);
  problem.y = target.data();
  problem.x = ptrs.data();
  const nlohmann::json& gamma = params_.at("gamma");
  // "scale" = 1 / (n_features * variance); standardised features have variance 1.
  gamma_ = gamma.is_string() ? 1.0 / static_cast<double>(cols) : gamma.get<double>();
  svm_parameter param{};
  param.svm_type = EPSILON_SVR;
  param.kernel_type = RBF;
  param.gamma = gamma_;
  param.C = params_.at("C").get<double>();
  param.p = params_.at("epsilon").get<double>();
  param.eps = params_.at("tol").get<double>();
  param.cache_size = params_.at("cache_size_mb").get<double>();
  param.shrinking = 1;
  param.probability = 0;
  if (const char* error = svm_check_parameter(&problem, &param)) {
    return InvalidArgumentError(std::string("libsvm rejected the parameters: ") + error);
  }
  std::unique_ptr<svm_model, SvmModelFree> trained(svm_train(&problem, &param));
  if (!trained) return InternalError("libsvm: training returned no model");
  support_vectors_.assign(trained->l, std::vector<double>(cols, 0.0));
  sv_coef_.assign(trained->sv_coef[0], trained->sv_coef[0] + trained->l);
  rho_ = trained->rho[0];
  for (int i = 0; i < trained->l; ++i) {
    for (const svm_node* n = trained->SV[i]; n->index != -1; ++n) {
      support_vectors_[i][n->index - 1] = n->value;
    }
  }
  BuildKernel();
  SetPredictThreads(options.threads);
  return OkStatus();
}

// f(x) = sum_i coef_i exp(-gamma |x - sv_i|^2) - rho, as libsvm computes it, with the squared
// distances of a block of rows to every support vector from one matrix product:
// |x|^2 + |sv|^2 - 2 x.sv.
StatusOr<std::vector<double>> SvrModel::PredictImpl(const Matrix& x) const {
  constexpr size_t kBlockRows = 128;
  const size_t cols = x.cols;
  std::vector<double> out(x.rows);
  const auto blocks = static_cast<int64_t>((x.rows + kBlockRows - 1) / kBlockRows);
#pragma omp parallel for num_threads(predict_threads_) schedule(dynamic)
  for (int64_t b = 0; b < blocks; ++b) {
    const size_t begin = static_cast<size_t>(b) * kBlockRows;
    const size_t n = std::min(kBlockRows, x.rows - begin);
    RowMatrix z(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(cols));
    for (size_t r = 0; r < n; ++r) {
      standardizer_.TransformRow(x.row(begin + r), z.row(static_cast<Eigen::Index>(r)).data());
    }
    const RowMatrix dot = z * sv_.transpose();
    for (size_t r = 0; r < n; ++r) {
      const auto ri = static_cast<Eigen::Index>(r);
      const double zn = z.row(ri).squaredNorm();
      double sum = 0;
      for (Eigen::Index j = 0; j < dot.cols(); ++j) {
        const double d2 = std::max(0.0, zn + sv_norm2_[j] - 2 * dot(ri, j));
        sum += coef_[j] * std::exp(-gamma_ * d2);
      }
      out[begin + r] = y_mean_ + y_scale_ * (sum - rho_);
    }
  }
  return out;
}

Status SvrModel::LoadStateJson(const nlohmann::json& state) {
  RETURN_IF_ERROR(standardizer_.FromJson(state.at("standardizer")));
  gamma_ = state.at("gamma").get<double>();
  y_mean_ = state.at("y_mean").get<double>();
  y_scale_ = state.at("y_scale").get<double>();
  rho_ = state.at("rho").get<double>();
  sv_coef_ = state.at("sv_coef").get<std::vector<double>>();
  support_vectors_ = state.at("support_vectors").get<std::vector<std::vector<double>>>();
  train_rows_ = state.at("train_rows").get<size_t>();
  total_rows_ = state.at("total_rows").get<size_t>();
  if (sv_coef_.size() != support_vectors_.size()) {
    return DataLossError(std::to_string(sv_coef_.size()) + " SV coefficients for " +
                         std::to_string(support_vectors_.size()) + " support vectors");
  }
  for (const auto& sv : support_vectors_) {
    if (sv.size() != standardizer_.size()) {
      return DataLossError("a support vector has " + std::to_string(sv.size()) + " values for " +
                           std::to_string(standardizer_.size()) + " features");
    }
  }
  BuildKernel();
  return OkStatus();
}

nlohmann::json SvrModel::DescribeFit() const {
  nlohmann::json out = {
      {"support_vectors", support_vectors_.size()}, {"gamma", gamma_}, {"train_rows", train_rows_}};
  if (train_rows_ < total_rows_) {
    out["note"] = "trained on a stratified subsample of " + std::to_string(train_rows_) + " of " +
                  std::to_string(total_rows_) + " rows (max_train_rows)";
  }
  return out;
}

}  // namespace

std::vector<size_t> StratifiedSubsample(const std::vector<double>& y, size_t m, int bins,
                                        uint64_t seed) {
  const size_t n = y.size();
  if (m >= n) {
    std::vector<size_t> all(n);
    std::iota(all.begin(), all.end(), size_t{0});
    return all;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return y[a] < y[b]; });
  std::mt19937_64 rng(seed);
  std::vector<size_t> chosen;
  chosen.reserve(m);
  size_t taken = 0;
  for (int b = 0; b < bins; ++b) {
    const size_t begin = n * b / bins;
    const size_t end = n * (b + 1) / bins;
    // Cumulative rounding so the bins' shares add up to exactly m.
    const size_t want = m * end / n - taken;
    std::vector<size_t> bin(order.begin() + begin, order.begin() + end);
    for (size_t i = 0; i < want && i < bin.size(); ++i) {
      std::uniform_int_distribution<size_t> pick(i, bin.size() - 1);
      std::swap(bin[i], bin[pick(rng)]);
      chosen.push_back(bin[i]);
    }
    taken += want;
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

StatusOr<std::unique_ptr<Model>> CreateSvrModel(const nlohmann::json& params, Task task) {
  ParamReader r("svr", params);
  r.Double("C", 1.0, 0, 1e9, /*min_open=*/true);
  r.Double("epsilon", 0.1, 0, 1e9);
  r.Int("max_train_rows", 5000, 10, 10000000);
  r.Bool("standardize_target", true);
  r.Double("tol", 1e-3, 0, 1, /*min_open=*/true);
  r.Double("cache_size_mb", 200, 1, 1e6);
  nlohmann::json gamma = "scale";
  if (params.is_object() && params.contains("gamma") && !params["gamma"].is_string()) {
    gamma = r.Double("gamma", 0, 0, 1e9, /*min_open=*/true);
  } else {
    gamma = r.String("gamma", "scale", {"scale"});
  }
  RETURN_IF_ERROR(r.Finish());
  nlohmann::json resolved = r.resolved();
  resolved["gamma"] = gamma;
  return std::unique_ptr<Model>(std::make_unique<SvrModel>(task, resolved));
}

}  // namespace staycast::models
