// Tests for SHA-256 against published test vectors (FIPS 180-2 examples).
#include "src/core/hash.h"

#include <filesystem>
#include <fstream>

#include "src/core/status_matchers.h"

namespace staycast {
namespace {

TEST(HashTest, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, IncrementalEqualsOneShotAndFileHash) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += static_cast<char>('a' + i % 26);
  Sha256 h;
  h.Update(text.substr(0, 12345));
  h.Update(text.substr(12345));
  EXPECT_EQ(h.Hex(), Sha256Hex(text));
  const std::string path =
      (std::filesystem::temp_directory_path() / "staycast_hash_test.txt").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  ASSERT_OK_AND_ASSIGN(std::string file_hash, Sha256File(path));
  EXPECT_EQ(file_hash, Sha256Hex(text));
  std::filesystem::remove(path);
  EXPECT_FALSE(Sha256File(path).ok());
}

}  // namespace
}  // namespace staycast
