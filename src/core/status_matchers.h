// GoogleTest helpers for Status: StatusIs(code, matcher), IsOk(), ASSERT_OK / ASSERT_OK_AND_ASSIGN.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/core/status.h"

namespace staycast::testing {

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has code ") + StatusCodeName(code) + " and a matching message") {
  const Status status = ::staycast::internal::GetStatus(arg);
  if (status.code() != code) {
    *result_listener << "whose status is " << status.ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, status.message(), result_listener);
}

MATCHER(IsOk, "is OK") {
  const Status status = ::staycast::internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "whose status is " << status.ToString();
  return status.ok();
}

}  // namespace staycast::testing

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::staycast::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::staycast::testing::IsOk())

#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  ASSERT_THAT(tmp, ::staycast::testing::IsOk());  \
  lhs = std::move(tmp).value()

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(STAYCAST_CONCAT(staycast_assign_, __LINE__), lhs, expr)
