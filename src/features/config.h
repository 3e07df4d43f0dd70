// The YAML run config: data source, columns (types, roles, availability), the prediction time, the
// target and the feature specs. Parsed and validated in full before any data is read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/env.h"
#include "src/core/status.h"
#include "src/data/io.h"
#include "src/data/table.h"

namespace staycast::features {

enum class ColumnRole { kFeature, kId, kEntity, kTarget, kIgnore };
const char* ColumnRoleName(ColumnRole role);

// When a column's value becomes known for a row: at a named event (a timestamp column of the same
// row) plus a non-negative offset, or never (an outcome that no feature may read).
struct Availability {
  std::string event;  // an event name, or "never"
  int64_t offset_seconds = 0;
  bool never() const { return event == "never"; }
  // "admission", "discharge+30d", "discharge+12h", "never".
  std::string ToString() const;
};

struct ColumnSpec {
  std::string name;
  data::ColumnType type = data::ColumnType::kNumeric;
  ColumnRole role = ColumnRole::kFeature;
  Availability available;
};

// A named moment in each row's life, read from a timestamp column (e.g. admission: admit_time).
struct EventSpec {
  std::string name;
  std::string column;
};

enum class Task { kRegression, kClassification };

struct TargetSpec {
  std::string column;  // empty when the config has no target
  Task task = Task::kRegression;
  // Label mapping for classification: these values are 1, every other non-missing value is 0.
  // Empty: the column is used as is (numeric 0/1 for classification).
  std::vector<std::string> positive;
};

struct DataSpec {
  std::string source;  // a location (see src/data/io.h)
  std::string query;   // SQL sources only
  std::vector<std::string> missing_tokens;
  char list_separator = ';';
  char delimiter = ',';
};

enum class FeatureKind {
  kNumeric,
  kOneHot,
  kOrdinal,
  kBin,
  kDateTime,
  kFlag,
  kSum,
  kCount,
  kCodes,
  kHistory,
};
const char* FeatureKindName(FeatureKind kind);

// An input of a feature: a declared column or the (single) output of another feature.
struct InputRef {
  std::string column;   // set for a column input
  std::string feature;  // set for a feature input
  std::string key_path;
  bool is_feature() const { return !feature.empty(); }
  const std::string& name() const { return is_feature() ? feature : column; }
};

enum class Impute { kMedian, kMean, kConstant, kNone };
enum class DatePart { kDayOfWeek, kMonth, kHour, kWeekend, kSeason, kDayOfYear, kYear };
const char* DatePartName(DatePart part);
enum class IcdVersion { kIcd9, kIcd10 };
enum class HistoryOp {
  kCount,      // previous admissions (optionally within window_days)
  kDaysSince,  // days since the last `event` (default: the last event, e.g. discharge)
  kMean,       // of a past column
  kMax,
  kMin,
  kSum,
  kLast,
  kFirstVisit,  // 1 when the entity has no known previous admission
};
const char* HistoryOpName(HistoryOp op);

struct NumericParams {
  Impute impute = Impute::kMedian;
  double value = 0;  // for Impute::kConstant
  bool indicator = true;
  bool standardize = false;
};
struct OneHotParams {
  int64_t min_frequency = 1;
  bool missing_bucket = true;
};
struct OrdinalParams {
  std::vector<std::string> order;  // empty: learned (sorted) at fit
  double unknown_value = -1;
};
struct BinParams {
  std::vector<double> edges;
  std::vector<std::string> labels;  // edges.size() + 1 of them
  bool onehot = true;               // else one column with the bin index
};
struct DateTimeParams {
  std::vector<DatePart> parts;
};
struct FlagParams {
  std::vector<std::string> values;  // text form; compared numerically for numeric inputs
};
struct CodeGroup {
  std::string name;
  std::vector<std::string> patterns;  // "I21", "I42.5-I42.9"
};
struct CodesParams {
  bool count = true;
  std::vector<CodeGroup> groups;
  std::optional<IcdVersion> icd;
  bool charlson = false;
  bool charlson_index = false;
  bool elixhauser = false;
};
struct HistoryParams {
  HistoryOp op = HistoryOp::kCount;
  std::string column;      // for mean/max/min/sum/last
  std::string event;       // for count (default first event) and days_since (default last event)
  double window_days = 0;  // 0: no window
  double fill = 0;         // value when there is no history
};

struct FeatureSpec {
  std::string name;
  FeatureKind kind = FeatureKind::kNumeric;
  std::string key_path;  // "features[3]"
  bool keep = true;      // false: an intermediate, used by other features but not output
  bool allow_leak = false;
  std::vector<InputRef> inputs;
  NumericParams numeric;
  OneHotParams onehot;
  OrdinalParams ordinal;
  BinParams bin;
  DateTimeParams datetime;
  FlagParams flag;
  CodesParams codes;
  HistoryParams history;
};

struct RunConfig {
  std::string origin;       // file name, for messages
  std::string source_text;  // the YAML text as given (saved with a fitted pipeline)
  DataSpec data;
  std::vector<ColumnSpec> columns;
  std::vector<EventSpec> events;  // in chronological order
  std::string prediction_event;
  TargetSpec target;
  std::vector<FeatureSpec> features;  // in config order (the output order)
  // Indexes into `features` such that every feature comes after the features it reads.
  std::vector<size_t> evaluation_order;
  // Top-level sections later issues define (split, models, evaluation, registry), accepted and
  // kept as YAML text until their parsers exist.
  std::map<std::string, std::string> reserved;

  const ColumnSpec* FindColumn(std::string_view name) const;
  const EventSpec* FindEvent(std::string_view name) const;
  int EventIndex(std::string_view name) const;
  // The entity (patient) and id columns, or "" when none is declared.
  std::string EntityColumn() const;
  std::string IdColumn() const;
  // The timestamp column of the prediction event.
  const std::string& PredictionColumn() const;
  // Whether a column's current-row value is known at the prediction time.
  bool AvailableAtPrediction(const ColumnSpec& column) const;
  // Reading options for data::ReadTable: missing tokens, declared types, separators.
  data::ReadOptions MakeReadOptions() const;
};

// Parses and validates a config. `origin` names it in messages (usually the file path).
StatusOr<RunConfig> ParseConfig(std::string_view yaml_text, const std::string& origin);
StatusOr<RunConfig> LoadConfig(Env* env, const std::string& path);

// The target per row of `table` (NaN when missing), applying the label mapping (`target.positive`)
// for classification. Fails if the target column is absent or mistyped.
StatusOr<std::vector<double>> TargetValues(const RunConfig& config, const data::Table& table);

}  // namespace staycast::features
