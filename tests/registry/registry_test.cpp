#include "registry/registry.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "hsds_schemas.hpp"
#include "registry/datapackage.hpp"
#include "registry/hsds_json.hpp"
#include "registry/schema.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::registry;

namespace {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// An official HSDS example record put into a document as the collection `collection`.
std::string example_document(const char* file, const char* collection) {
  json record = fixtures::read_json(fixtures::test_data() / "hsds" / file);
  return json{{collection, json::array({record})}}.dump();
}

std::string describe(const Issues& issues) {
  std::string out;
  for (const Issue& i : issues) out += i.to_string() + "\n";
  return out;
}

Registry read_or_fail(std::string_view text) {
  auto read = read_document(fixtures::hsds_schemas(), text);
  if (!read) {
    ADD_FAILURE() << describe(read.error());
    return {};
  }
  return std::move(*read);
}

// Every record of the document checked against its collection's schema.
Issues validate_document(const json& document) {
  Issues issues;
  for (const auto& [key, records] : document.items()) {
    const Table* table = fixtures::hsds_schemas().table_of_collection(key);
    if (!table) continue;
    for (const json& record : records) {
      fixtures::hsds_schemas().validate(*table, record, record.value("id", "?"), issues);
    }
  }
  return issues;
}

const char* const service_id = "ac148810-d857-441c-9679-408f346de14b";
const char* const phone_id = "1554f2e2-a373-45db-a3fa-9fc48a61c15e";

}  // namespace

TEST(RegistrySchemas, the_profile_adds_fields_and_tables_to_hsds) {
  const Table* service = fixtures::hsds_schemas().table("service");
  ASSERT_TRUE(service);
  EXPECT_TRUE(service->field("status"));
  EXPECT_TRUE(service->field("responsibility"));
  EXPECT_TRUE(service->field("licence_number"));
  EXPECT_EQ(service->field("waiting_list")->type, FieldType::integer);
  EXPECT_EQ(fixtures::hsds_schemas().table("funding")->field("amount")->type, FieldType::number);
  EXPECT_TRUE(fixtures::hsds_schemas().table("organization")->field("sector"));
  for (const char* added : {"service_capacity", "unit", "staff"}) {
    EXPECT_TRUE(fixtures::hsds_schemas().table(added)) << added;
  }
  EXPECT_EQ(fixtures::hsds_schemas().table_of_collection("services.csv"), service);
  EXPECT_EQ(fixtures::hsds_schemas().table_of_collection("services"), service);
}

TEST(RegistrySchemas, nestings_and_embeddings_come_from_the_schemas_refs) {
  auto nests = [](const char* parent, const char* key, const char* child, const char* link) {
    for (const Nesting& n : fixtures::hsds_schemas().nestings()) {
      if (n.parent == parent && n.key == key && n.child == child && n.link == link) return true;
    }
    return false;
  };
  EXPECT_TRUE(nests("service", "phones", "phone", "service_id"));
  EXPECT_TRUE(nests("phone", "languages", "language", "phone_id"));
  EXPECT_TRUE(nests("organization", "services", "service", "organization_id"));
  EXPECT_TRUE(nests("service", "attributes", "attribute", "link_id"));
  EXPECT_TRUE(nests("service", "capacities", "service_capacity", "service_id"));
  auto embeds = [](const char* table, const char* key, const char* target, const char* link) {
    for (const Embedding& e : fixtures::hsds_schemas().embeddings()) {
      if (e.table == table && e.key == key && e.target == target && e.link == link) return true;
    }
    return false;
  };
  EXPECT_TRUE(embeds("service_at_location", "location", "location", "location_id"));
  EXPECT_TRUE(embeds("taxonomy_term", "taxonomy_detail", "taxonomy", "taxonomy_id"));
  EXPECT_TRUE(embeds("attribute", "taxonomy_term", "taxonomy_term", "taxonomy_term_id"));
}

TEST(RegistryValidation, problems_are_reported_by_record_and_field) {
  const json document = {{"services",
                          {{{"id", service_id},
                            {"name", "Дневни боравак"},
                            {"phones", {{{"id", phone_id}, {"number", 113}}}},
                            {"responsibility", "county"},
                            {"licence_valid_to", "2025-13-01"},
                            {"current_users", 2.5}},
                           {{"name", "no id"}, {"status", "active"}}}},
                         {"organisations", json::array()}};
  auto read = read_document(fixtures::hsds_schemas(), document.dump());
  ASSERT_FALSE(read);
  std::set<std::string> found;
  for (const Issue& i : read.error()) found.insert(i.to_string());
  EXPECT_EQ(found, (std::set<std::string>{
                       "service ac148810-d857-441c-9679-408f346de14b: status: is required",
                       "service ac148810-d857-441c-9679-408f346de14b: phones[0].number: must be "
                       "a string",
                       "service ac148810-d857-441c-9679-408f346de14b: responsibility: must be "
                       "one of \"municipality\", \"republic\"",
                       "service ac148810-d857-441c-9679-408f346de14b: licence_valid_to: is not a "
                       "date (YYYY-MM-DD)",
                       "service ac148810-d857-441c-9679-408f346de14b: current_users: must be an "
                       "integer",
                       "service #2: id: is required",
                       " document: organisations: is not an HSDS collection",
                   }))
      << describe(read.error());
}

TEST(RegistryValidation, formats_of_ids_addresses_and_times_are_checked) {
  json service = {{"id", "not-a-uuid"},       {"name", "x"},
                  {"status", "active"},       {"email", "nobody"},
                  {"url", "www.example.org"}, {"last_modified", "2023-03-15 10:30"}};
  Issues issues;
  fixtures::hsds_schemas().validate(*fixtures::hsds_schemas().table("service"), service, "s",
                                    issues);
  std::set<std::string> fields;
  for (const Issue& i : issues) fields.insert(i.field + ": " + i.message);
  EXPECT_EQ(fields, (std::set<std::string>{"email: is not an e-mail address", "id: is not a UUID",
                                           "url: is not an absolute URI",
                                           "last_modified: is not a date and time (RFC 3339)"}));
}

TEST(RegistryValidation, copies_of_one_record_that_disagree_are_refused) {
  json phone = {{"id", phone_id}, {"number", "011 123 456"}};
  json other = phone;
  other["number"] = "011 999 999";
  json document = {
      {"services",
       {{{"id", service_id},
         {"name", "s"},
         {"status", "active"},
         {"phones", {phone}},
         {"contacts", {{{"id", "1e7efce3-639b-4880-940c-b95cd30cdb50"}, {"phones", {other}}}}}}}}};
  auto read = read_document(fixtures::hsds_schemas(), document.dump());
  ASSERT_FALSE(read);
  ASSERT_EQ(read.error().size(), 1u) << describe(read.error());
  EXPECT_EQ(read.error()[0].to_string(),
            "phone 1554f2e2-a373-45db-a3fa-9fc48a61c15e: number: differs from another copy of "
            "the record");
}

TEST(RegistryImport, the_official_full_service_example_imports_with_its_links_merged) {
  Registry r = read_or_fail(example_document("service_full.json", "services"));
  const json* phone = r.find("phone", phone_id);
  ASSERT_TRUE(phone);
  // The one phone of the example is nested under the service, its contact, its location, its
  // service at location and its organization: one row linked to all of them.
  EXPECT_EQ(phone->value("service_id", ""), service_id);
  EXPECT_EQ(phone->value("contact_id", ""), "1e7efce3-639b-4880-940c-b95cd30cdb50");
  EXPECT_EQ(phone->value("location_id", ""), "3a19ff88-4620-4d17-9830-ac1d859eb5d5");
  EXPECT_EQ(phone->value("organization_id", ""), "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
  EXPECT_EQ(phone->value("number", ""), "\"+44 1234 234567\"");
  const json* service = r.find("service", service_id);
  ASSERT_TRUE(service);
  EXPECT_EQ(service->value("organization_id", ""), "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
  EXPECT_FALSE(service->contains("phones"));
  const json* attribute = r.find("attribute", "ae58cc39-8b70-4ab1-8aea-786882e5ac8e");
  ASSERT_TRUE(attribute);
  EXPECT_EQ(attribute->value("link_id", ""), service_id);
  EXPECT_EQ(attribute->value("taxonomy_term_id", ""), "3f7b145d-84af-42d7-8fae-eaca714b02b2");
  EXPECT_TRUE(r.find("taxonomy", "5c4d79d7-cc55-470e-9f1f-8cad074e4892"));
  EXPECT_TRUE(r.find("program", "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"));
}

TEST(RegistryImport, every_official_example_imports) {
  const std::vector<std::pair<const char*, const char*>> examples = {
      {"service_full.json", "services"},
      {"organization_full.json", "organizations"},
      {"service_at_location_full.json", "service_at_location"},
      {"location.json", "locations"},
      {"taxonomy.json", "taxonomies"},
      {"taxonomy_term.json", "taxonomy_terms"}};
  for (const auto& [file, collection] : examples) {
    Registry r = read_or_fail(example_document(file, collection));
    EXPECT_GT(r.size(), 0u) << file;
  }
  Registry tabular = read_or_fail(file_text(fixtures::test_data() / "hsds/tabular.json"));
  EXPECT_TRUE(tabular.find("service", service_id));
  auto csv = read_datapackage(fixtures::hsds_schemas(), fixtures::test_data() / "hsds/csv");
  ASSERT_TRUE(csv) << describe(csv.error());
  EXPECT_EQ(csv->find("phone", phone_id)->value("extension", 0), 100);
  EXPECT_EQ(csv->size(), tabular.size());
}

TEST(RegistryExport, json_export_import_export_is_identical_and_each_record_is_placed_once) {
  Registry r = read_or_fail(example_document("service_full.json", "services"));
  const std::string first = write_document(fixtures::hsds_schemas(), r);
  Registry again = read_or_fail(first);
  EXPECT_EQ(again.tables, r.tables);
  EXPECT_EQ(write_document(fixtures::hsds_schemas(), again), first);
  // The phone appears once, in the most specific of its parents (the contact).
  std::size_t phones = 0;
  for (std::size_t at = first.find(phone_id); at != std::string::npos;
       at = first.find(phone_id, at + 1))
    ++phones;
  EXPECT_EQ(phones, 1u);
  json document = json::parse(first);
  EXPECT_EQ(document["version"], "3.0");
  EXPECT_EQ(document["profile"], profile_uri);
  EXPECT_EQ(validate_document(document).size(), 0u) << describe(validate_document(document));
}

TEST(RegistryExport, datapackage_export_import_export_is_identical) {
  Registry r = read_or_fail(example_document("organization_full.json", "organizations"));
  fixtures::TemporaryDirectory dir;
  ASSERT_TRUE(write_datapackage(fixtures::hsds_schemas(), r, dir.path() / "one"));
  auto back = read_datapackage(fixtures::hsds_schemas(), dir.path() / "one");
  ASSERT_TRUE(back) << describe(back.error());
  EXPECT_EQ(back->tables, r.tables);
  ASSERT_TRUE(write_datapackage(fixtures::hsds_schemas(), *back, dir.path() / "two"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "one")) {
    EXPECT_EQ(file_text(entry.path()), file_text(dir.path() / "two" / entry.path().filename()))
        << entry.path().filename();
  }
  json descriptor = fixtures::read_json(dir.path() / "one/datapackage.json");
  EXPECT_EQ(descriptor["profile"], "tabular-data-package");
  EXPECT_EQ(descriptor["resources"].size(), fixtures::hsds_schemas().tables().size());
  std::string services = file_text(dir.path() / "one/services.csv");
  EXPECT_TRUE(services.starts_with("id,organization_id,program_id,name,")) << services;
}

TEST(RegistryExport, a_full_service_nests_what_links_to_it_and_embeds_what_it_refers_to) {
  Registry r = read_or_fail(example_document("service_full.json", "services"));
  const json full =
      full_record(fixtures::hsds_schemas(), r, *fixtures::hsds_schemas().table("service"),
                  *r.find("service", service_id));
  EXPECT_EQ(full.at("organization").at("id"), "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
  EXPECT_FALSE(full.at("organization").contains("services"));  // no cycle back
  EXPECT_EQ(full.at("phones").at(0).at("id"), phone_id);
  EXPECT_FALSE(full.at("phones").at(0).contains("service_id"));
  EXPECT_EQ(full.at("service_at_locations").at(0).at("location").at("id"),
            "3a19ff88-4620-4d17-9830-ac1d859eb5d5");
  EXPECT_EQ(full.at("attributes").at(0).at("taxonomy_term").at("taxonomy_detail").at("id"),
            "5c4d79d7-cc55-470e-9f1f-8cad074e4892");
  Issues issues;
  fixtures::hsds_schemas().validate(*fixtures::hsds_schemas().table("service"), full, service_id,
                                    issues);
  EXPECT_TRUE(issues.empty()) << describe(issues);
}
