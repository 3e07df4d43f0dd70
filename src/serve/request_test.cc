// Request body forms and their errors: malformed JSON with a position, NaN, empty, too many.
#include "src/serve/request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace staycast::serve {
namespace {

using ::testing::HasSubstr;

TEST(RequestTest, AllV1FormsGiveTheSameRecords) {
  const RequestLimits limits;
  for (const char* body :
       {R"({"age": 70, "gender": "F"})", R"({"instances": [{"age": 70, "gender": "F"}]})",
        R"([{"age": 70, "gender": "F"}])", R"({"dataframe_records": [{"age": 70, "gender": "F"}]})",
        R"({"dataframe_split": {"columns": ["age", "gender"],
                               "data": [[70, "F"]]}})"}) {
    ApiResult<PredictRequest> r = ParseV1Request(body, limits);
    ASSERT_TRUE(r.ok()) << body << ": " << r.error().message;
    ASSERT_EQ(r.value().records.size(), 1u) << body;
    EXPECT_EQ(r.value().records[0], nlohmann::json::parse(R"({"age": 70, "gender": "F"})"));
  }
}

TEST(RequestTest, OptionsAreNotFields) {
  ApiResult<PredictRequest> r = ParseV1Request(R"({"age": 1, "explain": true, "top_k": 3})", {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().explain);
  EXPECT_EQ(r.value().top_k, 3);
  EXPECT_EQ(r.value().records[0], nlohmann::json::parse(R"({"age": 1})"));
}

TEST(RequestTest, MalformedJsonGivesTheBytePosition) {
  ApiResult<PredictRequest> r = ParseV1Request(R"({"age": 70,, "x": 1})", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kMalformedJson);
  EXPECT_THAT(r.error().message, HasSubstr("byte 11"));
}

TEST(RequestTest, NanAndHugeNumbersAreNonFinite) {
  for (const char* body : {R"({"age": NaN})", R"({"age": -Infinity})", R"({"age": 1e999})"}) {
    ApiResult<PredictRequest> r = ParseV1Request(body, {});
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, kNonFinite) << body << ": " << r.error().message;
  }
}

TEST(RequestTest, EmptyAndTooManyInstances) {
  RequestLimits limits;
  limits.max_instances = 2;
  EXPECT_EQ(ParseV1Request(R"({"instances": []})", limits).error().code, kEmptyRequest);
  EXPECT_EQ(ParseV1Request(R"({})", limits).error().code, kEmptyRequest);
  EXPECT_EQ(ParseV1Request(R"({"instances": [{"a":1},{"a":2},{"a":3}]})", limits).error().code,
            kTooManyInstances);
  EXPECT_EQ(ParseV1Request(R"({"instances": [1]})", limits).error().code, kWrongType);
  EXPECT_EQ(ParseV1Request(R"("text")", limits).error().code, kWrongType);
}

TEST(RequestTest, V2InputsBecomeRecords) {
  ApiResult<PredictRequest> r = ParseV2Request(R"({"id": "r1", "parameters": {"explain": false},
    "inputs": [{"name": "age", "shape": [2], "datatype": "FP64", "data": [70, 80]},
               {"name": "gender", "shape": [2, 1], "datatype": "BYTES", "data": [["F"], ["M"]]}]})",
                                               {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().id, "r1");
  ASSERT_EQ(r.value().records.size(), 2u);
  EXPECT_EQ(r.value().records[1], nlohmann::json::parse(R"({"age": 80, "gender": "M"})"));
}

TEST(RequestTest, V2ShapeMismatchNamesTheInput) {
  ApiResult<PredictRequest> r = ParseV2Request(
      R"({"inputs": [{"name": "age", "shape": [3], "datatype": "FP64", "data": [1, 2]}]})", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "age");
  EXPECT_EQ(ParseV2Request(R"({"inputs": 3})", {}).error().field, "inputs");
}

}  // namespace
}  // namespace staycast::serve
