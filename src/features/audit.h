// The leakage and data-quality audit of a run config over its data: columns used against their
// availability, single features that predict the target suspiciously well, entities on both sides
// of a temporal split, duplicates, constant and near-empty columns, a proof-by-test for every
// history feature (recomputed with all later rows removed), and optionally what the seed's naive
// per-patient mean (including the current stay) would have done to a test metric.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/data/table.h"
#include "src/features/config.h"

namespace staycast::features {

struct AuditOptions {
  bool naive_history = false;
  double test_fraction = 0.2;  // the latest share of prediction times held out
  size_t proof_rows = 300;     // rows sampled for each history proof
  uint64_t seed = 1;
  double suspicious = 0.9;   // ROC-AUC or |r| above this is flagged
  double near_empty = 0.95;  // missing share above this is flagged
};

struct ColumnUse {
  std::string column;
  std::string type;
  std::string role;
  std::string availability;
  bool available_at_prediction = false;
  std::vector<std::string> features;  // features reading it
  bool leak = false;                  // read for the current row although not available
};

struct FeatureStrength {
  std::string output;
  std::string measure;  // "ROC-AUC" or "|r|"
  double value = 0;
  bool suspicious = false;
};

struct HistoryProof {
  std::string feature;
  bool naive = false;  // the seed's per-entity aggregate, computed for comparison
  size_t rows_checked = 0;
  size_t rows_changed = 0;
};

// Ridge least squares on the feature matrix (a linear baseline for this comparison only; model
// training is elsewhere): trained on the earlier period, tested on the later one, grouped by
// entity.
struct NaiveComparison {
  std::string feature;
  std::string metric;  // "MAE" or "ROC-AUC"
  bool higher_is_better = false;
  double honest = 0;          // the point-in-time pipeline
  double naive_reported = 0;  // naive feature in train and test, as the seed evaluated it
  double naive_deployed = 0;  // naive-trained model fed the values available at prediction time
  double naive_strength = 0;  // the naive feature's own |r| or ROC-AUC on the test rows
  double honest_strength = 0;
  size_t train_rows = 0;
  size_t test_rows = 0;
};

struct AuditReport {
  size_t rows = 0;
  std::string target;
  std::vector<ColumnUse> columns;
  std::vector<FeatureStrength> strengths;  // strongest first
  size_t entities = 0;
  size_t entities_both_sides = 0;  // under a plain temporal split at the same cutoff
  std::string cutoff;
  size_t duplicate_rows = 0;
  size_t duplicate_ids = 0;
  std::vector<std::string> constant_columns;
  std::vector<std::pair<std::string, double>> near_empty_columns;
  std::vector<HistoryProof> proofs;
  std::vector<NaiveComparison> naive;
  // Number of findings that need attention (leaks, suspicious features, failed proofs).
  int problems = 0;
};

StatusOr<AuditReport> RunAudit(const RunConfig& config, const data::Table& table,
                               const AuditOptions& options);

// A plain-text report; with color, problems are red (ANSI) as well as marked.
std::string FormatAudit(const AuditReport& report, bool color);

}  // namespace staycast::features
