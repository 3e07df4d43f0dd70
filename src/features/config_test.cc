// Tests for the run config: the examples parse, and every config error names its key path and what
// was expected, before any data is read.
#include "src/features/config.h"

#include "src/core/status_matchers.h"
#include "src/features/test_tables.h"

namespace staycast::features {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

// A small valid config; tests replace one piece of it.
constexpr const char* kBase = R"(
data: {source: nowhere.csv}
columns:
  id: {type: categorical, role: id}
  patient: {type: categorical, role: entity}
  admit: timestamp
  discharge: timestamp
  age: numeric
  ward: categorical
  disposition: {type: categorical, available: discharge}
  los: {type: numeric, available: discharge}
  outcome: {type: numeric, available: never}
events: {admission: admit, discharge: discharge}
prediction_time: admission
target: los
features:
  - {name: age, kind: numeric, column: age}
  - {name: ward, kind: onehot, column: ward}
  - {name: prev_los, kind: history, op: mean, column: los}
)";

StatusOr<RunConfig> WithFeatures(const std::string& features) {
  std::string text = kBase;
  text = text.substr(0, text.find("features:")) + "features:\n" + features;
  return ParseConfig(text, "test.yaml");
}

TEST(ConfigTest, ParsesTheBaseConfig) {
  ASSERT_OK_AND_ASSIGN(RunConfig c, ParseConfig(kBase, "test.yaml"));
  EXPECT_EQ(c.data.source, "nowhere.csv");
  EXPECT_EQ(c.EntityColumn(), "patient");
  EXPECT_EQ(c.IdColumn(), "id");
  EXPECT_EQ(c.PredictionColumn(), "admit");
  EXPECT_EQ(c.target.column, "los");
  EXPECT_EQ(c.FindColumn("los")->role, ColumnRole::kTarget);
  EXPECT_EQ(c.FindColumn("age")->available.event, "admission");
  EXPECT_EQ(c.FindColumn("discharge")->available.event, "discharge");
  EXPECT_TRUE(c.AvailableAtPrediction(*c.FindColumn("age")));
  EXPECT_FALSE(c.AvailableAtPrediction(*c.FindColumn("disposition")));
  EXPECT_EQ(c.features.size(), 3u);
  EXPECT_EQ(c.MakeReadOptions().type_overrides.at("ward"), data::ColumnType::kCategorical);
}

TEST(ConfigTest, ParsesTheExamples) {
  ASSERT_OK_AND_ASSIGN(RunConfig los, ParseConfig(testing::ReadExample("los.yaml"), "los.yaml"));
  EXPECT_EQ(los.prediction_event, "admission");
  EXPECT_EQ(los.FindColumn("readmitted_30d")->available.ToString(), "discharge+30d");
  ASSERT_OK_AND_ASSIGN(RunConfig readmit,
                       ParseConfig(testing::ReadExample("readmission.yaml"), "readmission.yaml"));
  EXPECT_EQ(readmit.prediction_event, "discharge");
  EXPECT_EQ(readmit.target.task, Task::kClassification);
}

TEST(ConfigTest, UnknownColumnNamesKeyPathAndSuggestion) {
  EXPECT_THAT(WithFeatures("  - {name: a, kind: numeric, column: age}\n"
                           "  - {name: b, kind: numeric, column: agee}\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("test.yaml:"), HasSubstr("features[1].column"),
                             HasSubstr("unknown column 'agee'"), HasSubstr("did you mean 'age'"))));
}

TEST(ConfigTest, WrongTypeSaysWhatWasExpected) {
  EXPECT_THAT(
      WithFeatures("  - {name: a, kind: numeric, column: ward}\n"),
      StatusIs(StatusCode::kInvalidArgument,
               AllOf(HasSubstr("features[0].column"), HasSubstr("column 'ward' is categorical"),
                     HasSubstr("needs numeric"))));
  EXPECT_THAT(WithFeatures("  - {name: a, kind: bin, column: age, edges: [3, 1]}\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("features[0].edges"), HasSubstr("strictly increasing"))));
}

TEST(ConfigTest, UnavailableColumnNamesTheColumnAndItsAvailability) {
  EXPECT_THAT(WithFeatures("  - {name: d, kind: onehot, column: disposition}\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("features[0].column"), HasSubstr("'disposition'"),
                             HasSubstr("available: discharge"), HasSubstr("allow_leak"))));
  // The target itself, read for the current row.
  EXPECT_THAT(WithFeatures("  - {name: l, kind: numeric, column: los}\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("is the target")));
  // Explicitly allowed.
  ASSERT_OK_AND_ASSIGN(RunConfig c, WithFeatures("  - {name: d, kind: onehot, column: disposition, "
                                                 "allow_leak: true}\n"));
  EXPECT_TRUE(c.features[0].allow_leak);
  // History may read a past value known at discharge, but never a never-available column.
  EXPECT_THAT(WithFeatures("  - {name: h, kind: history, op: mean, column: outcome}\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("features[0].column"), HasSubstr("available: never"))));
}

TEST(ConfigTest, FeatureReferencesAreOrderedAndCyclesRejected) {
  ASSERT_OK_AND_ASSIGN(RunConfig c,
                       WithFeatures("  - {name: high, kind: flag, feature: age2, equals: 2}\n"
                                    "  - {name: age2, kind: numeric, column: age}\n"));
  EXPECT_EQ(c.evaluation_order, (std::vector<size_t>{1, 0}));
  EXPECT_THAT(WithFeatures("  - {name: a, kind: numeric, feature: b}\n"
                           "  - {name: b, kind: numeric, feature: c}\n"
                           "  - {name: c, kind: numeric, feature: a}\n"),
              StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr("circular feature reference"),
                                                           HasSubstr("a -> b -> c -> a"))));
  EXPECT_THAT(WithFeatures("  - {name: a, kind: numeric, feature: nope}\n"),
              StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr("features[0].feature"),
                                                           HasSubstr("unknown feature 'nope'"))));
  EXPECT_THAT(WithFeatures("  - {name: w, kind: onehot, column: ward}\n"
                           "  - {name: a, kind: numeric, feature: w}\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("several outputs")));
}

TEST(ConfigTest, TopLevelKeysAreCheckedAndLaterSectionsReserved) {
  std::string text = std::string(kBase) + "splitt: {}\n";
  EXPECT_THAT(ParseConfig(text, "t.yaml"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("splitt: unknown key"), HasSubstr("did you mean 'split'"))));
  ASSERT_OK_AND_ASSIGN(RunConfig c, ParseConfig(std::string(kBase) + "split: {by: time}\n"
                                                                     "models: [gbdt]\n",
                                                "t.yaml"));
  EXPECT_EQ(c.reserved.count("split"), 1u);
  EXPECT_EQ(c.reserved.count("models"), 1u);
}

TEST(ConfigTest, OtherErrorsNameTheirKeys) {
  auto replace = [](const std::string& from, const std::string& to) {
    std::string text = kBase;
    text.replace(text.find(from), from.size(), to);
    return ParseConfig(text, "t.yaml");
  };
  EXPECT_THAT(replace("age: numeric", "age: numbr"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("columns.age.type"), HasSubstr("unknown column type"))));
  EXPECT_THAT(
      replace("available: discharge}", "available: dischrge}"),
      StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr("columns.disposition.available"),
                                                   HasSubstr("unknown event 'dischrge'"))));
  EXPECT_THAT(replace("prediction_time: admission", "prediction_time: ward"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("prediction_time: unknown event")));
  EXPECT_THAT(replace("target: los", "target: {column: ward}"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("target.column"), HasSubstr("expected numeric"))));
  EXPECT_THAT(replace("data: {source: nowhere.csv}", "data: {}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("data.source: required")));
  EXPECT_THAT(replace("kind: onehot", "kind: onehott"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("features[1].kind"), HasSubstr("unknown kind 'onehott'"))));
  EXPECT_THAT(replace("column: ward}", "column: ward, min_frequency: x}"),
              StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr("features[1].min_frequency"),
                                                           HasSubstr("expected an integer"))));
  EXPECT_THAT(ParseConfig("a: [", "bad.yaml"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bad.yaml:")));
}

}  // namespace
}  // namespace staycast::features
