// Timestamp parsing and formatting over std::chrono's civil calendar.
#include "src/core/time.h"

#include <chrono>
#include <cstdio>

namespace staycast {
namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

void CivilFromDays(int64_t days, int* year, unsigned* month, unsigned* day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  *year = static_cast<int>(ymd.year());
  *month = static_cast<unsigned>(ymd.month());
  *day = static_cast<unsigned>(ymd.day());
}

bool ParseTimestamp(std::string_view s, Timestamp* out) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  int year = 0, month = 0, day = 0;
  if (!ReadDigits(s, 0, 4, &year) || s.size() < 10 || s[4] != '-' || !ReadDigits(s, 5, 2, &month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, &day)) {
    return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  int hour = 0, minute = 0, second = 0;
  size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!ReadDigits(s, pos + 1, 2, &hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadDigits(s, pos + 4, 2, &minute)) {
      return false;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!ReadDigits(s, pos + 1, 2, &second)) return false;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return false;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return false;
  }
  int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      pos += 1;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos] == '+' ? 1 : -1;
      int oh = 0, om = 0;
      if (!ReadDigits(s, pos + 1, 2, &oh)) return false;
      size_t p = pos + 3;
      if (p < s.size() && s[p] == ':') ++p;
      if (!ReadDigits(s, p, 2, &om) || p + 2 != s.size() || oh > 23 || om > 59) return false;
      offset = sign * (oh * 3600 + om * 60);
      pos = s.size();
    } else {
      return false;
    }
  }
  if (pos != s.size()) return false;
  const int64_t days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  *out = days * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset;
  return true;
}

StatusOr<Timestamp> ParseTimestampOrError(std::string_view text) {
  Timestamp t = 0;
  if (!ParseTimestamp(text, &t)) {
    return InvalidArgumentError(
        "expected a date or timestamp (YYYY-MM-DD[ HH:MM:SS][Z|+HH:MM]), got \"" +
        std::string(text) + "\"");
  }
  return t;
}

CivilTime ToCivil(Timestamp t) {
  int64_t days = t / kSecondsPerDay;
  int64_t rem = t % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    days -= 1;
  }
  CivilTime c{};
  CivilFromDays(days, &c.year, &c.month, &c.day);
  c.hour = static_cast<unsigned>(rem / 3600);
  c.minute = static_cast<unsigned>((rem % 3600) / 60);
  c.second = static_cast<unsigned>(rem % 60);
  // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
  c.weekday = static_cast<unsigned>(((days % 7) + 7 + 3) % 7);
  return c;
}

std::string FormatTimestamp(Timestamp t, bool date_only) {
  const CivilTime c = ToCivil(t);
  char buf[32];
  if (date_only) {
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", c.year, c.month, c.day);
  } else {
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
  }
  return buf;
}

}  // namespace staycast
