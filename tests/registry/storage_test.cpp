#include "registry/storage.hpp"

#include <gtest/gtest.h>

#include "hsds_schemas.hpp"
#include "registry/hsds_json.hpp"
#include "store/registry.hpp"
#include "test_database.hpp"

using namespace needsmap;
using namespace needsmap::registry;

namespace {

using fixtures::Backend;

class RegistryStorage : public testing::TestWithParam<Backend> {};

Registry example(const char* file, const char* collection) {
  json record = fixtures::read_json(fixtures::test_data() / "hsds" / file);
  auto read =
      read_document(fixtures::hsds_schemas(), json{{collection, json::array({record})}}.dump());
  EXPECT_TRUE(read);
  return read.value_or(Registry{});
}

std::int64_t municipality(store::Store& s, const char* slug) {
  store::Municipality m;
  m.slug = slug;
  m.name_cyrl = slug;
  return s.upsert_municipality(m);
}

// A fresh database with the demo municipality, on the test's backend.
struct StorageFixture {
  explicit StorageFixture(Backend backend) : database(backend) {}
  fixtures::TestDatabase database;
  std::unique_ptr<store::Store> s = database.open();
  std::int64_t demo = municipality(*s, "demo");
};

}  // namespace

TEST_P(RegistryStorage, a_stored_registry_reads_back_equal_and_exports_the_same_bytes) {
  StorageFixture f(GetParam());
  auto& [database, s, demo] = f;
  Registry r = example("service_full.json", "services");
  ASSERT_TRUE(replace_registry(*s, demo, r));
  Registry loaded = load_registry(*s, demo);
  EXPECT_EQ(loaded.tables, r.tables);
  EXPECT_EQ(write_document(fixtures::hsds_schemas(), loaded),
            write_document(fixtures::hsds_schemas(), r));
  // The looked-up columns copy the record's fields.
  store::Statement& q = s->connection().prepare(
      "SELECT organization_id, name, status FROM hsds_service WHERE municipality_id = $1");
  q.bind(1, demo);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
  EXPECT_EQ(q.text(1), "Community Counselling");
  EXPECT_EQ(q.text(2), "active");
  q.run();
}

TEST_P(RegistryStorage, each_municipality_keeps_its_own_registry_even_with_the_same_ids) {
  StorageFixture f(GetParam());
  auto& [database, s, demo] = f;
  std::int64_t other = municipality(*s, "susedna");
  Registry services = example("service_full.json", "services");
  Registry organization = example("organization_full.json", "organizations");
  ASSERT_TRUE(replace_registry(*s, demo, services));
  ASSERT_TRUE(replace_registry(*s, other, organization));
  EXPECT_EQ(load_registry(*s, demo).tables, services.tables);
  EXPECT_EQ(load_registry(*s, other).tables, organization.tables);
  // Replacing one leaves the other alone.
  ASSERT_TRUE(replace_registry(*s, demo, Registry{}));
  EXPECT_EQ(load_registry(*s, demo).size(), 0u);
  EXPECT_EQ(load_registry(*s, other).tables, organization.tables);
}

TEST_P(RegistryStorage, an_import_that_fails_midway_leaves_the_old_registry_whole) {
  StorageFixture f(GetParam());
  auto& [database, s, demo] = f;
  Registry old = example("organization_full.json", "organizations");
  ASSERT_TRUE(replace_registry(*s, demo, old));
  Registry replacement = example("service_full.json", "services");
  int stored = 0;
  EXPECT_THROW(replace_registry(*s, demo, replacement,
                                [&] {
                                  if (++stored == 5) throw std::runtime_error("disk full");
                                }),
               std::runtime_error);
  EXPECT_EQ(load_registry(*s, demo).tables, old.tables);
}

TEST_P(RegistryStorage, records_of_a_table_the_store_does_not_keep_are_refused_before_writing) {
  StorageFixture f(GetParam());
  auto& [database, s, demo] = f;
  Registry odd;
  odd.tables["widget"]["x"] = json{{"id", "x"}};
  auto refused = replace_registry(*s, demo, odd);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("widget"), std::string::npos);
}

TEST(RegistryStorageTables, the_store_keeps_every_table_of_the_schemas) {
  for (const Table& t : fixtures::hsds_schemas().tables())
    EXPECT_TRUE(store::is_registry_table(t.name)) << t.name;
  EXPECT_EQ(store::registry_tables().size(), fixtures::hsds_schemas().tables().size());
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryStorage,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
