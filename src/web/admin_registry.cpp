// Keeping the registry of providers (/admin/m/{m}/registry): coordinators create, edit, verify
// and delete organisations, their locations and services through plain forms; every save is
// checked against the HSDS schemas and written with its field history (registry/changes.hpp).
// Provider contacts propose updates of their own organisation, which a coordinator accepts or
// rejects field by field.
#include <algorithm>
#include <fstream>

#include "access/roles.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "registry/changes.hpp"
#include "registry/editing.hpp"
#include "registry/storage.hpp"
#include "store/accounts.hpp"
#include "store/proposals.hpp"
#include "store/registry.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;
using access::Action;
using registry::RecordKind;

namespace {

enum class Input { text, textarea, select, checkboxes, number, date, email, url, tel };

// One field of a record's form; its label is admin_registry_field_<name>, its hint (when
// `hint`) admin_registry_hint_<name>.
struct FieldSpec {
  const char* name;
  Input input{Input::text};
  bool hint{false};
};

const std::vector<FieldSpec>& field_specs(RecordKind kind) {
  static const std::vector<FieldSpec> organization = {{"name"},
                                                      {"alternate_name"},
                                                      {"description", Input::textarea},
                                                      {"sector", Input::select},
                                                      {"legal_status"},
                                                      {"email", Input::email},
                                                      {"website", Input::url},
                                                      {"phone", Input::tel}};
  static const std::vector<FieldSpec> location = {{"name"},
                                                  {"address_1"},
                                                  {"city"},
                                                  {"postal_code"},
                                                  {"state_province"},
                                                  {"country", Input::text, true},
                                                  {"phone", Input::tel},
                                                  {"hours", Input::text, true},
                                                  {"opens_at", Input::text, true},
                                                  {"closes_at", Input::text, true},
                                                  {"byday", Input::text, true},
                                                  {"accessibility", Input::textarea, true},
                                                  {"transportation", Input::textarea},
                                                  {"description", Input::textarea}};
  static const std::vector<FieldSpec> service = {{"name"},
                                                 {"alternate_name"},
                                                 {"description", Input::textarea},
                                                 {"status", Input::select},
                                                 {"service_type", Input::select},
                                                 {"target_groups", Input::checkboxes},
                                                 {"responsibility", Input::select},
                                                 {"licence_number"},
                                                 {"licence_valid_from", Input::date, true},
                                                 {"licence_valid_to", Input::date, true},
                                                 {"capacity_available", Input::number, true},
                                                 {"capacity_maximum", Input::number},
                                                 {"capacity_unit", Input::text, true},
                                                 {"current_users", Input::number},
                                                 {"waiting_list", Input::number},
                                                 {"settlements", Input::textarea, true},
                                                 {"locations", Input::checkboxes},
                                                 {"staff", Input::textarea, true},
                                                 {"funding", Input::textarea, true},
                                                 {"languages", Input::checkboxes},
                                                 {"contacts", Input::textarea, true},
                                                 {"cost_options", Input::textarea, true},
                                                 {"required_documents", Input::textarea, true},
                                                 {"eligibility_description", Input::textarea},
                                                 {"fees_description", Input::textarea},
                                                 {"application_process", Input::textarea},
                                                 {"email", Input::email},
                                                 {"url", Input::url},
                                                 {"phone", Input::tel},
                                                 {"hours", Input::text, true},
                                                 {"opens_at", Input::text, true},
                                                 {"closes_at", Input::text, true},
                                                 {"byday", Input::text, true}};
  switch (kind) {
    case RecordKind::organization:
      return organization;
    case RecordKind::location:
      return location;
    case RecordKind::service:
      return service;
  }
  return organization;
}

using registry::field_text;
using registry::first_value;

bool has_value(const registry::Values& values, const std::string& name, const std::string& v) {
  auto [from, to] = values.equal_range(name);
  return std::any_of(from, to, [&](const auto& p) { return p.second == v; });
}

registry::Values values_of(const collect::FormFields& form) {
  registry::Values out;
  for (const auto& [k, v] : form) {
    if (k != "_csrf") out.emplace(k, v);
  }
  return out;
}

std::optional<RecordKind> kind_of_segment(const std::string& s) {
  if (s == "o") return RecordKind::organization;
  if (s == "l") return RecordKind::location;
  if (s == "s") return RecordKind::service;
  return std::nullopt;
}

std::string segment_of(RecordKind kind) {
  switch (kind) {
    case RecordKind::organization:
      return "o";
    case RecordKind::location:
      return "l";
    case RecordKind::service:
      return "s";
  }
  return "o";
}

std::string registry_path(const store::Municipality& m) {
  return municipality_admin_path(m) + "/registry";
}

std::string record_path(const store::Municipality& m, RecordKind kind, const std::string& id) {
  return registry_path(m) + "/" + segment_of(kind) + "/" + url_encode(id);
}

// The taxonomy the registry starts with, and the labels of its terms by code and language.
struct Taxonomy {
  json document;
  json labels;
};

const Taxonomy& bundled_taxonomy(const collect::ShareDir& share) {
  static const Taxonomy loaded = [&] {
    auto read = [](const std::filesystem::path& p) {
      std::ifstream in(p);
      return json::parse(in, nullptr, false);
    };
    Taxonomy t{read(share.root / "data/registry/taxonomy.json"),
               read(share.root / "data/registry/taxonomy_labels.json")};
    if (t.document.is_discarded()) t.document = json::object();
    if (t.labels.is_discarded()) t.labels = json::object();
    return t;
  }();
  return loaded;
}

std::string term_label(const Taxonomy& taxonomy, const json& term, const std::string& language) {
  const json& labels = taxonomy.labels.value("labels", json::object());
  const std::string code = field_text(term, "code");
  const std::string lang = language == "sr-Latn" ? "sr-Cyrl" : language;
  if (labels.contains(code) && labels[code].contains(lang)) {
    std::string label = labels[code][lang].get<std::string>();
    return language == "sr-Latn" ? text::serbian_to_latin(label) : label;
  }
  return field_text(term, "name");
}

// The taxonomy a term belongs to, by the end of the taxonomy's URI ("services_rs").
std::string taxonomy_key(const registry::Registry& r, const json& term) {
  const json* taxonomy = r.find("taxonomy", field_text(term, "taxonomy_id"));
  if (!taxonomy) return "";
  const std::string uri = field_text(*taxonomy, "uri");
  return uri.substr(uri.rfind(':') + 1);
}

}  // namespace

// The choices of a select or checkbox field, from the registry where they live there.
json Admin::registry_options(Context& c, const registry::Registry& r, const std::string& field,
                             const std::string& organization_id, const registry::Values& values) {
  const Translations& t = m_app.m_translations;
  json options = json::array();
  auto option = [&](const std::string& value, const std::string& label) {
    options.push_back({{"value", value},
                       {"label", label},
                       {"selected", has_value(values, field, value)},
                       {"id", field + "-" + std::to_string(options.size())}});
  };
  auto fixed = [&](std::initializer_list<const char*> list) {
    option("", "");
    for (const char* v : list) {
      std::string key(v);
      std::replace(key.begin(), key.end(), ' ', '_');
      option(v, t.text(c.language, "admin_registry_" + field + "_" + key));
    }
  };
  if (field == "sector") fixed({"public", "civil", "private"});
  if (field == "status") fixed({"active", "inactive", "temporarily closed", "defunct"});
  if (field == "responsibility") fixed({"municipality", "republic"});
  const Taxonomy& taxonomy = bundled_taxonomy(m_app.m_config.share);
  auto terms = r.tables.find("taxonomy_term");
  if ((field == "service_type" || field == "target_groups") && terms != r.tables.end()) {
    if (field == "service_type") option("", "");
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto& [id, term] : terms->second) {
      const std::string key = taxonomy_key(r, term);
      bool wanted = field == "target_groups" ? key == "target_groups"
                                             : key == "services_rs" || key == "services_mk";
      // Service types are the services, not their groups (terms with children).
      if (wanted && field == "service_type" && field_text(term, "parent_id").empty())
        wanted = false;
      if (wanted) found.emplace_back(term_label(taxonomy, term, c.language), id);
    }
    std::sort(found.begin(), found.end());
    for (const auto& [label, id] : found) option(id, label);
  }
  if (field == "languages") {
    // The profile's languages, and any other language the service has (imported ones).
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto& l : registry::language_choices()) {
      found.emplace_back(language_row_name(std::string(l.code), std::string(l.name), c.language),
                         l.key());
    }
    if (auto rows = r.tables.find("language"); rows != r.tables.end()) {
      for (const auto& [id, row] : rows->second) {
        if (field_text(row, "service_id").empty() ||
            !has_value(values, field, registry::language_key(row)))
          continue;
        if (std::none_of(found.begin(), found.end(),
                         [&](const auto& f) { return f.second == registry::language_key(row); })) {
          found.emplace_back(
              language_row_name(field_text(row, "code"), field_text(row, "name"), c.language),
              registry::language_key(row));
        }
      }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return text::compare_serbian(a.first, b.first) < 0;
    });
    for (const auto& [label, key] : found) option(key, label);
  }
  if (field == "locations") {
    if (auto rows = r.tables.find("location"); rows != r.tables.end()) {
      for (const auto& [id, row] : rows->second) {
        if (field_text(row, "organization_id") != organization_id) continue;
        std::string name = field_text(row, "name");
        option(id, name.empty() ? id : name);
      }
    }
  }
  return options;
}

json Admin::registry_fields(Context& c, const registry::Registry& r, RecordKind kind,
                            const std::string& organization_id, const registry::Values& values,
                            const json& field_errors) {
  const Translations& t = m_app.m_translations;
  json fields = json::array();
  for (const FieldSpec& spec : field_specs(kind)) {
    const std::string name = spec.name;
    json f = {{"name", name},
              {"label", t.text(c.language, "admin_registry_field_" + name)},
              {"value", first_value(values, name)}};
    if (spec.hint) f["hint"] = t.text(c.language, "admin_registry_hint_" + name);
    if (field_errors.contains(name)) f["error"] = field_errors[name];
    switch (spec.input) {
      case Input::textarea:
        f["is_textarea"] = true;
        break;
      case Input::select:
        f["is_select"] = true;
        f["options"] = registry_options(c, r, name, organization_id, values);
        break;
      case Input::checkboxes:
        f["is_checkboxes"] = true;
        f["options"] = registry_options(c, r, name, organization_id, values);
        f["has_options"] = !f["options"].empty();
        break;
      case Input::number:
        f["is_input"] = true;
        f["type"] = "text";
        f["inputmode"] = "decimal";
        f["short"] = true;
        break;
      case Input::date:
        f["is_input"] = true;
        f["type"] = "text";
        f["short"] = true;
        break;
      case Input::email:
      case Input::url:
      case Input::tel:
        f["is_input"] = true;
        f["type"] = spec.input == Input::email ? "email" : spec.input == Input::url ? "url" : "tel";
        f["spellcheck_off"] = true;
        break;
      case Input::text:
        f["is_input"] = true;
        f["type"] = "text";
        break;
    }
    fields.push_back(std::move(f));
  }
  return fields;
}

json Admin::registry_errors(Context& c, const std::vector<registry::FieldError>& errors) {
  const Translations& t = m_app.m_translations;
  json list = json::array();
  for (const auto& e : errors) {
    std::string label = t.text(c.language, "admin_registry_field_" + e.field);
    std::string message = t.format(c.language, e.key, {{"field", label}, {"detail", e.detail}});
    list.push_back(error_item(e.field, message));
  }
  return list;
}

json Admin::registry_history(Context& c, const registry::Registry& r, const std::string& id) {
  const Translations& t = m_app.m_translations;
  json rows = json::array();
  for (const json& m : registry::history_of(r, id)) {
    rows.push_back(
        {{"when", field_text(m, "last_action_date")},
         {"who", field_text(m, "updated_by")},
         {"record", t.text(c.language, "admin_registry_table_" + field_text(m, "resource_type"))},
         {"action",
          t.text(c.language, "admin_registry_action_" + field_text(m, "last_action_type"))},
         {"field", field_text(m, "field_name")},
         {"before", field_text(m, "previous_value")},
         {"after", field_text(m, "replacement_value")}});
  }
  return rows;
}

asio::awaitable<bool> Admin::save_registry(Context& c, const store::Municipality& m,
                                           std::vector<registry::Change> changes,
                                           const std::string& action, const std::string& object) {
  registry::Registry current = registry::load_registry(m_app.reader(), m.id);
  // The pickers need terms: the first record of a registry brings the bundled taxonomy.
  std::vector<registry::Change> install;
  if (current.tables["taxonomy"].empty()) {
    install = registry::taxonomy_install(current, bundled_taxonomy(m_app.m_config.share).document);
  }
  store::AuditEntry entry = audit_entry(c, action, m.id, object);
  const registry::Schemas& schemas = m_app.m_hsds;
  const registry::Author author{c.actor(), c.now};
  const std::int64_t municipality_id = m.id;
  store::Writer::Work save = [&schemas, install, changes, author, entry,
                              municipality_id](store::Store& s) {
    for (const auto& row : install) {
      store::upsert_registry_row(s, municipality_id, {row.table, row.id, row.row->dump()});
    }
    auto applied = registry::apply_changes(s, schemas, municipality_id, changes, author);
    if (!applied)
      throw std::runtime_error("a registry change was refused: " +
                               applied.error().front().to_string());
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(save));
  co_return stored;
}

asio::awaitable<Response> Admin::registry(Context& c, const store::Municipality& m,
                                          std::span<const std::string> rest) {
  const bool post = c.request.method() == http::verb::post;
  const bool get = !post;
  const bool manage = c.may(Action::manage_registry, m.id);
  if (rest.empty()) {
    if (!manage) co_return forbidden(c);
    if (!get) co_return m_app.method_not_allowed(c.request, "GET, HEAD");
    co_return registry_list(c, m);
  }
  if (rest.size() == 1 && rest[0] == "new") {
    if (!manage) co_return forbidden(c);
    Response r = co_await registry_record(c, m, RecordKind::organization, "", "");
    co_return r;
  }
  if (rest[0] == "proposals" && rest.size() <= 2) {
    if (!manage) co_return forbidden(c);
    if (rest.size() == 1) {
      if (!get) co_return m_app.method_not_allowed(c.request, "GET, HEAD");
      co_return proposals(c, m);
    }
    if (rest[1] == "from-answer") {
      if (!post) co_return m_app.method_not_allowed(c.request, "POST");
      Response r = co_await proposal_from_answer(c, m);
      co_return r;
    }
    Response r = co_await proposal(c, m, rest[1]);
    co_return r;
  }
  auto kind = kind_of_segment(rest[0]);
  if (!kind || rest.size() < 2 || rest.size() > 4) co_return message(c, 404, "http.404");
  const std::string id = rest[1];
  // A provider contact reaches only the proposal form of their own organisation.
  if (*kind == RecordKind::organization && rest.size() == 3 && rest[2] == "propose") {
    if (!c.user || !access::allowed_on_organization(c.user->who, Action::edit_own_organisation,
                                                    m.id, id, c.user->areas)) {
      co_return forbidden(c);
    }
    Response r = co_await propose(c, m, id);
    co_return r;
  }
  // A provider contact keeps the records of their own organisation — its form, its locations
  // and services, new ones too — with every change in the field history and the audit log;
  // verifying and deleting stay with the coordinator.
  const bool contact = c.user && !access::contact_organizations(c.user->who, m.id).empty();
  if (!manage && !contact) co_return forbidden(c);
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  const json* row = r.find(std::string(registry::table_of(*kind)), id);
  if (!row) co_return message(c, manage ? 404 : 403, manage ? "http.404" : "http.403");
  const std::string organization_id =
      *kind == RecordKind::organization ? id : field_text(*row, "organization_id");
  const bool own = access::allowed_on_organization(c.user->who, Action::edit_own_organisation, m.id,
                                                   organization_id, c.user->areas);
  if (!manage && !own) co_return forbidden(c);
  if (rest.size() == 2) {
    Response response = co_await registry_record(c, m, *kind, id, organization_id);
    co_return response;
  }
  if (rest.size() == 4) {
    // o/{id}/locations/new, o/{id}/services/new
    if (*kind != RecordKind::organization || rest[3] != "new" ||
        (rest[2] != "locations" && rest[2] != "services")) {
      co_return message(c, 404, "http.404");
    }
    RecordKind child = rest[2] == "locations" ? RecordKind::location : RecordKind::service;
    Response response = co_await registry_record(c, m, child, "", id);
    co_return response;
  }
  if (!post) co_return m_app.method_not_allowed(c.request, "POST");
  if (!manage) co_return forbidden(c);
  const std::string table(registry::table_of(*kind));
  if (rest[2] == "verify" && *kind != RecordKind::location) {
    std::vector<registry::Change> changes = {
        registry::verification(r, table, id, {c.actor(), c.now})};
    bool stored = co_await save_registry(c, m, changes, "registry_verify", table + "/" + id);
    if (!stored) co_return message(c, 503, "http.503");
    co_return redirect_response(c.href(record_path(m, *kind, id)) + "&verified=1");
  }
  if (rest[2] == "delete") {
    std::vector<registry::Change> changes = registry::deletion(m_app.m_hsds, r, table, id);
    bool stored = co_await save_registry(c, m, changes, "registry_delete", table + "/" + id);
    if (!stored) co_return message(c, 503, "http.503");
    if (*kind == RecordKind::organization) co_return redirect_response(c.href(registry_path(m)));
    co_return redirect_response(c.href(record_path(m, RecordKind::organization, organization_id)));
  }
  co_return message(c, 404, "http.404");
}

json Admin::registry_frame(Context& c, const store::Municipality& m, const std::string& title) {
  json page = frame(c, title);
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["registry_href"] = c.href(registry_path(m));
  return page;
}

Response Admin::registry_list(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  json page = registry_frame(c, m, t.text(c.language, "admin_registry"));
  page["new_href"] = c.href(registry_path(m) + "/new");
  page["proposals_href"] = c.href(registry_path(m) + "/proposals");
  std::size_t pending = 0;
  for (const auto& p : store::list_proposals(m_app.reader(), m.id)) pending += p.pending;
  page["pending"] = t.format(c.language, "admin_registry_pending",
                             {{"count", static_cast<std::int64_t>(pending)}});
  json organizations = json::array();
  for (const auto& [id, row] : r.tables["organization"]) {
    json services = json::array();
    for (const auto& [sid, service] : r.tables["service"]) {
      if (field_text(service, "organization_id") != id) continue;
      services.push_back({{"name", in_page_script(field_text(service, "name"), c.language)},
                          {"href", c.href(record_path(m, RecordKind::service, sid))}});
    }
    organizations.push_back({{"name", in_page_script(field_text(row, "name"), c.language)},
                             {"href", c.href(record_path(m, RecordKind::organization, id))},
                             {"services", services},
                             {"assured", field_text(row, "assured_date")}});
  }
  std::sort(organizations.begin(), organizations.end(),
            [](const json& a, const json& b) { return a["name"] < b["name"]; });
  page["organizations"] = organizations;
  page["has_organizations"] = !organizations.empty();
  return render(c, 200, "admin_registry", page);
}

asio::awaitable<Response> Admin::registry_record(Context& c, const store::Municipality& m,
                                                 RecordKind kind, std::string id,
                                                 const std::string& organization_id) {
  const Translations& t = m_app.m_translations;
  const bool is_new = id.empty();
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  const std::string table(registry::table_of(kind));
  registry::Values values = is_new ? registry::Values{} : registry::form_values(r, kind, id);
  if (is_new && kind == RecordKind::location) values.emplace("country", "RS");
  json page = registry_frame(c, m, "");
  json errors = json::array();
  if (c.request.method() == http::verb::post) {
    values = values_of(c.form);
    const std::string saved_id = is_new ? random::uuid_v4() : id;
    registry::Edit edit = registry::record_edit(m_app.m_hsds, r, kind, saved_id, organization_id,
                                                values, {c.actor(), c.now});
    if (edit.errors.empty()) {
      bool stored =
          co_await save_registry(c, m, edit.changes, is_new ? "registry_create" : "registry_update",
                                 table + "/" + saved_id);
      if (!stored) co_return message(c, 503, "http.503");
      co_return redirect_response(c.href(record_path(m, kind, saved_id)) + "&saved=1");
    }
    errors = registry_errors(c, edit.errors);
    show_errors(page, errors);
  }
  const json* row = is_new ? nullptr : r.find(table, id);
  std::string name = row ? in_page_script(field_text(*row, "name"), c.language) : "";
  std::string heading =
      t.text(c.language, "admin_registry_" + std::string(is_new ? "new_" : "") + table);
  page["title"] = name.empty() ? heading : name + " — " + heading;
  page["heading"] = name.empty() ? heading : name;
  page["kind_label"] = t.text(c.language, "admin_registry_table_" + table);
  const json* organization = r.find("organization", organization_id);
  if (kind != RecordKind::organization && organization) {
    page["organization_name"] = in_page_script(field_text(*organization, "name"), c.language);
    page["organization_href"] = c.href(record_path(m, RecordKind::organization, organization_id));
  }
  std::string action =
      is_new ? (kind == RecordKind::organization
                    ? registry_path(m) + "/new"
                    : record_path(m, RecordKind::organization, organization_id) + "/" +
                          (kind == RecordKind::location ? "locations" : "services") + "/new")
             : record_path(m, kind, id);
  page["action"] = c.href(action);
  page["fields"] = registry_fields(c, r, kind, organization_id, values,
                                   page.value("field_errors", json::object()));
  page["saved"] = c.target.query.contains("saved");
  page["verified"] = c.target.query.contains("verified");
  const bool manage = c.may(Action::manage_registry, m.id);
  if (!manage) page.erase("registry_href");  // a provider contact has no registry list
  if (row) {
    page["existing"] = true;
    if (manage) page["delete_action"] = c.href(record_path(m, kind, id) + "/delete");
    if (kind != RecordKind::location) {
      if (manage) page["verify_action"] = c.href(record_path(m, kind, id) + "/verify");
      if (!field_text(*row, "assured_date").empty()) {
        page["assured"] = t.format(c.language, "admin_registry_assured",
                                   {{"date", field_text(*row, "assured_date")},
                                    {"who", field_text(*row, "assurer_email")}});
      }
    }
    json history = registry_history(c, r, id);
    page["history"] = history;
    page["has_history"] = !history.empty();
  }
  if (row && kind == RecordKind::organization) {
    page["is_organization"] = true;
    json locations = json::array(), services = json::array();
    for (const auto& [lid, l] : r.tables["location"]) {
      if (field_text(l, "organization_id") != id) continue;
      std::string n = in_page_script(field_text(l, "name"), c.language);
      locations.push_back({{"name", n.empty() ? lid : n},
                           {"href", c.href(record_path(m, RecordKind::location, lid))}});
    }
    for (const auto& [sid, s] : r.tables["service"]) {
      if (field_text(s, "organization_id") != id) continue;
      services.push_back({{"name", in_page_script(field_text(s, "name"), c.language)},
                          {"href", c.href(record_path(m, RecordKind::service, sid))}});
    }
    page["locations"] = locations;
    page["has_locations"] = !locations.empty();
    page["services"] = services;
    page["has_services"] = !services.empty();
    page["new_location_href"] = c.href(record_path(m, kind, id) + "/locations/new");
    page["new_service_href"] = c.href(record_path(m, kind, id) + "/services/new");
    page["propose_href"] = c.href(record_path(m, kind, id) + "/propose");
  }
  co_return render(c, errors.empty() ? 200 : 422, "admin_registry_record", page);
}

}  // namespace needsmap::web
