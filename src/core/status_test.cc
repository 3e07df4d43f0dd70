// Tests for Status, StatusOr and the RETURN_IF_ERROR / ASSIGN_OR_RETURN macros.
#include "src/core/status.h"

#include "src/core/status_matchers.h"

namespace staycast {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

StatusOr<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgumentError("expected a positive number, got " + std::to_string(v));
  return v;
}

StatusOr<int> Doubled(int v) {
  ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return 2 * x;
}

Status CheckBoth(int a, int b) {
  RETURN_IF_ERROR(ParsePositive(a));
  RETURN_IF_ERROR(ParsePositive(b));
  return OkStatus();
}

TEST(StatusTest, MacrosPropagateTheFirstError) {
  EXPECT_OK(CheckBoth(1, 2));
  EXPECT_THAT(CheckBoth(1, -3), StatusIs(StatusCode::kInvalidArgument, HasSubstr("got -3")));
  ASSERT_OK_AND_ASSIGN(int d, Doubled(4));
  EXPECT_EQ(d, 8);
  EXPECT_THAT(Doubled(0), StatusIs(StatusCode::kInvalidArgument, HasSubstr("positive")));
}

TEST(StatusTest, ContextIsPrependedAndOkStaysOk) {
  const Status s = NotFoundError("no such file").WithContext("config.yaml");
  EXPECT_EQ(s.message(), "config.yaml: no such file");
  EXPECT_EQ(s.ToString(), "NotFound: config.yaml: no such file");
  EXPECT_TRUE(OkStatus().WithContext("x").ok());
}

TEST(StatusTest, ExitCodesDistinguishKinds) {
  EXPECT_EQ(ExitCodeFor(OkStatus()), 0);
  EXPECT_EQ(ExitCodeFor(InvalidArgumentError("x")), 2);
  EXPECT_EQ(ExitCodeFor(NotFoundError("x")), 3);
  EXPECT_NE(ExitCodeFor(InternalError("x")), ExitCodeFor(DataLossError("x")));
}

TEST(StatusTest, StatusOrFromOkStatusIsAnInternalError) {
  StatusOr<int> s = OkStatus();
  EXPECT_THAT(s, StatusIs(StatusCode::kInternal, HasSubstr("without a value")));
}

}  // namespace
}  // namespace staycast
