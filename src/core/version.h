// Staycast's version, recorded in every artifact it writes.
#pragma once

namespace staycast {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace staycast
