// Hashing: SHA-256 (OpenSSL) for artifact checksums and data fingerprints.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "src/core/status.h"

namespace staycast {

// Incremental SHA-256; Hex() gives the lowercase hex digest once all data is added.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string Hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string Sha256Hex(std::string_view data);

// SHA-256 of a file's contents, read in blocks.
StatusOr<std::string> Sha256File(const std::string& path);

}  // namespace staycast
