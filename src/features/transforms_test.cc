// Tests for the transforms through FeaturePipeline: state learned from training rows only,
// unknown categories, absent columns, NaN/inf, bins, dates, flags, sums and references.
#include <cmath>
#include <limits>

#include "src/core/status_matchers.h"
#include "src/features/pipeline.h"

namespace staycast::features {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kConfig = R"(
data: {source: unused.csv}
columns:
  admit: timestamp
  age: numeric
  ward: categorical
  a: numeric
  b: numeric
events: {admission: admit}
prediction_time: admission
features:
  - {name: age, kind: numeric, column: age, impute: median}
  - {name: age_z, kind: numeric, column: age, impute: mean, indicator: false, standardize: true}
  - {name: ward, kind: onehot, column: ward, min_frequency: 2}
  - {name: ward_rank, kind: ordinal, column: ward}
  - {name: age_group, kind: bin, column: age, edges: [18, 65], labels: [child, adult, senior]}
  - {name: admit, kind: datetime, column: admit, parts: [day_of_week, month, hour, weekend, season]}
  - {name: icu, kind: flag, column: ward, in: [ICU, CCU]}
  - {name: total, kind: sum, columns: [a, b]}
  - {name: nonzero, kind: count, columns: [a, b]}
  - {name: total_is_2, kind: flag, feature: total, equals: 2}
  - {name: total_group, kind: bin, feature: total, edges: [1], encoding: ordinal, keep: false}
  - {name: total_group_copy, kind: numeric, feature: total_group, indicator: false}
)";

struct Row {
  const char* admit;
  double age;
  const char* ward;  // "" = missing
  double a, b;
};

data::Table MakeTable(const std::vector<Row>& rows) {
  data::Table t;
  data::Column admit("admit", data::ColumnType::kTimestamp);
  data::Column age("age", data::ColumnType::kNumeric);
  data::Column ward("ward", data::ColumnType::kCategorical);
  data::Column a("a", data::ColumnType::kNumeric);
  data::Column b("b", data::ColumnType::kNumeric);
  for (const Row& r : rows) {
    admit.AppendTimestamp(*ParseTimestampOrError(r.admit));
    age.AppendNumeric(r.age);
    if (std::string(r.ward).empty()) {
      ward.AppendMissing();
    } else {
      ward.AppendCategory(r.ward);
    }
    a.AppendNumeric(r.a);
    b.AppendNumeric(r.b);
  }
  for (auto* c : {&admit, &age, &ward, &a, &b}) EXPECT_OK(t.AddColumn(std::move(*c)));
  return t;
}

const double kNaN = std::nan("");
const double kInf = std::numeric_limits<double>::infinity();

std::vector<double> Col(const FeatureMatrix& m, const std::string& name) {
  const int j = m.Find(name);
  EXPECT_GE(j, 0) << name;
  return j < 0 ? std::vector<double>{} : m.columns[static_cast<size_t>(j)];
}

FeaturePipeline Fitted(const data::Table& train) {
  auto c = ParseConfig(kConfig, "t.yaml");
  EXPECT_OK(c);
  auto p = FeaturePipeline::Create(*std::move(c));
  EXPECT_OK(p);
  EXPECT_OK(p->Fit(train));
  return *std::move(p);
}

const std::vector<Row> kTrain = {
    {"2024-03-02 10:00", 10, "ICU", 1, 0},   // Saturday
    {"2024-03-04 23:30", 30, "Ward", 1, 1},  // Monday
    {"2024-07-10", 70, "Ward", kNaN, 2},    {"2024-12-25", kNaN, "Rare", 0, 0},
    {"2024-01-01", 50, "ICU", 0, kNaN},
};

TEST(TransformsTest, LearnsOnTrainingRowsOnly) {
  const FeaturePipeline p = Fitted(MakeTable(kTrain));
  // Test rows with other values must not change the fitted median (40) or categories.
  const data::Table test =
      MakeTable({{"2024-05-05", kNaN, "Ward", 0, 0}, {"2024-05-05", 1000, "ICU", 0, 0}});
  ASSERT_OK_AND_ASSIGN(FeatureMatrix m, p.Transform(test));
  EXPECT_THAT(Col(m, "age"), ElementsAre(40, 1000));
  EXPECT_THAT(Col(m, "age_missing"), ElementsAre(1, 0));
  // Standardised with the training mean (40) and population sd of the imputed ages (20).
  EXPECT_NEAR(Col(m, "age_z")[1], (1000 - 40) / 20.0, 1e-9);
  EXPECT_NEAR(Col(m, "age_z")[0], 0, 1e-12);
}

TEST(TransformsTest, UnknownAndRareCategoriesGoToTheOtherBucketAndUnknownsAreCounted) {
  const FeaturePipeline p = Fitted(MakeTable(kTrain));
  const data::Table test = MakeTable({{"2024-05-05", 1, "Rare", 0, 0},
                                      {"2024-05-05", 1, "Mars", 0, 0},
                                      {"2024-05-05", 1, "", 0, 0},
                                      {"2024-05-05", 1, "ICU", 0, 0}});
  TransformReport report;
  ASSERT_OK_AND_ASSIGN(FeatureMatrix m, p.Transform(test, &report));
  EXPECT_EQ(m.Find("ward=Rare"), -1);  // below min_frequency
  EXPECT_THAT(Col(m, "ward=__other__"), ElementsAre(1, 1, 0, 0));
  EXPECT_THAT(Col(m, "ward=__missing__"), ElementsAre(0, 0, 1, 0));
  EXPECT_THAT(Col(m, "ward=ICU"), ElementsAre(0, 0, 0, 1));
  // Ordinal order learned at fit: ICU, Rare, Ward.
  EXPECT_THAT(Col(m, "ward_rank"), ElementsAre(1, -1, -1, 0));
  EXPECT_EQ(report.unknown_categories.at("ward"), 1);
  EXPECT_EQ(report.unknown_categories.at("ward_rank"), 1);
  EXPECT_THAT(report.ToString(), HasSubstr("feature 'ward': 1 rows"));
}

TEST(TransformsTest, AbsentColumnIsImputedAndReported) {
  const FeaturePipeline p = Fitted(MakeTable(kTrain));
  data::Table test = MakeTable({{"2024-05-05", 5, "ICU", 1, 1}, {"2024-05-06", 6, "ICU", 1, 1}});
  test.RemoveColumn("age");
  TransformReport report;
  ASSERT_OK_AND_ASSIGN(FeatureMatrix m, p.Transform(test, &report));
  EXPECT_THAT(report.missing_columns, ElementsAre("age"));
  EXPECT_THAT(Col(m, "age"), ElementsAre(40, 40));
  EXPECT_THAT(Col(m, "age_missing"), ElementsAre(1, 1));
  EXPECT_THAT(report.ToString(), HasSubstr("column 'age' absent"));
  // Fitting without a column the features read is an error, not an imputation.
  ASSERT_OK_AND_ASSIGN(RunConfig c, ParseConfig(kConfig, "t.yaml"));
  ASSERT_OK_AND_ASSIGN(FeaturePipeline q, FeaturePipeline::Create(std::move(c)));
  EXPECT_THAT(q.Fit(test), StatusIs(StatusCode::kFailedPrecondition, HasSubstr("'age'")));
}

TEST(TransformsTest, NanAndInfinityAreMissing) {
  const FeaturePipeline p = Fitted(MakeTable(kTrain));
  TransformReport report;
  ASSERT_OK_AND_ASSIGN(FeatureMatrix m,
                       p.Transform(MakeTable({{"2024-05-05", kInf, "ICU", kInf, 1},
                                              {"2024-05-05", -kInf, "ICU", kNaN, kNaN}}),
                                   &report));
  EXPECT_THAT(Col(m, "age"), ElementsAre(40, 40));
  EXPECT_THAT(Col(m, "age_missing"), ElementsAre(1, 1));
  EXPECT_THAT(Col(m, "age_group=__missing__"), ElementsAre(1, 1));
  EXPECT_THAT(Col(m, "total"), ElementsAre(1, 0));
  EXPECT_EQ(report.nonfinite_values.at("age"), 2);
  for (const auto& column : m.columns) {
    for (double v : column) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(TransformsTest, BinsDatesFlagsSumsAndReferences) {
  const FeaturePipeline p = Fitted(MakeTable(kTrain));
  ASSERT_OK_AND_ASSIGN(FeatureMatrix m, p.Transform(MakeTable(kTrain)));
  EXPECT_THAT(Col(m, "age_group=child"), ElementsAre(1, 0, 0, 0, 0));
  EXPECT_THAT(Col(m, "age_group=adult"), ElementsAre(0, 1, 0, 0, 1));
  EXPECT_THAT(Col(m, "age_group=senior"), ElementsAre(0, 0, 1, 0, 0));
  EXPECT_THAT(Col(m, "admit_day_of_week"), ElementsAre(5, 0, 2, 2, 0));
  EXPECT_THAT(Col(m, "admit_weekend"), ElementsAre(1, 0, 0, 0, 0));
  EXPECT_THAT(Col(m, "admit_month"), ElementsAre(3, 3, 7, 12, 1));
  EXPECT_THAT(Col(m, "admit_hour"), ElementsAre(10, 23, 0, 0, 0));
  EXPECT_THAT(Col(m, "admit_season"), ElementsAre(1, 1, 2, 0, 0));
  EXPECT_THAT(Col(m, "icu"), ElementsAre(1, 0, 0, 0, 1));
  EXPECT_THAT(Col(m, "total"), ElementsAre(1, 2, 2, 0, 0));
  EXPECT_THAT(Col(m, "nonzero"), ElementsAre(1, 2, 1, 0, 0));
  EXPECT_THAT(Col(m, "total_is_2"), ElementsAre(0, 1, 1, 0, 0));
  EXPECT_EQ(m.Find("total_group"), -1);  // keep: false
  EXPECT_THAT(Col(m, "total_group_copy"), ElementsAre(1, 1, 1, 0, 0));
}

}  // namespace
}  // namespace staycast::features
