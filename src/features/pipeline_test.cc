// Property tests of FeaturePipeline on seeded admissions-like tables, for both example configs:
// batch == row by row, future rows change no history feature, input order does not matter, and
// save -> load gives identical output.
#include "src/features/pipeline.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>

#include "src/core/status_matchers.h"
#include "src/features/test_tables.h"

namespace staycast::features {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

// Bitwise equality, so that NaN == NaN and -0.0 != 0.0 would be caught.
bool Same(double a, double b) { return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b); }

FeaturePipeline MakeFitted(const std::string& example, const data::Table& train) {
  auto config = ParseConfig(testing::ReadExample(example), example);
  EXPECT_OK(config);
  auto p = FeaturePipeline::Create(*std::move(config));
  EXPECT_OK(p);
  EXPECT_OK(p->Fit(train));
  return *std::move(p);
}

// Row index of each admission id.
std::map<std::string, size_t> RowsById(const data::Table& t) {
  std::map<std::string, size_t> out;
  const data::Column& id = *t.FindColumn("admission_id");
  for (size_t r = 0; r < t.num_rows(); ++r) out[id.CategoryAt(r)] = r;
  return out;
}

class PipelinePropertyTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PipelinePropertyTest, BatchEqualsRowByRow) {
  const data::Table table = testing::MakeAdmissions({.patients = 120, .seed = 7});
  const FeaturePipeline p = MakeFitted(GetParam(), table);
  ASSERT_OK_AND_ASSIGN(FeatureMatrix batch, p.Transform(table));
  const data::Column& patient = *table.FindColumn("patient_id");
  std::map<std::string, std::vector<size_t>> by_patient;
  for (size_t r = 0; r < table.num_rows(); ++r) by_patient[patient.CategoryAt(r)].push_back(r);
  for (size_t r = 0; r < table.num_rows(); ++r) {
    std::vector<size_t> others;
    for (size_t o : by_patient[patient.CategoryAt(r)]) {
      if (o != r) others.push_back(o);
    }
    ASSERT_OK_AND_ASSIGN(std::vector<double> row,
                         p.TransformRow(table.Take({r}), table.Take(others)));
    ASSERT_EQ(row.size(), batch.columns.size());
    for (size_t j = 0; j < row.size(); ++j) {
      ASSERT_TRUE(Same(row[j], batch.columns[j][r])) << batch.fields[j].name << " row " << r << ": "
                                                     << row[j] << " vs " << batch.columns[j][r];
    }
  }
}

TEST_P(PipelinePropertyTest, RemovingFutureRowsChangesNoHistoryFeature) {
  const data::Table table = testing::MakeAdmissions({.patients = 300, .seed = 11});
  const FeaturePipeline p = MakeFitted(GetParam(), table);
  const RunConfig& config = p.config();
  ASSERT_OK_AND_ASSIGN(FeatureMatrix full, p.Transform(table));
  const auto& pred = table.FindColumn(config.PredictionColumn())->timestamps();
  const auto& admit = table.FindColumn("admit_time")->timestamps();
  const auto& discharge = table.FindColumn("discharge_time")->timestamps();
  for (const double quantile : {0.3, 0.6, 0.9}) {
    std::vector<Timestamp> sorted = admit;
    std::sort(sorted.begin(), sorted.end());
    const Timestamp cutoff =
        sorted[static_cast<size_t>(quantile * static_cast<double>(sorted.size()))];
    // Keep stays begun before the cutoff; blank every value not yet known at the cutoff.
    std::vector<size_t> kept;
    for (size_t r = 0; r < table.num_rows(); ++r) {
      if (admit[r] < cutoff) kept.push_back(r);
    }
    data::Table truncated = table.Take(kept);
    for (size_t i = 0; i < kept.size(); ++i) {
      const size_t r = kept[i];
      for (const ColumnSpec& c : config.columns) {
        if (c.available.event != "discharge") continue;
        const Timestamp known = discharge[r] + c.available.offset_seconds;
        if (known < cutoff) continue;
        data::Column& col = *truncated.FindMutableColumn(c.name);
        if (c.type == data::ColumnType::kNumeric) col.numeric()[i] = std::nan("");
        if (c.type == data::ColumnType::kCategorical) col.codes()[i] = data::kMissingCode;
        if (c.type == data::ColumnType::kTimestamp) col.timestamps()[i] = kMissingTime;
        if (c.type == data::ColumnType::kStringList) col.lists()[i].clear();
      }
    }
    ASSERT_OK_AND_ASSIGN(FeatureMatrix cut, p.Transform(truncated));
    size_t compared = 0;
    for (size_t i = 0; i < kept.size(); ++i) {
      const size_t r = kept[i];
      if (pred[r] >= cutoff) continue;  // its prediction time is after the cutoff
      for (size_t j = 0; j < full.fields.size(); ++j) {
        const FeatureSpec* spec = nullptr;
        for (const FeatureSpec& f : config.features) {
          if (f.name == full.fields[j].feature) spec = &f;
        }
        if (spec->kind != FeatureKind::kHistory) continue;
        ASSERT_TRUE(Same(full.columns[j][r], cut.columns[j][i]))
            << full.fields[j].name << " at cutoff quantile " << quantile;
        ++compared;
      }
    }
    EXPECT_GT(compared, 100u);
  }
}

TEST_P(PipelinePropertyTest, ShuffledInputGivesTheSameFeaturesPerRowAndTheSameState) {
  const data::Table table = testing::MakeAdmissions({.patients = 150, .seed = 3, .shuffle = false});
  std::vector<size_t> order(table.num_rows());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(5);
  std::shuffle(order.begin(), order.end(), rng);
  const data::Table shuffled = table.Take(order);
  const FeaturePipeline p = MakeFitted(GetParam(), table);
  const FeaturePipeline q = MakeFitted(GetParam(), shuffled);
  EXPECT_EQ(p.ToJson(), q.ToJson());
  ASSERT_OK_AND_ASSIGN(FeatureMatrix a, p.Transform(table));
  ASSERT_OK_AND_ASSIGN(FeatureMatrix b, p.Transform(shuffled));
  const auto rows_b = RowsById(shuffled);
  for (const auto& [id, ra] : RowsById(table)) {
    for (size_t j = 0; j < a.columns.size(); ++j) {
      ASSERT_TRUE(Same(a.columns[j][ra], b.columns[j][rows_b.at(id)])) << a.fields[j].name;
    }
  }
}

TEST_P(PipelinePropertyTest, SaveLoadGivesIdenticalOutput) {
  const data::Table train = testing::MakeAdmissions({.patients = 100, .seed = 21});
  const data::Table test = testing::MakeAdmissions({.patients = 50, .seed = 22});
  const FeaturePipeline p = MakeFitted(GetParam(), train);
  ASSERT_OK_AND_ASSIGN(FeaturePipeline loaded, FeaturePipeline::FromJson(p.ToJson(), "mem"));
  EXPECT_EQ(loaded.schema(), p.schema());
  EXPECT_EQ(loaded.ToJson(), p.ToJson());
  ASSERT_OK_AND_ASSIGN(FeatureMatrix a, p.Transform(test));
  ASSERT_OK_AND_ASSIGN(FeatureMatrix b, loaded.Transform(test));
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (size_t j = 0; j < a.columns.size(); ++j) {
    for (size_t r = 0; r < a.num_rows; ++r) ASSERT_TRUE(Same(a.columns[j][r], b.columns[j][r]));
  }
}

TEST_P(PipelinePropertyTest, FitTransformEqualsFitThenTransform) {
  const data::Table train = testing::MakeAdmissions({.patients = 120, .seed = 31});
  const FeaturePipeline fitted = MakeFitted(GetParam(), train);
  ASSERT_OK_AND_ASSIGN(FeatureMatrix expected, fitted.Transform(train));
  auto config = ParseConfig(testing::ReadExample(GetParam()), GetParam());
  ASSERT_OK(config);
  ASSERT_OK_AND_ASSIGN(FeaturePipeline p, FeaturePipeline::Create(*std::move(config)));
  ASSERT_OK_AND_ASSIGN(FeatureMatrix once, p.FitTransform(train));
  EXPECT_TRUE(p.fitted());
  EXPECT_EQ(p.ToJson(), fitted.ToJson());
  EXPECT_EQ(p.schema(), fitted.schema());
  ASSERT_EQ(once.columns.size(), expected.columns.size());
  for (size_t j = 0; j < once.columns.size(); ++j) {
    EXPECT_EQ(once.fields[j].name, expected.fields[j].name);
    for (size_t r = 0; r < once.num_rows; ++r) {
      ASSERT_TRUE(Same(once.columns[j][r], expected.columns[j][r])) << once.fields[j].name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, PipelinePropertyTest,
                         ::testing::Values("los.yaml", "readmission.yaml"));

TEST_P(PipelinePropertyTest, TransformValuesEqualsTransformWithoutFields) {
  const data::Table train = testing::MakeAdmissions({.patients = 120, .seed = 37});
  const data::Table other = testing::MakeAdmissions({.patients = 40, .seed = 38});
  const FeaturePipeline p = MakeFitted(GetParam(), train);
  ASSERT_OK_AND_ASSIGN(FeatureMatrix full, p.Transform(other));
  ASSERT_OK_AND_ASSIGN(FeatureMatrix values, p.TransformValues(other));
  EXPECT_EQ(full.fields, p.schema());
  EXPECT_TRUE(values.fields.empty());
  ASSERT_EQ(values.num_rows, full.num_rows);
  ASSERT_EQ(values.columns.size(), full.columns.size());
  for (size_t j = 0; j < full.columns.size(); ++j) {
    for (size_t r = 0; r < full.num_rows; ++r) {
      ASSERT_TRUE(Same(values.columns[j][r], full.columns[j][r])) << full.fields[j].name;
    }
  }
}

// `t` with every 7th row's department replaced by one never seen in training.
data::Table WithUnknownDepartments(const data::Table& t) {
  data::Table out;
  for (const data::Column& c : t.columns()) {
    if (c.name() != "department") {
      EXPECT_OK(out.AddColumn(c));
      continue;
    }
    data::Column d(c.name(), c.type());
    for (size_t r = 0; r < t.num_rows(); ++r) {
      if (r % 7 == 0) {
        d.AppendCategory("Ward never seen");
      } else if (c.IsMissing(r)) {
        d.AppendMissing();
      } else {
        d.AppendCategory(c.CategoryAt(r));
      }
    }
    EXPECT_OK(out.AddColumn(std::move(d)));
  }
  return out;
}

// Large tables transform on several threads (independent transforms at the same time): the
// values and the report must be those of one thread.
TEST_P(PipelinePropertyTest, ThreadedTransformEqualsOneThread) {
  const data::Table train = testing::MakeAdmissions({.patients = 120, .seed = 41});
  const data::Table other =
      WithUnknownDepartments(testing::MakeAdmissions({.patients = 10000, .seed = 42}));
  ASSERT_GE(other.num_rows(), FeaturePipeline::kParallelRows);
  FeaturePipeline p = MakeFitted(GetParam(), train);
  TransformReport one_report;
  ASSERT_OK_AND_ASSIGN(FeatureMatrix one, p.Transform(other, &one_report));
  p.SetThreads(3);
  TransformReport threaded_report;
  ASSERT_OK_AND_ASSIGN(FeatureMatrix threaded, p.Transform(other, &threaded_report));
  EXPECT_FALSE(one_report.unknown_categories.empty());
  EXPECT_EQ(threaded_report.ToString(), one_report.ToString());
  EXPECT_EQ(threaded.fields, one.fields);
  ASSERT_EQ(threaded.columns.size(), one.columns.size());
  for (size_t j = 0; j < one.columns.size(); ++j) {
    ASSERT_EQ(threaded.columns[j].size(), one.columns[j].size());
    for (size_t r = 0; r < one.num_rows; ++r) {
      ASSERT_TRUE(Same(threaded.columns[j][r], one.columns[j][r])) << one.fields[j].name;
    }
  }
}

TEST(PipelineTest, SchemaTracksNamesOriginsAndTypes) {
  const FeaturePipeline p = MakeFitted("los.yaml", testing::MakeAdmissions({.patients = 50}));
  std::map<std::string, OutputField> by_name;
  for (const OutputField& f : p.schema()) by_name[f.name] = f;
  ASSERT_EQ(by_name.count("age_missing"), 1u);
  EXPECT_EQ(by_name["age_missing"].type, OutputType::kBinary);
  EXPECT_EQ(by_name["avg_previous_los"].origin, "history.mean(length_of_stay)");
  EXPECT_EQ(by_name["age_group=65-79"].origin, "bin(age)");
  EXPECT_EQ(by_name["dx_charlson_index"].type, OutputType::kCount);
  EXPECT_EQ(by_name.count("admit_weekend"), 1u);
  EXPECT_EQ(by_name.count("department=__other__"), 1u);
}

TEST(PipelineTest, LoadRejectsDamagedFiles) {
  const FeaturePipeline p = MakeFitted("los.yaml", testing::MakeAdmissions({.patients = 30}));
  std::string json = p.ToJson();
  EXPECT_THAT(FeaturePipeline::FromJson("{}", "x.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a Staycast feature pipeline")));
  std::string v2 = json;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 9");
  EXPECT_THAT(FeaturePipeline::FromJson(v2, "x.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("version 9 is not supported")));
  std::string renamed = json;
  renamed.replace(renamed.find("\"age_missing\""), 13, "\"age_mising\"");
  EXPECT_THAT(FeaturePipeline::FromJson(renamed, "x.json"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("schema")));
  EXPECT_THAT(FeaturePipeline::FromJson(json.substr(0, json.size() / 2), "x.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("x.json")));
}

TEST(PipelineTest, TransformBeforeFitIsAnError) {
  ASSERT_OK_AND_ASSIGN(RunConfig c, ParseConfig(testing::ReadExample("los.yaml"), "los.yaml"));
  ASSERT_OK_AND_ASSIGN(FeaturePipeline p, FeaturePipeline::Create(std::move(c)));
  EXPECT_THAT(p.Transform(testing::MakeAdmissions({.patients = 5})),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("not fitted")));
}

}  // namespace
}  // namespace staycast::features
