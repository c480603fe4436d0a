#include "registry/editing.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <set>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace needsmap::registry {

namespace {

std::string text_of(const json& row, const std::string& key) {
  return field_text(row, key);
}

std::string value(const Values& values, const std::string& name) {
  return text::trim(first_value(values, name));
}

std::vector<std::string> all_values(const Values& values, const std::string& name) {
  std::vector<std::string> out;
  auto [from, to] = values.equal_range(name);
  for (auto it = from; it != to; ++it) {
    std::string v = text::trim(it->second);
    if (!v.empty() && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

std::optional<std::int64_t> integer_of(const std::string& text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

std::optional<double> number_of(std::string text) {
  std::replace(text.begin(), text.end(), ',', '.');  // a decimal comma, as Serbian writes it
  double n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

// A number as JSON: an integer when it is whole, so "2" stays 2 and not 2.0.
json number_json(double n) {
  if (n == static_cast<double>(static_cast<std::int64_t>(n))) return static_cast<std::int64_t>(n);
  return n;
}

bool is_valid_date(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] && (month != 2 || day <= 28 || leap);
}

// "2029-05-31", "31.05.2029." or "31.5.2029" as "2029-05-31".
std::optional<std::string> iso_date(std::string text) {
  const bool dotted = text.find('.') != std::string::npos;
  if (dotted && text.back() == '.') text.pop_back();
  std::vector<std::string> parts = text::split_trimmed(text, dotted ? "." : "-");
  if (parts.size() != 3) return std::nullopt;
  if (dotted) std::swap(parts[0], parts[2]);  // day.month.year
  auto year = integer_of(parts[0]), month = integer_of(parts[1]), day = integer_of(parts[2]);
  if (!year || !month || !day || parts[0].size() != 4 || parts[1].size() > 2 ||
      parts[2].size() > 2 || !is_valid_date(int(*year), int(*month), int(*day))) {
    return std::nullopt;
  }
  char out[40];  // room for any int, though the checks above keep it to 10 characters
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", int(*year), int(*month), int(*day));
  return std::string(out);
}

// Builds the changes of one form: the record and its children, each as a patch of the stored
// row (a null value removes a field, fields the form does not show stay).
class Builder {
 public:
  Builder(const Registry& registry, const Values& values, Edit& edit)
      : m_registry(registry), m_values(values), m_edit(edit) {}

  // A text field of the form, put in `patch` under `key` (absent when empty).
  void text(json& patch, const std::string& field, const std::string& key = "") {
    std::string v = value(m_values, field);
    patch[key.empty() ? field : key] = v.empty() ? json() : json(v);
  }
  void required(json& patch, const std::string& field) {
    if (value(m_values, field).empty()) error(field, "admin_registry_error_required");
    text(patch, field);
  }
  void integer(json& patch, const std::string& field, const std::string& key = "") {
    std::string v = value(m_values, field);
    json& slot = patch[key.empty() ? field : key];
    slot = nullptr;
    if (v.empty()) return;
    if (auto n = integer_of(v)) {
      slot = *n;
    } else {
      error(field, "admin_registry_error_integer");
    }
  }
  void number(json& patch, const std::string& field, const std::string& key) {
    std::string v = value(m_values, field);
    json& slot = patch[key];
    slot = nullptr;
    if (v.empty()) return;
    if (auto n = number_of(v)) {
      slot = number_json(*n);
    } else {
      error(field, "admin_registry_error_number");
    }
  }
  // A date as YYYY-MM-DD, written so or as Serbian and Macedonian write it (31.05.2029.).
  void date(json& patch, const std::string& field) {
    std::string v = value(m_values, field);
    json& slot = patch[field];
    slot = nullptr;
    if (v.empty()) return;
    if (auto iso = iso_date(v)) {
      slot = *iso;
    } else {
      error(field, "admin_registry_error_date", v);
    }
  }
  void error(const std::string& field, const std::string& key, const std::string& detail = "") {
    m_edit.errors.push_back({field, key, detail});
  }

  // The record itself: its stored row with the patch applied.
  void record(const std::string& table, const std::string& id, const json& patch) {
    const json* stored = m_registry.find(table, id);
    m_edit.changes.push_back({table, id, patched(stored ? *stored : json{{"id", id}}, patch)});
  }

  // The children of `table` whose `link` is `parent` (and `pick` accepts) become one per patch:
  // a patch takes the stored child of the same `key` (or, with `single`, the first), keeping its
  // id; stored children left over are removed. `form_field` names the field their problems
  // belong to. Returns the ids of the children, in the order of `patches`.
  std::vector<std::string> children(const std::string& table, const std::string& link,
                                    const std::string& parent,
                                    const std::function<bool(const json&)>& pick,
                                    std::vector<json> patches,
                                    const std::function<std::string(const json&)>& key, bool single,
                                    const std::string& form_field) {
    std::vector<const json*> stored;
    if (auto rows = m_registry.tables.find(table); rows != m_registry.tables.end()) {
      for (const auto& [_, row] : rows->second) {
        if (text_of(row, link) == parent && (!pick || pick(row))) stored.push_back(&row);
      }
    }
    if (single && stored.size() > 1) stored.resize(1);
    std::vector<bool> used(stored.size(), false);
    std::vector<std::string> ids;
    for (json& patch : patches) {
      patch[link] = parent;
      const json* match = nullptr;
      for (std::size_t i = 0; i < stored.size() && !match; ++i) {
        if (!used[i] && (single || key(*stored[i]) == key(patched(*stored[i], patch)))) {
          used[i] = true;
          match = stored[i];
        }
      }
      std::string id = match ? text_of(*match, "id") : random::uuid_v4();
      m_edit.changes.push_back({table, id, patched(match ? *match : json{{"id", id}}, patch)});
      m_child_fields[table] = form_field;
      ids.push_back(id);
    }
    for (std::size_t i = 0; i < stored.size(); ++i) {
      if (!used[i]) m_edit.changes.push_back({table, text_of(*stored[i], "id"), std::nullopt});
    }
    return ids;
  }

  // The form field a schema problem with a row of `table` belongs to.
  std::string field_of(const std::string& table, const std::string& field,
                       const std::string& main_table) const {
    if (table == main_table) return field;
    auto it = m_child_fields.find(table);
    return it == m_child_fields.end() || it->second.empty() ? field : it->second;
  }

 private:
  static json patched(json row, const json& patch) {
    for (const auto& [k, v] : patch.items()) {
      if (v.is_null()) {
        row.erase(k);
      } else {
        row[k] = v;
      }
    }
    return row;
  }

  const Registry& m_registry;
  const Values& m_values;
  Edit& m_edit;
  std::map<std::string, std::string> m_child_fields;
};

bool links_only(const json& row, const std::string& link) {
  for (const char* other :
       {"organization_id", "service_id", "location_id", "contact_id", "service_at_location_id"}) {
    if (other != link && !text_of(row, other).empty()) return false;
  }
  return true;
}

std::string first_child(const Registry& registry, const std::string& table, const std::string& link,
                        const std::string& parent, const std::string& key) {
  auto rows = registry.tables.find(table);
  if (rows == registry.tables.end()) return "";
  for (const auto& [_, row] : rows->second) {
    if (text_of(row, link) == parent && links_only(row, link)) return text_of(row, key);
  }
  return "";
}

std::vector<const json*> children_of(const Registry& registry, const std::string& table,
                                     const std::string& link, const std::string& parent) {
  std::vector<const json*> out;
  auto rows = registry.tables.find(table);
  if (rows == registry.tables.end()) return out;
  for (const auto& [_, row] : rows->second) {
    if (text_of(row, link) == parent) out.push_back(&row);
  }
  return out;
}

// A phone and opening hours patch, the same on every form that has them.
std::vector<json> phone_patches(const Values& values) {
  std::string number = value(values, "phone");
  if (number.empty()) return {};
  return {json{{"number", number}}};
}

std::vector<json> schedule_patches(Builder& b) {
  json patch = json::object();
  b.text(patch, "hours", "description");
  b.text(patch, "opens_at");
  b.text(patch, "closes_at");
  b.text(patch, "byday");
  bool empty = std::all_of(patch.begin(), patch.end(), [](const json& v) { return v.is_null(); });
  if (empty) return {};
  return {patch};
}

void fill_schedule(Values& out, const Registry& registry, const std::string& link,
                   const std::string& id) {
  auto rows = registry.tables.find("schedule");
  if (rows == registry.tables.end()) return;
  for (const auto& [_, row] : rows->second) {
    if (text_of(row, link) != id || !links_only(row, link)) continue;
    out.emplace("hours", text_of(row, "description"));
    out.emplace("opens_at", text_of(row, "opens_at"));
    out.emplace("closes_at", text_of(row, "closes_at"));
    out.emplace("byday", text_of(row, "byday"));
    return;
  }
}

const std::vector<std::string> organization_fields = {
    "name", "alternate_name", "description", "email", "website", "sector", "legal_status"};
const std::vector<std::string> location_fields = {"name", "description", "transportation"};
const std::vector<std::string> address_fields = {"address_1", "city", "state_province",
                                                 "postal_code", "country"};
const std::vector<std::string> service_fields = {"name",
                                                 "alternate_name",
                                                 "description",
                                                 "status",
                                                 "email",
                                                 "url",
                                                 "responsibility",
                                                 "licence_number",
                                                 "licence_valid_from",
                                                 "licence_valid_to",
                                                 "current_users",
                                                 "waiting_list",
                                                 "eligibility_description",
                                                 "fees_description",
                                                 "application_process"};

// Lines in byte order: rows are kept by id, which says nothing to a reader.
std::string sorted_lines(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

// A row's fields as a form's line shows them: "a; b; c".
std::string fields_line(const json& row, std::initializer_list<const char*> keys) {
  std::string out;
  bool first = true;
  for (const char* key : keys) {
    if (!first) out += "; ";
    out += text_of(row, key);
    first = false;
  }
  return out;
}

std::string attribute_key(const json& row) {
  return text_of(row, "link_type") + "/" + text_of(row, "taxonomy_term_id");
}

Values organization_form(const Registry& registry, const std::string& id) {
  Values out;
  const json* row = registry.find("organization", id);
  if (!row) return out;
  for (const auto& f : organization_fields) out.emplace(f, text_of(*row, f));
  out.emplace("phone", first_child(registry, "phone", "organization_id", id, "number"));
  return out;
}

Values location_form(const Registry& registry, const std::string& id) {
  Values out;
  const json* row = registry.find("location", id);
  if (!row) return out;
  for (const auto& f : location_fields) out.emplace(f, text_of(*row, f));
  for (const json* a : children_of(registry, "address", "location_id", id)) {
    for (const auto& f : address_fields) out.emplace(f, text_of(*a, f));
    break;
  }
  out.emplace("phone", first_child(registry, "phone", "location_id", id, "number"));
  out.emplace("accessibility",
              first_child(registry, "accessibility", "location_id", id, "description"));
  fill_schedule(out, registry, "location_id", id);
  return out;
}

Values service_form(const Registry& registry, const std::string& id) {
  Values out;
  const json* row = registry.find("service", id);
  if (!row) return out;
  for (const auto& f : service_fields) out.emplace(f, text_of(*row, f));
  for (const json* c : children_of(registry, "service_capacity", "service_id", id)) {
    out.emplace("capacity_available", text_of(*c, "available"));
    out.emplace("capacity_maximum", text_of(*c, "maximum"));
    if (const json* unit = registry.find("unit", text_of(*c, "unit_id"))) {
      out.emplace("capacity_unit", text_of(*unit, "name"));
    }
    break;
  }
  for (const json* a : children_of(registry, "attribute", "link_id", id)) {
    if (text_of(*a, "link_entity") != "service") continue;
    const std::string type = text_of(*a, "link_type");
    if (type == "service_type") out.emplace("service_type", text_of(*a, "taxonomy_term_id"));
    if (type == "audience") out.emplace("target_groups", text_of(*a, "taxonomy_term_id"));
  }
  auto lines = [&](const char* table, const std::function<std::string(const json&)>& line) {
    std::vector<std::string> out;
    for (const json* row : children_of(registry, table, "service_id", id))
      out.push_back(line(*row));
    return sorted_lines(out);
  };
  out.emplace("settlements",
              lines("service_area", [](const json& r) { return text_of(r, "name"); }));
  for (const json* l : children_of(registry, "service_at_location", "service_id", id)) {
    out.emplace("locations", text_of(*l, "location_id"));
  }
  out.emplace("staff", lines("staff", [](const json& r) {
                return fields_line(r, {"profession", "full_time_equivalents", "year"});
              }));
  out.emplace("funding", lines("funding", [](const json& r) {
                return fields_line(r, {"source_type", "year", "amount"});
              }));
  for (const json* l : children_of(registry, "language", "service_id", id)) {
    out.emplace("languages", language_key(*l));
  }
  out.emplace("contacts", lines("contact", [&](const json& r) {
                return fields_line(r, {"name", "title", "email"}) + "; " +
                       first_child(registry, "phone", "contact_id", text_of(r, "id"), "number");
              }));
  out.emplace("cost_options", lines("cost_option", [](const json& r) {
                return fields_line(r, {"option", "amount", "currency"});
              }));
  out.emplace("required_documents",
              lines("required_document", [](const json& r) { return text_of(r, "document"); }));
  out.emplace("phone", first_child(registry, "phone", "service_id", id, "number"));
  fill_schedule(out, registry, "service_id", id);
  return out;
}

void organization_changes(Builder& b, const Values& values, const std::string& id) {
  json patch = json::object();
  for (const auto& f : organization_fields) b.text(patch, f);
  if (value(values, "name").empty()) b.error("name", "admin_registry_error_required");
  if (value(values, "description").empty()) b.error("description", "admin_registry_error_required");
  b.record("organization", id, patch);
  auto only_org = [](const json& r) { return links_only(r, "organization_id"); };
  b.children("phone", "organization_id", id, only_org, phone_patches(values), {}, true, "phone");
}

void location_changes(Builder& b, const Values& values, const std::string& id,
                      const std::string& organization_id) {
  json patch = {{"organization_id", organization_id}, {"location_type", "physical"}};
  for (const auto& f : location_fields) b.text(patch, f);
  b.record("location", id, patch);
  json address = {{"address_type", "physical"}};
  for (const auto& f : address_fields) b.required(address, f);
  b.children("address", "location_id", id, {}, {address}, {}, true, "");
  auto only = [](const json& r) { return links_only(r, "location_id"); };
  b.children("phone", "location_id", id, only, phone_patches(values), {}, true, "phone");
  b.children("schedule", "location_id", id, only, schedule_patches(b), {}, true, "hours");
  std::vector<json> access;
  if (!value(values, "accessibility").empty()) {
    access.push_back({{"description", value(values, "accessibility")}});
  }
  b.children("accessibility", "location_id", id, {}, access, {}, true, "accessibility");
}

// "profession; 2.5; 2025" lines.
std::vector<json> staff_patches(Builder& b, const Values& values) {
  std::vector<json> out;
  for (const std::string& line : text::split_trimmed(value(values, "staff"), "\n")) {
    auto parts = text::split_trimmed(line, ";");
    std::optional<double> fte = parts.size() >= 2 ? number_of(parts[1]) : std::nullopt;
    std::optional<std::int64_t> year =
        parts.size() >= 3 ? integer_of(parts[2]) : std::optional<std::int64_t>();
    if (parts.size() < 2 || parts.size() > 3 || !fte || (parts.size() == 3 && !year)) {
      b.error("staff", "admin_registry_error_staff", line);
      continue;
    }
    json row = {{"profession", parts[0]}, {"full_time_equivalents", number_json(*fte)}};
    row["year"] = year ? json(*year) : json();
    out.push_back(row);
  }
  return out;
}

// "source_type; year; amount" lines.
std::vector<json> funding_patches(Builder& b, const Values& values) {
  std::vector<json> out;
  for (const std::string& line : text::split_trimmed(value(values, "funding"), "\n")) {
    auto parts = text::split_trimmed(line, ";");
    std::optional<std::int64_t> year = parts.size() >= 2 ? integer_of(parts[1]) : std::nullopt;
    std::optional<double> amount =
        parts.size() >= 3 ? number_of(parts[2]) : std::optional<double>();
    if (parts.size() < 2 || parts.size() > 3 || !year || (parts.size() == 3 && !amount)) {
      b.error("funding", "admin_registry_error_funding", line);
      continue;
    }
    json row = {{"source_type", parts[0]}, {"year", *year}};
    row["amount"] = amount ? number_json(*amount) : json();
    out.push_back(row);
  }
  return out;
}

// A line's fields between semicolons, trimmed, empty ones kept in their place; semicolons at
// the end may be left out.
std::vector<std::string> line_fields(const std::string& line, std::size_t count) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ';') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  for (auto& f : out) f = text::trim(f);
  if (out.size() < count) out.resize(count);
  return out;
}

// The languages of a service: checked language keys, each the registry's row of that key when
// the service has one (its name kept), else a new row of the profile's list.
std::vector<json> language_patches(Builder& b, const Registry& registry, const Values& values,
                                   const std::string& id) {
  std::map<std::string, json> stored;  // by key, the patch that keeps the row as it is
  for (const json* l : children_of(registry, "language", "service_id", id)) {
    const std::string code = text_of(*l, "code");
    stored[language_key(*l)] =
        code.empty() ? json{{"name", text_of(*l, "name")}} : json{{"code", code}};
  }
  std::vector<json> out;
  for (const auto& key : all_values(values, "languages")) {
    const auto& known = language_choices();
    auto choice = std::find_if(known.begin(), known.end(),
                               [&](const LanguageChoice& l) { return l.key() == key; });
    if (auto kept = stored.find(key); kept != stored.end()) {
      out.push_back(kept->second);
    } else if (choice != known.end()) {
      json row = {{"name", std::string(choice->name)}};
      if (!choice->code.empty()) row["code"] = std::string(choice->code);
      out.push_back(row);
    } else {
      b.error("languages", "admin_registry_error_term");
    }
  }
  return out;
}

// "name; title; email; phone" lines, each a contact and its phone.
void contact_changes(Builder& b, const Registry& registry, const Values& values,
                     const std::string& id) {
  std::vector<json> contacts;
  std::vector<std::string> numbers;
  for (const std::string& line : text::split_trimmed(value(values, "contacts"), "\n")) {
    auto f = line_fields(line, 4);
    if (f.size() > 4 || (f[0].empty() && f[1].empty())) {
      b.error("contacts", "admin_registry_error_contacts", line);
      continue;
    }
    json row = json::object();
    row["name"] = f[0].empty() ? json() : json(f[0]);
    row["title"] = f[1].empty() ? json() : json(f[1]);
    row["email"] = f[2].empty() ? json() : json(f[2]);
    contacts.push_back(row);
    numbers.push_back(f[3]);
  }
  auto by_name = [](const json& r) { return text_of(r, "name") + "/" + text_of(r, "title"); };
  std::vector<std::string> kept =
      b.children("contact", "service_id", id, {}, contacts, by_name, false, "contacts");
  auto only_contact = [](const json& r) { return links_only(r, "contact_id"); };
  for (std::size_t i = 0; i < kept.size(); ++i) {
    std::vector<json> phone;
    if (!numbers[i].empty()) phone.push_back({{"number", numbers[i]}});
    b.children("phone", "contact_id", kept[i], only_contact, phone, {}, true, "contacts");
  }
  // A contact no longer listed takes its phones along.
  for (const json* c : children_of(registry, "contact", "service_id", id)) {
    const std::string cid = text_of(*c, "id");
    if (std::find(kept.begin(), kept.end(), cid) == kept.end()) {
      b.children("phone", "contact_id", cid, only_contact, {}, {}, true, "contacts");
    }
  }
}

// "option; amount; currency" lines.
std::vector<json> cost_patches(Builder& b, const Values& values) {
  std::vector<json> out;
  for (const std::string& line : text::split_trimmed(value(values, "cost_options"), "\n")) {
    auto f = line_fields(line, 3);
    std::optional<double> amount = f[1].empty() ? std::nullopt : number_of(f[1]);
    if (f.size() > 3 || f[0].empty() || (!f[1].empty() && !amount)) {
      b.error("cost_options", "admin_registry_error_cost_options", line);
      continue;
    }
    json row = {{"option", f[0]}};
    row["amount"] = amount ? number_json(*amount) : json();
    row["currency"] = f[2].empty() ? json() : json(f[2]);
    out.push_back(row);
  }
  return out;
}

void service_changes(Builder& b, const Registry& registry, const Values& values,
                     const std::string& id, const std::string& organization_id,
                     const Author& author, Edit& edit) {
  json patch = {{"organization_id", organization_id}};
  for (const auto& f : service_fields) {
    if (f == "current_users" || f == "waiting_list") {
      b.integer(patch, f);
    } else if (f == "licence_valid_from" || f == "licence_valid_to") {
      b.date(patch, f);
    } else {
      b.text(patch, f);
    }
  }
  if (value(values, "name").empty()) b.error("name", "admin_registry_error_required");
  if (value(values, "status").empty()) b.error("status", "admin_registry_error_required");
  b.record("service", id, patch);

  // Capacity, in a unit found by its name or added.
  std::vector<json> capacity;
  const std::string unit_name = value(values, "capacity_unit");
  json figures = json::object();
  b.number(figures, "capacity_available", "available");
  b.number(figures, "capacity_maximum", "maximum");
  if (!figures["available"].is_null() || !figures["maximum"].is_null() || !unit_name.empty()) {
    // Places free are the places less the users, unless the form says otherwise.
    auto users = integer_of(value(values, "current_users"));
    if (figures["available"].is_null() && figures["maximum"].is_number() && users) {
      figures["available"] = number_json(std::max(0.0, figures["maximum"].get<double>() - *users));
    }
    if (figures["available"].is_null()) {
      b.error("capacity_available", "admin_registry_error_required");
    }
    json row = figures;
    row["updated"] = clock::format_utc(author.at);
    row["unit_id"] = nullptr;
    if (!unit_name.empty()) {
      std::string unit_id;
      if (auto units = registry.tables.find("unit"); units != registry.tables.end()) {
        for (const auto& [uid, unit] : units->second) {
          if (text_of(unit, "name") == unit_name) unit_id = uid;
        }
      }
      if (unit_id.empty()) {
        unit_id = random::uuid_v4();
        edit.changes.push_back({"unit", unit_id, json{{"id", unit_id}, {"name", unit_name}}});
      }
      row["unit_id"] = unit_id;
    }
    capacity.push_back(row);
  }
  // The update date alone is no change: keep the stored one when the figures are the same.
  auto stored_capacity = children_of(registry, "service_capacity", "service_id", id);
  if (!capacity.empty() && !stored_capacity.empty()) {
    const json& old = *stored_capacity.front();
    bool same = true;
    for (const char* k : {"available", "maximum", "unit_id"}) {
      json was = old.contains(k) ? old[k] : json();
      if (was != capacity.front()[k]) same = false;
    }
    if (same && old.contains("updated")) capacity.front()["updated"] = old["updated"];
  }
  b.children("service_capacity", "service_id", id, {}, capacity, {}, true, "capacity_available");

  // Service type and target groups as attributes linking taxonomy terms.
  std::vector<json> attributes;
  auto attribute = [&](const std::string& type, const std::string& term, const char* field) {
    if (!registry.find("taxonomy_term", term)) {
      b.error(field, "admin_registry_error_term");
      return;
    }
    attributes.push_back(
        {{"link_type", type}, {"link_entity", "service"}, {"taxonomy_term_id", term}});
  };
  if (!value(values, "service_type").empty()) {
    attribute("service_type", value(values, "service_type"), "service_type");
  }
  for (const auto& term : all_values(values, "target_groups")) {
    attribute("audience", term, "target_groups");
  }
  auto managed = [](const json& r) {
    const std::string type = text_of(r, "link_type");
    return text_of(r, "link_entity") == "service" && (type == "service_type" || type == "audience");
  };
  b.children("attribute", "link_id", id, managed, attributes, attribute_key, false,
             "target_groups");

  std::vector<json> areas;
  for (const auto& name : text::split_trimmed(value(values, "settlements"), "\n,")) {
    areas.push_back({{"name", name}});
  }
  auto by_name = [](const json& r) { return text_of(r, "name"); };
  b.children("service_area", "service_id", id, {}, areas, by_name, false, "settlements");

  std::vector<json> places;
  for (const auto& location : all_values(values, "locations")) {
    const json* l = registry.find("location", location);
    if (!l || text_of(*l, "organization_id") != organization_id) {
      b.error("locations", "admin_registry_error_location");
      continue;
    }
    places.push_back({{"location_id", location}});
  }
  auto by_location = [](const json& r) { return text_of(r, "location_id"); };
  b.children("service_at_location", "service_id", id, {}, places, by_location, false, "locations");

  auto by_profession = [](const json& r) {
    return text_of(r, "profession") + "/" + text_of(r, "year");
  };
  b.children("staff", "service_id", id, {}, staff_patches(b, values), by_profession, false,
             "staff");
  auto by_source = [](const json& r) {
    return text_of(r, "source_type") + "/" + text_of(r, "year");
  };
  b.children("funding", "service_id", id, {}, funding_patches(b, values), by_source, false,
             "funding");
  b.children("language", "service_id", id, {}, language_patches(b, registry, values, id),
             language_key, false, "languages");
  contact_changes(b, registry, values, id);
  auto by_option = [](const json& r) { return text_of(r, "option"); };
  b.children("cost_option", "service_id", id, {}, cost_patches(b, values), by_option, false,
             "cost_options");
  std::vector<json> documents;
  for (const auto& d : text::split_trimmed(value(values, "required_documents"), "\n")) {
    documents.push_back({{"document", d}});
  }
  auto by_document = [](const json& r) { return text_of(r, "document"); };
  b.children("required_document", "service_id", id, {}, documents, by_document, false,
             "required_documents");
  auto only = [](const json& r) { return links_only(r, "service_id"); };
  b.children("phone", "service_id", id, only, phone_patches(values), {}, true, "phone");
  b.children("schedule", "service_id", id, only, schedule_patches(b), {}, true, "hours");
}

}  // namespace

std::string first_value(const Values& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

const std::vector<LanguageChoice>& language_choices() {
  // ISO 639-1 where the language has it, ISO 639-2 otherwise (rom, sgn: the collective code of
  // sign languages); the Vlach of eastern Serbia has no code of its own.
  static const std::vector<LanguageChoice> list = {
      {"serbian", "sr", "српски"},     {"macedonian", "mk", "македонски"},
      {"albanian", "sq", "албански"},  {"romani", "rom", "ромски"},
      {"hungarian", "hu", "мађарски"}, {"bosnian", "bs", "босански"},
      {"bulgarian", "bg", "бугарски"}, {"romanian", "ro", "румунски"},
      {"vlach", "", "влашки"},         {"turkish", "tr", "турски"},
      {"slovak", "sk", "словачки"},    {"sign_language", "sgn", "знаковни језик"}};
  return list;
}

std::string language_key(const json& row) {
  std::string code = field_text(row, "code");
  return code.empty() ? field_text(row, "name") : code;
}

std::string_view table_of(RecordKind kind) {
  switch (kind) {
    case RecordKind::organization:
      return "organization";
    case RecordKind::location:
      return "location";
    case RecordKind::service:
      return "service";
  }
  return "";
}

Values form_values(const Registry& registry, RecordKind kind, const std::string& id) {
  switch (kind) {
    case RecordKind::organization:
      return organization_form(registry, id);
    case RecordKind::location:
      return location_form(registry, id);
    case RecordKind::service:
      return service_form(registry, id);
  }
  return {};
}

Edit record_edit(const Schemas& schemas, const Registry& registry, RecordKind kind,
                 const std::string& id, const std::string& organization_id, const Values& values,
                 const Author& author) {
  Edit edit;
  Builder b(registry, values, edit);
  switch (kind) {
    case RecordKind::organization:
      organization_changes(b, values, id);
      break;
    case RecordKind::location:
      location_changes(b, values, id, organization_id);
      break;
    case RecordKind::service:
      service_changes(b, registry, values, id, organization_id, author, edit);
      break;
  }
  // Problems the form found are named once; the schemas' are added for the other fields.
  std::set<std::string> named;
  for (const auto& e : edit.errors) named.insert(e.field);
  for (const Issue& issue : check_changes(schemas, edit.changes)) {
    std::string field = b.field_of(issue.table, issue.field, std::string(table_of(kind)));
    if (named.contains(field)) continue;
    named.insert(field);
    edit.errors.push_back({field,
                           issue.message == "is required" ? "admin_registry_error_required"
                                                          : "admin_registry_error_invalid",
                           issue.message});
  }
  return edit;
}

Change verification(const Registry& registry, const std::string& table, const std::string& id,
                    const Author& author) {
  const json* stored = registry.find(table, id);
  json row = stored ? *stored : json{{"id", id}};
  row["assured_date"] = clock::format_date(author.at);
  row["assurer_email"] = author.email;
  return {table, id, row};
}

std::vector<Change> deletion(const Schemas& schemas, const Registry& registry,
                             const std::string& table, const std::string& id) {
  std::vector<Change> out;
  std::set<std::pair<std::string, std::string>> seen;
  std::function<void(const std::string&, const std::string&)> remove = [&](const std::string& t,
                                                                           const std::string& i) {
    if (!seen.insert({t, i}).second || !registry.find(t, i)) return;
    for (const Nesting& n : schemas.nestings()) {
      if (n.parent != t || n.child == "metadata") continue;
      auto rows = registry.tables.find(n.child);
      if (rows == registry.tables.end()) continue;
      for (const auto& [child_id, row] : rows->second) {
        if (text_of(row, n.link) != i) continue;
        if (!n.entity.empty() && !text_of(row, n.entity).empty() && text_of(row, n.entity) != t) {
          continue;
        }
        remove(n.child, child_id);
      }
    }
    out.push_back({t, i, std::nullopt});
  };
  remove(table, id);
  return out;
}

std::vector<Change> taxonomy_install(const Registry& registry, const json& document) {
  std::vector<Change> out;
  for (const auto& [collection, table] :
       {std::pair{"taxonomies", "taxonomy"}, std::pair{"taxonomy_terms", "taxonomy_term"}}) {
    for (const json& row : document.value(collection, json::array())) {
      const std::string id = text_of(row, "id");
      if (!registry.find(table, id)) out.push_back({table, id, row});
    }
  }
  return out;
}

}  // namespace needsmap::registry
