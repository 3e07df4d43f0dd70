// JSON instances to a typed table: types, missing values, unknown fields, and the errors.
#include "src/serve/json_input.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace staycast::serve {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

features::RunConfig TestConfig() {
  constexpr const char* kYaml = R"(version: 1
data: {source: x.csv, missing: ["", "NA"], list_separator: ";"}
columns:
  admission_id: {type: categorical, role: id}
  patient_id: {type: categorical, role: entity}
  admit_time: timestamp
  discharge_time: timestamp
  age: numeric
  severity: categorical
  diagnosis_codes: string_list
  length_of_stay: {type: numeric, available: discharge}
events: {admission: admit_time, discharge: discharge_time}
prediction_time: admission
target: length_of_stay
features:
  - {name: age, kind: numeric, column: age}
)";
  StatusOr<features::RunConfig> c = features::ParseConfig(kYaml, "test.yaml");
  if (!c.ok()) {
    ADD_FAILURE() << c.status().ToString();
    return {};
  }
  return *c;
}

TEST(JsonInputTest, TypesValuesAndReportsUnknownFields) {
  const InputSpec spec = InputSpec::FromConfig(TestConfig());
  std::vector<nlohmann::json> records = {
      nlohmann::json::parse(R"({"age": 70, "severity": 3, "admit_time": "2024-01-02 08:00",
        "diagnosis_codes": ["I10", "E11.9"], "shoe_size": 44})"),
      nlohmann::json::parse(R"({"age": null, "severity": "NA", "diagnosis_codes": "I10;J18"})")};
  std::vector<std::vector<std::string>> ignored;
  ApiResult<data::Table> t = spec.ToTable(records, &ignored);
  ASSERT_TRUE(t.ok()) << t.error().message;
  const data::Table& table = t.value();
  ASSERT_EQ(table.num_rows(), 2u);
  EXPECT_EQ(table.FindColumn("age")->numeric()[0], 70);
  EXPECT_TRUE(table.FindColumn("age")->IsMissing(1));
  EXPECT_EQ(table.FindColumn("severity")->CategoryAt(0), "3");
  EXPECT_TRUE(table.FindColumn("severity")->IsMissing(1));
  EXPECT_THAT(table.FindColumn("diagnosis_codes")->lists()[1], ElementsAre("I10", "J18"));
  EXPECT_TRUE(table.FindColumn("admit_time")->IsMissing(1));
  EXPECT_TRUE(table.FindColumn("length_of_stay")->IsMissing(0));
  EXPECT_THAT(ignored[0], ElementsAre("shoe_size"));
  EXPECT_TRUE(ignored[1].empty());
}

TEST(JsonInputTest, WrongTypeNamesTheFieldAndInstance) {
  const InputSpec spec = InputSpec::FromConfig(TestConfig());
  std::vector<nlohmann::json> records = {nlohmann::json::parse(R"({"age": 1})"),
                                         nlohmann::json::parse(R"({"age": "old"})")};
  ApiResult<data::Table> t = spec.ToTable(records, nullptr);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().http_status, 400);
  EXPECT_EQ(t.error().code, kWrongType);
  EXPECT_EQ(t.error().field, "age");
  EXPECT_THAT(t.error().message, HasSubstr("instance 1"));
}

TEST(JsonInputTest, BadTimestampIsRefused) {
  const InputSpec spec = InputSpec::FromConfig(TestConfig());
  ApiResult<data::Table> t =
      spec.ToTable({nlohmann::json::parse(R"({"admit_time": "yesterday"})")}, nullptr);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "admit_time");
  ApiResult<data::Table> n = spec.ToTable({nlohmann::json::parse(R"({"admit_time": 5})")}, nullptr);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, kWrongType);
}

}  // namespace
}  // namespace staycast::serve
