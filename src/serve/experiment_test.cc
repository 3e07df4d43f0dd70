// Experiment files and sticky, weighted routing.
#include "src/serve/experiment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/core/status_matchers.h"

namespace staycast::serve {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ExperimentTest, ParsesArmsAndShadows) {
  ASSERT_OK_AND_ASSIGN(Experiment e, ParseExperiment(R"(name: los
arms: {los@champion: 90, los@challenger: 10}
shadow: [los@candidate]
)",
                                                     "exp.yaml"));
  EXPECT_EQ(e.name, "los");
  ASSERT_EQ(e.arms.size(), 2u);
  EXPECT_EQ(e.arms[1].model, "los@challenger");
  EXPECT_EQ(e.arms[1].weight, 10);
  EXPECT_EQ(e.shadows, std::vector<std::string>{"los@candidate"});
  EXPECT_EQ(e.salt, "los");
}

TEST(ExperimentTest, ErrorsNameTheLine) {
  EXPECT_THAT(ParseExperiment("name: los\narms: {a@b: heavy}\n", "exp.yaml").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("exp.yaml:2")));
  EXPECT_THAT(ParseExperiment("name: los\narms: {a@b: 0}\n", "exp.yaml").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("sum to 0")));
  EXPECT_THAT(ParseExperiment("name: los\nweights: 1\n", "exp.yaml").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown key 'weights'")));
}

TEST(ExperimentTest, RoutingIsStickyAndFollowsTheWeights) {
  ASSERT_OK_AND_ASSIGN(Experiment e,
                       ParseExperiment("name: los\narms: {a@x: 90, b@x: 10}\n", "e.yaml"));
  int second = 0;
  constexpr int kPatients = 20000;
  for (int i = 0; i < kPatients; ++i) {
    const std::string key = "P" + std::to_string(i);
    const size_t arm = e.Route(key);
    EXPECT_EQ(e.Route(key), arm);
    second += arm == 1 ? 1 : 0;
  }
  // 10% +- 1 point (binomial sd is 0.2 points here).
  EXPECT_GT(second, kPatients * 9 / 100);
  EXPECT_LT(second, kPatients * 11 / 100);
}

}  // namespace
}  // namespace staycast::serve
