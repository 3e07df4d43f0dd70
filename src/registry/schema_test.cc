// Store URIs and schema migrations: a v1 database is migrated, a newer one refused; every store.
#include "src/registry/schema.h"

#include "src/core/status_matchers.h"
#include "src/registry/registry.h"
#include "src/registry/registry_testing.h"

namespace staycast::registry {
namespace {

using ::staycast::testing::StatusIs;
using testing::Backend;
using ::testing::HasSubstr;
using testing::TestRegistry;

class SchemaTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(env_, TestRegistry::Create(GetParam())); }
  std::unique_ptr<TestRegistry> env_;
};

TEST_P(SchemaTest, FreshDatabaseGetsTheLatestSchemaAndReopens) {
  { ASSERT_OK(env_->Open().status()); }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenStore(env_->uri()));
  ASSERT_OK_AND_ASSIGN(const int version, ReadSchemaVersion(store.get()));
  EXPECT_EQ(version, kSchemaVersion);
  ASSERT_OK_AND_ASSIGN(const int before, MigrateSchema(store.get()));
  EXPECT_EQ(before, kSchemaVersion);  // nothing to do the second time
}

TEST_P(SchemaTest, MigratesAVersion1Database) {
  {
    // A database as Staycast with schema v1 left it, with a run and a registered version.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenStore(env_->uri()));
    ASSERT_OK(store->ExecScript(MigrationScripts(*store)[0]));
    ASSERT_OK(store->Exec(
        "CREATE TABLE schema_version (version INTEGER NOT NULL, staycast_version TEXT NOT NULL, "
        "applied BIGINT NOT NULL)"));
    ASSERT_OK(store->Exec("INSERT INTO schema_version VALUES (1, '0.0.9', 0)"));
    ASSERT_OK(store->Exec(
        "INSERT INTO runs (name, status, config, params, data_fingerprint, staycast_version, "
        "tags, user_name, start_time) VALUES ('old', 'finished', '{}', '{}', 'f', '0.0.9', '{}', "
        "'ann', 100)"));
    ASSERT_OK(store->Exec("INSERT INTO models VALUES ('los', 100, 'ann', '')"));
    ASSERT_OK(
        store->Exec("INSERT INTO model_versions (model, version, artifact_path, manifest_sha256, "
                    "source_path, metadata, created, created_by, description) VALUES ('los', 1, "
                    "'los/x', 'abc', '/src', '{}', 100, 'ann', '')"));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Registry> reg, env_->Open());
  ASSERT_OK_AND_ASSIGN(const int version, ReadSchemaVersion(reg->store()));
  EXPECT_EQ(version, kSchemaVersion);
  ASSERT_OK_AND_ASSIGN(std::vector<registry::Run> runs, reg->ListRuns());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].name, "old");
  EXPECT_EQ(runs[0].pid, 0);                            // column added by migration 2
  ASSERT_OK(reg->SetTag("los", 1, "migrated", "yes"));  // table added by migration 2
  ASSERT_OK_AND_ASSIGN(ModelVersion v, reg->GetVersion("los", 1));
  EXPECT_EQ(v.tags["migrated"], "yes");
}

TEST_P(SchemaTest, RefusesADatabaseFromANewerStaycast) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Registry> reg, env_->Open());
    ASSERT_OK(reg->store()->Exec("INSERT INTO schema_version VALUES (99, '9.9.9', 0)"));
  }
  EXPECT_THAT(env_->Open(),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("schema version 99 was written by a newer Staycast (9.9.9)")));
}

INSTANTIATE_TEST_SUITE_P(Stores, SchemaTest, ::testing::ValuesIn(testing::BackendsUnderTest()),
                         [](const auto& info) { return testing::BackendName(info.param); });

TEST(StoreUriTest, OpensSqliteFromPathsAndRefusesUnknownSchemes) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TestRegistry> env, TestRegistry::Create(Backend::kSqlite));
  const std::string path = env->dir() + "/sub/dir/r.db";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> plain, OpenStore(path));
  EXPECT_EQ(plain->dialect(), Dialect::kSqlite);
  EXPECT_EQ(plain->file_path(), path);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> prefixed, OpenStore("sqlite:" + path));
  EXPECT_EQ(prefixed->file_path(), path);
  EXPECT_THAT(OpenStore("mysql://host/db"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown scheme")));
  StoreOptions no_create;
  no_create.create_if_missing = false;
  EXPECT_THAT(OpenStore(env->dir() + "/absent.db", no_create),
              StatusIs(StatusCode::kNotFound, HasSubstr("no such database")));
  EXPECT_THAT(OpenStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"),
              StatusIs(StatusCode::kUnavailable, HasSubstr("cannot connect")));
  RegistryOptions options;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Registry> reg, Registry::Open(path, options));
  EXPECT_EQ(reg->artifact_root(), path + ".artifacts");
}

TEST(StoreUriTest, RefusesAFileThatIsNotADatabase) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TestRegistry> env, TestRegistry::Create(Backend::kSqlite));
  const std::string path = env->dir() + "/text.db";
  ASSERT_OK(WriteFileAtomic(Env::Default(), path, std::string(4096, 'x')));
  EXPECT_THAT(Registry::Open(path), StatusIs(StatusCode::kDataLoss, HasSubstr(path)));
}

}  // namespace
}  // namespace staycast::registry
