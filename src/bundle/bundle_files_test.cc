// Tests for bundle files: atomic writing, verification, tamper and truncation detection, tar round
// trip.
#include "src/bundle/bundle_files.h"

#include <filesystem>
#include <fstream>

#include "src/core/status_matchers.h"

namespace staycast::bundle {
namespace {

using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

class BundleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("staycast_bundle_test_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string WriteBundle(const std::string& name) {
    const std::string dir = (root_ / name).string();
    auto writer = BundleWriter::Create(dir, false);
    EXPECT_OK(writer);
    EXPECT_OK((*writer)->AddFile("model.json", "{\"trees\": 3}"));
    EXPECT_OK((*writer)->AddJson("metrics.json", {{"mae", 1.5}}));
    EXPECT_OK((*writer)->Finish({{"task", "regression"}}));
    return dir;
  }
  fs::path root_;
};

TEST_F(BundleFilesTest, WriteThenReadVerifies) {
  const std::string dir = WriteBundle("b1");
  ASSERT_OK_AND_ASSIGN(auto reader, BundleReader::Open(dir));
  EXPECT_EQ(reader->metadata()["task"], "regression");
  EXPECT_EQ(reader->manifest()["format_version"], kBundleFormatVersion);
  ASSERT_OK_AND_ASSIGN(std::string model, reader->ReadFile("model.json"));
  EXPECT_EQ(model, "{\"trees\": 3}");
  ASSERT_OK_AND_ASSIGN(nlohmann::json metrics, reader->ReadJson("metrics.json"));
  EXPECT_EQ(metrics["mae"], 1.5);
  EXPECT_THAT(reader->ReadFile("nope.json"),
              StatusIs(StatusCode::kNotFound, HasSubstr("nope.json")));
}

TEST_F(BundleFilesTest, UnfinishedWriterLeavesNothing) {
  const std::string dir = (root_ / "b2").string();
  {
    ASSERT_OK_AND_ASSIGN(auto writer, BundleWriter::Create(dir, false));
    ASSERT_OK(writer->AddFile("model.json", "x"));
  }
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_TRUE(fs::is_empty(root_));
}

TEST_F(BundleFilesTest, ExistingBundleNeedsOverwrite) {
  const std::string dir = WriteBundle("b3");
  EXPECT_THAT(BundleWriter::Create(dir, false),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("--overwrite")));
  ASSERT_OK_AND_ASSIGN(auto writer, BundleWriter::Create(dir, true));
  ASSERT_OK(writer->AddFile("model.json", "new"));
  ASSERT_OK(writer->Finish({}));
  ASSERT_OK_AND_ASSIGN(auto reader, BundleReader::Open(dir));
  EXPECT_EQ(*reader->ReadFile("model.json"), "new");
  EXPECT_FALSE(reader->HasFile("metrics.json"));
}

TEST_F(BundleFilesTest, TamperedTruncatedOrMissingFilesAreRefused) {
  const std::string dir = WriteBundle("b4");
  {
    std::ofstream out(dir + "/model.json", std::ios::app);
    out << " ";
  }
  EXPECT_THAT(
      BundleReader::Open(dir),
      StatusIs(StatusCode::kDataLoss, HasSubstr("'model.json' does not match its checksum")));
  fs::remove(dir + "/model.json");
  EXPECT_THAT(BundleReader::Open(dir), StatusIs(StatusCode::kDataLoss, HasSubstr("missing")));
  fs::remove(dir + "/manifest.json");
  EXPECT_THAT(BundleReader::Open(dir), StatusIs(StatusCode::kDataLoss, HasSubstr("no manifest")));
  EXPECT_THAT(BundleReader::Open((root_ / "none").string()),
              StatusIs(StatusCode::kNotFound, HasSubstr("no such bundle")));
}

TEST_F(BundleFilesTest, NewerFormatIsRefusedWithVersions) {
  const std::string dir = WriteBundle("b5");
  std::ifstream in(dir + "/manifest.json");
  nlohmann::json m = nlohmann::json::parse(in);
  m["format_version"] = kBundleFormatVersion + 1;
  std::ofstream(dir + "/manifest.json") << m.dump();
  EXPECT_THAT(BundleReader::Open(dir),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("written by a newer Staycast")));
}

TEST_F(BundleFilesTest, TarRoundTripAndCorruptTar) {
  const std::string dir = WriteBundle("b6");
  const std::string tar = (root_ / "b6.tar").string();
  ASSERT_OK(PackBundle(dir, tar));
  ASSERT_OK_AND_ASSIGN(auto reader, BundleReader::Open(tar));
  EXPECT_EQ(*reader->ReadFile("model.json"), "{\"trees\": 3}");
  const std::string unpacked = reader->dir();
  reader.reset();
  EXPECT_FALSE(fs::exists(unpacked));
  // Truncate the archive.
  const auto size = fs::file_size(tar);
  fs::resize_file(tar, size / 3);
  EXPECT_FALSE(BundleReader::Open(tar).ok());
  std::ofstream((root_ / "junk.tar").string()) << "not a tar at all";
  EXPECT_THAT(BundleReader::Open((root_ / "junk.tar").string()),
              StatusIs(StatusCode::kDataLoss, ::testing::_));
}

}  // namespace
}  // namespace staycast::bundle
