#include "registry/changes.hpp"

#include <gtest/gtest.h>

#include "core/random.hpp"
#include "hsds_schemas.hpp"
#include "registry/editing.hpp"
#include "registry/hsds_json.hpp"
#include "registry/proposals.hpp"
#include "registry/storage.hpp"
#include "store/proposals.hpp"
#include "store/registry.hpp"
#include "test_database.hpp"

using namespace needsmap;
using namespace needsmap::registry;

namespace {

using fixtures::Backend;

const json& taxonomy_document() {
  static const json loaded =
      fixtures::read_json(fixtures::source_dir() / "data/registry/taxonomy.json");
  return loaded;
}

// A term of the bundled taxonomy by its code.
std::string term(const std::string& code) {
  for (const json& t : taxonomy_document()["taxonomy_terms"]) {
    if (t["code"] == code) return t["id"];
  }
  ADD_FAILURE() << "no term " << code;
  return "";
}

const Author alice{"alice@example.org", 1764950400};  // 2025-12-05T16:00:00Z
const Author bob{"bob@example.org", 1765036800};      // a day later

struct ChangesFixture {
  explicit ChangesFixture(Backend backend) : database(backend) {
    store::Municipality m;
    m.slug = "demo";
    m.name_cyrl = "Демо";
    demo = s->upsert_municipality(m);
  }
  fixtures::TestDatabase database;
  std::unique_ptr<store::Store> s = database.open();
  std::int64_t demo{0};

  std::expected<std::size_t, Issues> apply(const std::vector<Change>& changes,
                                           const Author& author) {
    store::Transaction t(s->connection());
    auto applied = apply_changes(*s, fixtures::hsds_schemas(), demo, changes, author);
    t.commit();
    return applied;
  }
  Registry registry() { return load_registry(*s, demo); }
};

class RegistryChanges : public testing::TestWithParam<Backend> {};

std::vector<json> metadata_of(const Registry& r, const std::string& field) {
  std::vector<json> out;
  for (const auto& [_, row] : r.tables.at("metadata")) {
    if (row["field_name"] == field) out.push_back(row);
  }
  return out;
}

}  // namespace

TEST(RegistryHistory, a_row_per_changed_field_with_the_value_before_and_after_as_text) {
  const std::string x = random::uuid_v4();
  json before = {{"id", x}, {"name", "Дом"}, {"current_users", 20}, {"email", "a@b.rs"}};
  json after = {{"id", x}, {"name", "Дом"}, {"current_users", 24}, {"status", "active"}};
  auto rows = history_rows("service", x, &before, &after, alice);
  ASSERT_EQ(rows.size(), 3u);  // current_users, email (removed), status (added); name unchanged
  std::map<std::string, json> by_field;
  for (const auto& r : rows) by_field[r["field_name"]] = r;
  EXPECT_EQ(by_field["current_users"]["previous_value"], "20");
  EXPECT_EQ(by_field["current_users"]["replacement_value"], "24");
  EXPECT_EQ(by_field["email"]["previous_value"], "a@b.rs");
  EXPECT_EQ(by_field["email"]["replacement_value"], "");
  EXPECT_EQ(by_field["status"]["previous_value"], "");
  for (const auto& r : rows) {
    EXPECT_EQ(r["resource_id"], x);
    EXPECT_EQ(r["resource_type"], "service");
    EXPECT_EQ(r["last_action_type"], "update");
    EXPECT_EQ(r["last_action_date"], "2025-12-05T16:00:00Z");
    EXPECT_EQ(r["updated_by"], "alice@example.org");
    EXPECT_TRUE(random::is_uuid(r["id"].get<std::string>()));
    Issues issues;
    fixtures::hsds_schemas().validate(*fixtures::hsds_schemas().table("metadata"), r, "m", issues);
    EXPECT_TRUE(issues.empty()) << issues.front().to_string();
  }
  EXPECT_EQ(history_rows("service", x, nullptr, &after, alice).front()["last_action_type"],
            "create");
  EXPECT_EQ(history_rows("service", x, &before, nullptr, alice).size(), 3u);  // every field
}

TEST_P(RegistryChanges, creating_updating_and_deleting_one_record_keeps_its_history) {
  ChangesFixture f(GetParam());
  const std::string id = random::uuid_v4();
  json organization = {{"id", id}, {"name", "Црвени крст"}, {"description", "Хуманитарна"}};
  ASSERT_TRUE(f.apply({{"organization", id, organization}}, alice));
  organization["name"] = "Црвени крст Демо";
  auto updated = f.apply({{"organization", id, organization}}, bob);
  ASSERT_TRUE(updated);
  EXPECT_EQ(*updated, 1u);
  // Saving the same record again changes nothing and records nothing.
  auto again = f.apply({{"organization", id, organization}}, bob);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);

  Registry r = f.registry();
  EXPECT_EQ((*r.find("organization", id))["name"], "Црвени крст Демо");
  auto names = metadata_of(r, "name");
  ASSERT_EQ(names.size(), 2u);
  auto history = history_of(r, id);
  ASSERT_EQ(history.size(), 3u);  // name and description created, then name changed
  EXPECT_EQ(history.front()["updated_by"], "bob@example.org");
  EXPECT_EQ(history.front()["previous_value"], "Црвени крст");
  EXPECT_EQ(history.front()["replacement_value"], "Црвени крст Демо");

  ASSERT_TRUE(f.apply({{"organization", id, std::nullopt}}, bob));
  r = f.registry();
  EXPECT_EQ(r.find("organization", id), nullptr);
  EXPECT_EQ(history_of(r, id).size(), 5u);  // and the deletion of both fields
  // The history is in the registry, so it exports with it and the export validates.
  auto reread =
      read_document(fixtures::hsds_schemas(), write_document(fixtures::hsds_schemas(), r));
  ASSERT_TRUE(reread);
  EXPECT_EQ(reread->tables, r.tables);
}

TEST_P(RegistryChanges, an_invalid_record_is_refused_and_nothing_is_written) {
  ChangesFixture f(GetParam());
  const std::string good = random::uuid_v4(), bad = random::uuid_v4();
  auto refused =
      f.apply({{"organization", good, json{{"id", good}, {"name", "A"}, {"description", "B"}}},
               {"service", bad, json{{"id", bad}, {"name", "S"}, {"status", "open"}}}},
              alice);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().front().field, "status");
  EXPECT_EQ(f.registry().size(), 0u);
  EXPECT_FALSE(f.apply({{"metadata", good, json{{"id", good}}}}, alice)) << "history is not edited";
}

TEST_P(RegistryChanges, a_service_form_becomes_the_service_and_its_children_and_back) {
  ChangesFixture f(GetParam());
  ASSERT_TRUE(f.apply(taxonomy_install(f.registry(), taxonomy_document()), alice));
  const std::string org = random::uuid_v4();
  Edit o = record_edit(fixtures::hsds_schemas(), f.registry(), RecordKind::organization, org, "",
                       {{"name", "Геронтоцентар"},
                        {"description", "Дневни боравак"},
                        {"sector", "public"},
                        {"phone", "011 123 456"}},
                       alice);
  ASSERT_TRUE(o.errors.empty());
  ASSERT_TRUE(f.apply(o.changes, alice));
  const std::string loc = random::uuid_v4();
  Edit l = record_edit(fixtures::hsds_schemas(), f.registry(), RecordKind::location, loc, org,
                       {{"name", "Центар"},
                        {"address_1", "Главна 1"},
                        {"city", "Демо"},
                        {"postal_code", "11000"},
                        {"state_province", "Београдски"},
                        {"country", "RS"},
                        {"hours", "8–16"}},
                       alice);
  ASSERT_TRUE(l.errors.empty()) << l.errors.front().field;
  ASSERT_TRUE(f.apply(l.changes, alice));

  const std::string svc = random::uuid_v4();
  Values form = {{"name", "Дневни боравак"},
                 {"status", "active"},
                 {"responsibility", "municipality"},
                 {"licence_valid_to", "31.5.2029."},
                 {"current_users", "24"},
                 {"waiting_list", "6"},
                 {"capacity_available", "4"},
                 {"capacity_maximum", "30"},
                 {"capacity_unit", "места"},
                 {"service_type", term("day_care_older")},
                 {"target_groups", term("age_65_plus")},
                 {"settlements", "Демо\nСело, Брдо"},
                 {"locations", loc},
                 {"staff", "социјални радник; 1,5; 2025\nнеговатељ; 4"},
                 {"funding", "municipal_budget; 2025; 1200000"},
                 {"languages", "sr"},
                 {"languages", "влашки"},
                 {"contacts",
                  "Јелена Јовић; координаторка; jelena@primer.rs; 012 000 102\n"
                  "; дежурни радник; ; 012 000 103"},
                 {"cost_options", "Бесплатно; 0; RSD\nУчешће по сату; 150,5; RSD"},
                 {"required_documents", "Лична карта\nРешење центра за социјални рад"}};
  Edit s = record_edit(fixtures::hsds_schemas(), f.registry(), RecordKind::service, svc, org, form,
                       alice);
  ASSERT_TRUE(s.errors.empty()) << s.errors.front().field << " " << s.errors.front().detail;
  ASSERT_TRUE(f.apply(s.changes, alice));

  Registry r = f.registry();
  const json& service = *r.find("service", svc);
  EXPECT_EQ(service["current_users"], 24);
  EXPECT_EQ(service["organization_id"], org);
  EXPECT_EQ(r.tables["service_area"].size(), 3u);
  EXPECT_EQ(r.tables["staff"].size(), 2u);
  EXPECT_EQ(r.tables["attribute"].size(), 2u);
  EXPECT_EQ(r.tables["unit"].size(), 1u);
  ASSERT_EQ(r.tables["service_capacity"].size(), 1u);
  EXPECT_EQ(r.tables["service_capacity"].begin()->second["maximum"], 30);
  EXPECT_EQ(service["licence_valid_to"], "2029-05-31") << "a date as Serbian writes it";
  EXPECT_EQ(r.tables["language"].size(), 2u);
  EXPECT_EQ(r.tables["contact"].size(), 2u);
  EXPECT_EQ(r.tables["cost_option"].size(), 2u);
  EXPECT_EQ(r.tables["required_document"].size(), 2u);
  std::size_t contact_phones = 0;
  for (const auto& [_, phone] : r.tables["phone"]) {
    if (phone.contains("contact_id")) {
      ++contact_phones;
      EXPECT_TRUE(r.find("contact", phone["contact_id"].get<std::string>()));
    }
  }
  EXPECT_EQ(contact_phones, 2u);
  for (const auto& [_, cost] : r.tables["cost_option"]) {
    if (cost["option"] == "Учешће по сату") {
      EXPECT_EQ(cost["amount"], 150.5);
    }
  }
  // The whole registry is still valid HSDS.
  EXPECT_TRUE(read_document(fixtures::hsds_schemas(), write_document(fixtures::hsds_schemas(), r)));

  // The form shows what was saved; saving it unchanged changes nothing.
  Values shown = form_values(r, RecordKind::service, svc);
  EXPECT_EQ(shown.find("capacity_maximum")->second, "30");
  EXPECT_EQ(shown.find("settlements")->second, "Брдо\nДемо\nСело");
  EXPECT_EQ(shown.find("contacts")->second,
            "; дежурни радник; ; 012 000 103\n"
            "Јелена Јовић; координаторка; jelena@primer.rs; 012 000 102");
  EXPECT_EQ(proposal_value(shown, "languages"), "sr\nвлашки");
  Edit same = record_edit(fixtures::hsds_schemas(), r, RecordKind::service, svc, org, shown, bob);
  ASSERT_TRUE(same.errors.empty());
  auto unchanged = f.apply(same.changes, bob);
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(*unchanged, 0u);

  // One settlement less and more users: the service area is deleted, the figure updated, and
  // both show in the service's history.
  shown.erase("settlements");
  shown.emplace("settlements", "Демо\nСело");
  shown.erase("current_users");
  shown.emplace("current_users", "26");
  // One contact less: its phone goes with it.
  shown.erase("contacts");
  shown.emplace("contacts", "Јелена Јовић; координаторка; jelena@primer.rs; 012 000 102");
  Edit changed =
      record_edit(fixtures::hsds_schemas(), r, RecordKind::service, svc, org, shown, bob);
  ASSERT_TRUE(f.apply(changed.changes, bob));
  r = f.registry();
  EXPECT_EQ(r.tables["service_area"].size(), 2u);
  EXPECT_EQ(r.tables["contact"].size(), 1u);
  for (const auto& [_, phone] : r.tables["phone"]) {
    if (phone.contains("contact_id")) {
      EXPECT_EQ(phone["number"], "012 000 102");
    }
  }
  bool saw_users = false, saw_area = false;
  for (const json& h : history_of(r, svc)) {
    if (h["updated_by"] != "bob@example.org") continue;
    if (h["field_name"] == "current_users") saw_users = h["replacement_value"] == "26";
    if (h["resource_type"] == "service_area" && h["last_action_type"] == "delete" &&
        h["field_name"] == "name") {
      saw_area = h["previous_value"] == "Брдо";
    }
  }
  EXPECT_TRUE(saw_users);
  EXPECT_TRUE(saw_area);

  // Verification, then deleting the organisation takes its services and locations along.
  ASSERT_TRUE(f.apply({verification(r, "service", svc, bob)}, bob));
  r = f.registry();
  EXPECT_EQ((*r.find("service", svc))["assured_date"], "2025-12-06");
  EXPECT_EQ((*r.find("service", svc))["assurer_email"], "bob@example.org");
  ASSERT_TRUE(f.apply(deletion(fixtures::hsds_schemas(), r, "organization", org), bob));
  r = f.registry();
  for (const char* table :
       {"organization", "service", "location", "service_area", "phone", "attribute", "staff",
        "funding", "service_capacity", "address", "service_at_location", "schedule", "language",
        "contact", "cost_option", "required_document"}) {
    EXPECT_TRUE(r.tables[table].empty()) << table;
  }
  EXPECT_FALSE(r.tables["taxonomy_term"].empty());
}

TEST_P(RegistryChanges, form_errors_name_the_field_and_schema_problems_are_mapped_to_it) {
  ChangesFixture f(GetParam());
  const std::string svc = random::uuid_v4(), org = random::uuid_v4();
  Edit e = record_edit(fixtures::hsds_schemas(), f.registry(), RecordKind::service, svc, org,
                       {{"name", ""},
                        {"status", "active"},
                        {"current_users", "many"},
                        {"licence_valid_to", "31.02.2029."},
                        {"cost_options", "; 100; RSD"},
                        {"email", "not an address"},
                        {"staff", "only a profession"},
                        {"service_type", random::uuid_v4()}},
                       alice);
  std::map<std::string, std::string> by_field;
  for (const auto& x : e.errors) by_field[x.field] = x.key;
  EXPECT_EQ(by_field["name"], "admin_registry_error_required");
  EXPECT_EQ(by_field["current_users"], "admin_registry_error_integer");
  EXPECT_EQ(by_field["licence_valid_to"], "admin_registry_error_date");
  EXPECT_EQ(by_field["cost_options"], "admin_registry_error_cost_options");
  EXPECT_EQ(by_field["email"], "admin_registry_error_invalid");
  EXPECT_EQ(by_field["staff"], "admin_registry_error_staff");
  EXPECT_EQ(by_field["service_type"], "admin_registry_error_term");
}

TEST_P(RegistryChanges, an_answer_to_the_providers_questionnaire_proposes_every_field_it_gives) {
  ChangesFixture f(GetParam());
  ASSERT_TRUE(f.apply(taxonomy_install(f.registry(), taxonomy_document()), alice));
  const std::string org = random::uuid_v4(), svc = random::uuid_v4();
  Edit o = record_edit(fixtures::hsds_schemas(), f.registry(), RecordKind::organization, org, "",
                       {{"name", "Црвени крст"}, {"description", "Помоћ у кући"}}, alice);
  ASSERT_TRUE(f.apply(o.changes, alice));
  Edit s = record_edit(fixtures::hsds_schemas(), f.registry(), RecordKind::service, svc, org,
                       {{"name", "Помоћ у кући"},
                        {"status", "active"},
                        {"staff", "social_worker; 1; 2024\nsocial_worker; 1; 2025\ncook; 1; 2025"},
                        {"funding", "donor; 2023; 5000\nmunicipal_budget; 2024; 900000"},
                        {"languages", "sr"}},
                       alice);
  ASSERT_TRUE(s.errors.empty());
  ASSERT_TRUE(f.apply(s.changes, alice));
  Registry r = f.registry();
  const Values service = form_values(r, RecordKind::service, svc);

  const json answers = {{"org_name", "Црвени крст Демо"},
                        {"sector", "civil"},
                        {"capacity_places", 30},
                        {"current_users", 26},
                        {"waiting_list", "no"},
                        {"fte_social_workers", 2},
                        {"fte_psychologists", 0.5},
                        {"fte_other", 0},
                        {"funding_sources", {"municipal_budget"}},
                        {"annual_budget", 1500000},
                        {"target_groups", {"roma", "age_65_plus"}},
                        {"languages", {"serbian", "romani", "vlach"}},
                        {"comments", "not a registry field"}};
  auto proposed = answer_proposal(r, answers, service, 2025);
  EXPECT_EQ(proposed["org_name"], "Црвени крст Демо");
  EXPECT_EQ(proposed["capacity_places"], "30");
  EXPECT_EQ(proposed["waiting_count"], "0") << "no waiting list, no one waiting";
  EXPECT_EQ(proposed["staff"],
            "psychologist; 0.5; 2025\nsocial_worker; 1; 2024\nsocial_worker; 2; 2025")
      << "the year's staff replaced, other years kept";
  EXPECT_EQ(proposed["funding"], "donor; 2023; 5000\nmunicipal_budget; 2024; 1500000")
      << "last year's budget of its one source";
  std::vector<std::string> groups = {term("age_65_plus"), term("roma")};
  std::sort(groups.begin(), groups.end());
  EXPECT_EQ(proposed["target_groups"], groups[0] + "\n" + groups[1]);
  EXPECT_EQ(proposed["languages"], "rom\nsr\nвлашки");
  EXPECT_FALSE(proposed.contains("comments"));

  // Accepted, the values become the service's records.
  Values changed = service;
  for (const auto& [key, value] : proposed) {
    const ProposalField* field = proposal_field(key);
    ASSERT_TRUE(field) << key;
    if (field->kind == RecordKind::service) set_proposal_value(changed, field->field, value);
  }
  Edit accepted =
      record_edit(fixtures::hsds_schemas(), r, RecordKind::service, svc, org, changed, bob);
  ASSERT_TRUE(accepted.errors.empty())
      << accepted.errors.front().field << " " << accepted.errors.front().detail;
  ASSERT_TRUE(f.apply(accepted.changes, bob));
  r = f.registry();
  const Values now = form_values(r, RecordKind::service, svc);
  for (const char* field : {"staff", "funding", "target_groups", "languages"}) {
    EXPECT_EQ(proposal_value(now, field), proposed[field]) << field;
  }
  EXPECT_EQ((*r.find("service", svc))["waiting_list"], 0);
  ASSERT_EQ(r.tables["service_capacity"].size(), 1u);
  EXPECT_EQ(r.tables["service_capacity"].begin()->second["available"], 4)
      << "places free: the capacity less the users";
  EXPECT_EQ(r.tables["language"].size(), 3u);

  // Several sources share one total: the sources are proposed without amounts.
  const json shared = {{"funding_sources", {"donor", "own_income", "other"}},
                       {"annual_budget", 800000}};
  EXPECT_EQ(answer_proposal(r, shared, now, 2026)["funding"],
            "donor; 2023; 5000\ndonor; 2025\nmunicipal_budget; 2024; 1500000\nother; 2025");
}

TEST_P(RegistryChanges, proposals_are_kept_until_closed_with_their_decisions) {
  ChangesFixture f(GetParam());
  store::Proposal p{.id = 0,
                    .municipality_id = f.demo,
                    .organization_id = "o",
                    .service_id = "",
                    .proposed_by = "contact@example.org",
                    .proposed_at = 100,
                    .fields = R"({"org_name":"Ново"})",
                    .pending = true,
                    .decided_by = "",
                    .decided_at = std::nullopt,
                    .decisions = "",
                    .response_id = ""};
  std::int64_t first = store::add_proposal(*f.s, p);
  p.proposed_at = 200;
  std::int64_t second = store::add_proposal(*f.s, p);
  store::close_proposal(*f.s, first, "coordinator@example.org", 300, R"({"org_name":"accepted"})");
  auto list = store::list_proposals(*f.s, f.demo);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, second);  // pending first
  EXPECT_TRUE(list[0].pending);
  EXPECT_FALSE(list[1].pending);
  EXPECT_EQ(list[1].decided_by, "coordinator@example.org");
  EXPECT_EQ(list[1].decided_at, 300);
  EXPECT_EQ(store::find_proposal(*f.s, f.demo, second)->service_id, "");
  EXPECT_TRUE(store::proposal_responses(*f.s, f.demo).empty());
  p.response_id = "r-1";
  std::int64_t third = store::add_proposal(*f.s, p);
  EXPECT_EQ(store::find_proposal(*f.s, f.demo, third)->response_id, "r-1");
  EXPECT_EQ(store::proposal_responses(*f.s, f.demo), std::vector<std::string>{"r-1"});
  EXPECT_FALSE(store::find_proposal(*f.s, f.demo + 1, second));
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryChanges,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
