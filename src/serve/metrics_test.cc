// Prometheus rendering and the latency quantile estimate.
#include "src/serve/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace staycast::serve {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, RendersCountersAndHistogram) {
  Metrics m;
  m.CountRequest("predict", 200, 120e-6);
  m.CountRequest("predict", 400, 80e-6);
  m.CountError("wrong_type");
  m.CountPredictions("los", 3, "los@champion", false, 2);
  m.CountImputed("los", "age", 1);
  const std::string text = m.Render();
  EXPECT_THAT(text, HasSubstr("staycast_requests_total{endpoint=\"predict\",status=\"400\"} 1"));
  EXPECT_THAT(text, HasSubstr("staycast_errors_total{code=\"wrong_type\"} 1"));
  EXPECT_THAT(text, HasSubstr("staycast_request_duration_seconds_bucket{endpoint=\"predict\","
                              "le=\"0.0001\"} 1"));
  EXPECT_THAT(text, HasSubstr("staycast_request_duration_seconds_count{endpoint=\"predict\"} 2"));
  EXPECT_THAT(text, HasSubstr("staycast_predictions_total{model=\"los\",version=\"3\","
                              "arm=\"los@champion\",shadow=\"false\"} 2"));
  EXPECT_THAT(text, HasSubstr("staycast_imputed_inputs_total{model=\"los\",field=\"age\"} 1"));
}

TEST(MetricsTest, QuantileFallsInTheRightBucket) {
  Metrics m;
  for (int i = 0; i < 99; ++i) m.CountRequest("predict", 200, 120e-6);
  m.CountRequest("predict", 200, 3e-3);
  const double p50 = m.LatencyQuantile("predict", 0.5);
  EXPECT_GT(p50, 100e-6);
  EXPECT_LE(p50, 150e-6);
  EXPECT_GT(m.LatencyQuantile("predict", 0.999), 2e-3);
}

}  // namespace
}  // namespace staycast::serve
