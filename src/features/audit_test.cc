// Tests for the audit: the example configs pass every history proof, the seed's naive per-patient
// mean is caught, and allow_leak columns are reported.
#include "src/features/audit.h"

#include "src/core/status_matchers.h"
#include "src/features/test_tables.h"

namespace staycast::features {
namespace {

using ::testing::HasSubstr;

TEST(AuditTest, CatchesTheNaivePerPatientMean) {
  ASSERT_OK_AND_ASSIGN(RunConfig config, ParseConfig(testing::ReadExample("los.yaml"), "los.yaml"));
  const data::Table table = testing::MakeAdmissions({.patients = 400, .seed = 9});
  AuditOptions options;
  options.naive_history = true;
  options.proof_rows = 150;
  ASSERT_OK_AND_ASSIGN(AuditReport report, RunAudit(config, table, options));
  size_t honest = 0;
  const HistoryProof* naive = nullptr;
  for (const HistoryProof& p : report.proofs) {
    if (p.naive) {
      naive = &p;
      continue;
    }
    EXPECT_EQ(p.rows_changed, 0u) << p.feature;
    EXPECT_EQ(p.rows_checked, 150u);
    ++honest;
  }
  EXPECT_EQ(honest, 6u);
  ASSERT_NE(naive, nullptr);
  EXPECT_EQ(naive->feature, "naive_avg_previous_los");
  EXPECT_GT(naive->rows_changed, naive->rows_checked / 2);
  ASSERT_EQ(report.naive.size(), 1u);
  const NaiveComparison& c = report.naive[0];
  EXPECT_EQ(c.metric, "MAE");
  // The leak makes the reported test error look better than the honest one, and the deployed
  // naive model worse than it looked.
  EXPECT_LT(c.naive_reported, c.honest);
  EXPECT_GT(c.naive_deployed, c.naive_reported);
  EXPECT_GT(c.naive_strength, c.honest_strength);
  EXPECT_EQ(report.problems, 0);
  const std::string text = FormatAudit(report, /*color=*/false);
  EXPECT_THAT(text, HasSubstr("naive_avg_previous_los"));
  EXPECT_THAT(text, HasSubstr("LEAK (the seed's per-patient aggregate"));
  EXPECT_THAT(text, HasSubstr("ridge least-squares baseline"));
}

TEST(AuditTest, ReadmissionConfigPassesAndAllowLeakIsReported) {
  std::string yaml = testing::ReadExample("readmission.yaml");
  ASSERT_OK_AND_ASSIGN(RunConfig config, ParseConfig(yaml, "readmission.yaml"));
  const data::Table table = testing::MakeAdmissions({.patients = 300, .seed = 4});
  AuditOptions options;
  options.proof_rows = 100;
  ASSERT_OK_AND_ASSIGN(AuditReport report, RunAudit(config, table, options));
  EXPECT_EQ(report.problems, 0) << FormatAudit(report, false);
  EXPECT_GT(report.entities_both_sides, 0u);

  // Reading this stay's outcome with allow_leak: reported, and the feature looks too good.
  yaml += "  - {name: leaked, kind: numeric, column: readmitted_30d, allow_leak: true}\n";
  ASSERT_OK_AND_ASSIGN(RunConfig leaky, ParseConfig(yaml, "readmission.yaml"));
  ASSERT_OK_AND_ASSIGN(AuditReport bad, RunAudit(leaky, table, options));
  EXPECT_GE(bad.problems, 2);
  const std::string text = FormatAudit(bad, /*color=*/true);
  EXPECT_THAT(text, HasSubstr("\033[31m  readmitted_30d"));
  EXPECT_THAT(text, HasSubstr("LEAK (allow_leak: true)"));
  EXPECT_THAT(text, HasSubstr("SUSPICIOUS"));
}

}  // namespace
}  // namespace staycast::features
