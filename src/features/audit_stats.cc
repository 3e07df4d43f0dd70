// Audit statistics: target values, the grouped temporal split, association measures and the ridge
// least-squares baseline (Eigen).
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "src/features/audit_internal.h"

namespace staycast::features {

StatusOr<std::vector<double>> TargetValues(const RunConfig& config, const data::Table& table) {
  ASSIGN_OR_RETURN(const data::Column* col, table.GetColumn(config.target.column));
  std::vector<double> y(table.num_rows(), std::nan(""));
  const auto& positive = config.target.positive;
  for (size_t r = 0; r < y.size(); ++r) {
    if (col->IsMissing(r)) continue;
    if (positive.empty()) {
      const double v = col->numeric()[r];
      if (std::isfinite(v)) y[r] = v;
      continue;
    }
    const std::string value = col->ValueAsString(r);
    y[r] = std::find(positive.begin(), positive.end(), value) != positive.end() ? 1 : 0;
  }
  return y;
}

}  // namespace staycast::features

namespace staycast::features::internal {

AuditSplit SplitByTime(const RunConfig& config, const data::Table& table, double test_fraction) {
  AuditSplit s;
  const auto& pred = table.FindColumn(config.PredictionColumn())->timestamps();
  const data::Column* entity_col =
      config.EntityColumn().empty() ? nullptr : table.FindColumn(config.EntityColumn());
  auto entity = [&](size_t r) -> int64_t {
    return entity_col == nullptr ? static_cast<int64_t>(r) : entity_col->codes()[r];
  };
  std::map<int64_t, Timestamp> first;
  for (size_t r = 0; r < pred.size(); ++r) {
    if (pred[r] == kMissingTime || entity(r) < 0) continue;
    auto [it, inserted] = first.emplace(entity(r), pred[r]);
    if (!inserted) it->second = std::min(it->second, pred[r]);
  }
  if (first.empty()) return s;
  // The cutoff puts about test_fraction of the entities (by first appearance) in the test set.
  std::vector<Timestamp> firsts;
  firsts.reserve(first.size());
  for (const auto& [e, t] : first) firsts.push_back(t);
  std::sort(firsts.begin(), firsts.end());
  s.cutoff =
      firsts[std::min(firsts.size() - 1, static_cast<size_t>(static_cast<double>(firsts.size()) *
                                                             (1 - test_fraction)))];
  std::map<int64_t, int> sides;  // bit 1: a row before the cutoff, bit 2: at or after
  for (size_t r = 0; r < pred.size(); ++r) {
    if (pred[r] == kMissingTime || entity(r) < 0) continue;
    sides[entity(r)] |= pred[r] < s.cutoff ? 1 : 2;
    if (first[entity(r)] >= s.cutoff) {
      s.test.push_back(r);
    } else if (pred[r] < s.cutoff) {
      s.train.push_back(r);
    }
  }
  s.entities = first.size();
  for (const auto& [e, bits] : sides) s.entities_both_sides += bits == 3 ? 1 : 0;
  return s;
}

double RocAuc(const std::vector<double>& score, const std::vector<double>& label) {
  std::vector<size_t> idx(score.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0;
  double positives = 0;
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j < idx.size() && score[idx[j]] == score[idx[i]]) ++j;
    const double avg_rank = (static_cast<double>(i + j) + 1) / 2;  // ties share their mean rank
    for (size_t k = i; k < j; ++k) {
      if (label[idx[k]] > 0.5) {
        rank_sum += avg_rank;
        positives += 1;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(score.size()) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double MeanAbsoluteError(const std::vector<double>& pred, const std::vector<double>& y) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += std::abs(pred[i] - y[i]);
  return y.empty() ? 0 : sum / static_cast<double>(y.size());
}

double Strength(Task task, const std::vector<double>& x, const std::vector<double>& y,
                const std::vector<size_t>& rows) {
  std::vector<double> xs, ys;
  for (size_t r : rows) {
    if (std::isfinite(y[r]) && std::isfinite(x[r])) {
      xs.push_back(x[r]);
      ys.push_back(y[r]);
    }
  }
  if (xs.size() < 2) return 0;
  if (task == Task::kClassification) {
    const double auc = RocAuc(xs, ys);
    return std::max(auc, 1 - auc);
  }
  const double n = static_cast<double>(xs.size());
  const double mx = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
  const double my = std::accumulate(ys.begin(), ys.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) * (xs[i] - mx);
    syy += (ys[i] - my) * (ys[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return 0;
  return std::abs(sxy / std::sqrt(sxx * syy));
}

Ridge FitRidge(const FeatureMatrix& x, const std::vector<size_t>& rows,
               const std::vector<double>& y, double lambda) {
  const size_t p = x.columns.size();
  const auto n = static_cast<Eigen::Index>(rows.size());
  Ridge m;
  m.mean.assign(p, 0);
  m.scale.assign(p, 1);
  for (size_t j = 0; j < p; ++j) {
    double s = 0, s2 = 0;
    for (size_t r : rows) {
      s += x.columns[j][r];
      s2 += x.columns[j][r] * x.columns[j][r];
    }
    const double nd = std::max<double>(1, static_cast<double>(rows.size()));
    m.mean[j] = s / nd;
    const double var = s2 / nd - m.mean[j] * m.mean[j];
    m.scale[j] = var > 1e-12 ? std::sqrt(var) : 1;
  }
  Eigen::MatrixXd a(n, static_cast<Eigen::Index>(p));
  Eigen::VectorXd b(n);
  double ymean = 0;
  for (size_t r : rows) ymean += y[r];
  ymean /= std::max<double>(1, static_cast<double>(rows.size()));
  for (Eigen::Index i = 0; i < n; ++i) {
    const size_t r = rows[static_cast<size_t>(i)];
    for (size_t j = 0; j < p; ++j) {
      a(i, static_cast<Eigen::Index>(j)) = (x.columns[j][r] - m.mean[j]) / m.scale[j];
    }
    b(i) = y[r] - ymean;
  }
  Eigen::MatrixXd gram = a.transpose() * a;
  gram.diagonal().array() += lambda * static_cast<double>(std::max<Eigen::Index>(1, n));
  const Eigen::VectorXd coef = gram.ldlt().solve(a.transpose() * b);
  m.coef.assign(coef.data(), coef.data() + coef.size());
  m.intercept = ymean;
  return m;
}

std::vector<double> PredictRidge(const Ridge& model, const FeatureMatrix& x,
                                 const std::vector<size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t r : rows) {
    double v = model.intercept;
    for (size_t j = 0; j < model.coef.size(); ++j) {
      v += model.coef[j] * (x.columns[j][r] - model.mean[j]) / model.scale[j];
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace staycast::features::internal
