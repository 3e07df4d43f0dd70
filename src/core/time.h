// Timestamps in Staycast: UTC seconds since the Unix epoch, parsed from dates and ISO 8601 text.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "src/core/status.h"

namespace staycast {

// Seconds since 1970-01-01T00:00:00Z. kMissingTime marks a missing value in timestamp columns.
using Timestamp = int64_t;
inline constexpr Timestamp kMissingTime = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kSecondsPerDay = 86400;

// Accepts "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]", the same with 'T' as separator, and an
// optional trailing "Z" or "+HH:MM"/"-HH:MM"/"+HHMM" offset (converted to UTC). Fractional seconds
// are truncated. Returns false on anything else (no exceptions, no allocation): the caller builds
// the error message.
bool ParseTimestamp(std::string_view text, Timestamp* out);

// Same, as a Status with the text quoted in the message.
StatusOr<Timestamp> ParseTimestampOrError(std::string_view text);

// "YYYY-MM-DD HH:MM:SS" in UTC; "YYYY-MM-DD" when date_only. Round-trips through ParseTimestamp.
std::string FormatTimestamp(Timestamp t, bool date_only = false);

// Days since the epoch of a civil date, and back (proleptic Gregorian).
int64_t DaysFromCivil(int year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int* year, unsigned* month, unsigned* day);

// Calendar parts of a UTC timestamp.
struct CivilTime {
  int year;
  unsigned month;    // 1..12
  unsigned day;      // 1..31
  unsigned hour;     // 0..23
  unsigned minute;   // 0..59
  unsigned second;   // 0..59
  unsigned weekday;  // 0 = Monday .. 6 = Sunday
};
CivilTime ToCivil(Timestamp t);

}  // namespace staycast
