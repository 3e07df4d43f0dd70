// Coefficient tables with Wald intervals: sandwich covariance for ridge, inverse Hessian for
// logistic, both on the standardised scale and mapped back to original units.
#include "src/explain/coefficients.h"

#include <Eigen/Dense>
#include <cmath>

#include "src/models/linear_model.h"

namespace staycast::explain {
namespace {

constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile

}  // namespace

StatusOr<CoefficientTable> ComputeCoefficientTable(const models::Model& model,
                                                   const models::Matrix& x,
                                                   const std::vector<double>& y,
                                                   const std::vector<double>* weights) {
  ASSIGN_OR_RETURN(models::LinearCoefficients c, models::GetLinearCoefficients(model));
  const size_t p = c.coefficients.size();
  if (x.cols != p || y.size() != x.rows || x.rows <= p + 1) {
    return InvalidArgumentError("coefficient intervals need the training matrix (" +
                                std::to_string(p) + " columns, more rows than columns) and one " +
                                "outcome per row");
  }
  const auto n = static_cast<Eigen::Index>(x.rows);
  const auto pi = static_cast<Eigen::Index>(p);
  Eigen::MatrixXd z(n, pi);
  for (Eigen::Index r = 0; r < n; ++r) {
    for (Eigen::Index j = 0; j < pi; ++j) {
      const double v = x.at(static_cast<size_t>(r), static_cast<size_t>(j));
      z(r, j) = std::isfinite(v) ? (v - c.means[j]) / c.scales[j] : 0.0;
    }
  }
  Eigen::VectorXd w = Eigen::VectorXd::Ones(n);
  if (weights != nullptr && weights->size() == x.rows) {
    w = Eigen::Map<const Eigen::VectorXd>(weights->data(), n);
  }
  const Eigen::VectorXd beta = Eigen::Map<const Eigen::VectorXd>(c.standardized_coefficients.data(),
                                                                 static_cast<Eigen::Index>(p));
  const double alpha = model.params().value("alpha", 0.0);
  CoefficientTable table;
  table.rows = x.rows;
  table.log_odds = model.task() == models::Task::kClassification;
  Eigen::VectorXd se_beta(pi);
  double se_intercept = 0;
  try {
    if (!table.log_odds) {
      const Eigen::RowVectorXd z_mean = (w.transpose() * z) / w.sum();
      const Eigen::MatrixXd zc = z.rowwise() - z_mean;
      const Eigen::VectorXd fitted = (z * beta).array() + c.standardized_intercept;
      const Eigen::VectorXd yv = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
      const Eigen::VectorXd resid = yv - fitted;
      const double dof = static_cast<double>(n) - static_cast<double>(p) - 1;
      const double sigma2 = (w.array() * resid.array().square()).sum() / dof;
      table.residual_sd = std::sqrt(sigma2);
      const Eigen::MatrixXd zw = zc.array().colwise() * w.array();
      const Eigen::MatrixXd gram = zw.transpose() * zc;
      Eigen::MatrixXd a = gram;
      a.diagonal().array() += alpha;
      const Eigen::MatrixXd a_inv = a.ldlt().solve(Eigen::MatrixXd::Identity(pi, pi));
      const Eigen::MatrixXd zw2 = zc.array().colwise() * w.array().square();
      const Eigen::MatrixXd cov = sigma2 * a_inv * (zw2.transpose() * zc) * a_inv;
      se_beta = cov.diagonal().cwiseMax(0).cwiseSqrt();
      // The intercept is the weighted mean response at z_mean: its variance adds the slope part.
      se_intercept = std::sqrt(sigma2 * w.array().square().sum() / (w.sum() * w.sum()) +
                               std::max(0.0, (z_mean * cov * z_mean.transpose())(0, 0)));
    } else {
      Eigen::MatrixXd za(n, pi + 1);
      za.col(0).setOnes();
      za.rightCols(pi) = z;
      Eigen::VectorXd theta(pi + 1);
      theta[0] = c.standardized_intercept;
      theta.tail(pi) = beta;
      const Eigen::VectorXd eta = za * theta;
      Eigen::VectorXd h(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        const double prob = 1.0 / (1.0 + std::exp(-eta[i]));
        h[i] = w[i] * prob * (1 - prob);
      }
      Eigen::MatrixXd hess = za.transpose() * (za.array().colwise() * h.array()).matrix();
      hess.diagonal().tail(pi).array() += alpha;
      const Eigen::MatrixXd cov = hess.ldlt().solve(Eigen::MatrixXd::Identity(pi + 1, pi + 1));
      const Eigen::VectorXd se = cov.diagonal().cwiseMax(0).cwiseSqrt();
      se_intercept = se[0];
      se_beta = se.tail(pi);
    }
  } catch (const std::bad_alloc&) {
    return InternalError("out of memory computing coefficient intervals");
  }
  if (!se_beta.allFinite()) {
    return InternalError("coefficient intervals are not finite (collinear features?)");
  }
  CoefficientRow intercept;
  intercept.name = "(intercept)";
  intercept.coefficient = c.intercept;
  intercept.standardized = c.standardized_intercept;
  intercept.std_error = se_intercept;
  intercept.standardized_lower = c.standardized_intercept - kZ95 * se_intercept;
  intercept.standardized_upper = c.standardized_intercept + kZ95 * se_intercept;
  // The original-unit intercept is a different quantity (the score at all features 0); its
  // interval is not reported.
  intercept.lower = intercept.upper = std::nan("");
  table.rows_by_feature.push_back(intercept);
  for (size_t j = 0; j < p; ++j) {
    CoefficientRow row;
    row.name = j < c.feature_names.size() ? c.feature_names[j] : "x" + std::to_string(j);
    row.mean = c.means[j];
    row.scale = c.scales[j];
    row.standardized = c.standardized_coefficients[j];
    const auto col = z.col(static_cast<Eigen::Index>(j));
    row.constant = n == 0 || col.maxCoeff() == col.minCoeff();
    row.std_error = row.constant ? std::nan("") : se_beta[static_cast<Eigen::Index>(j)];
    row.standardized_lower = row.standardized - kZ95 * row.std_error;
    row.standardized_upper = row.standardized + kZ95 * row.std_error;
    row.coefficient = c.coefficients[j];
    row.lower = row.standardized_lower / c.scales[j];
    row.upper = row.standardized_upper / c.scales[j];
    table.rows_by_feature.push_back(row);
  }
  return table;
}

}  // namespace staycast::explain
