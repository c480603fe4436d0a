// Proposed updates of the registry (/admin/m/{m}/registry/o/{id}/propose and /proposals): a
// provider contact proposes new values for the fields the providers' questionnaire asks about;
// a coordinator compares each with the registry's value and accepts or rejects it. Accepted
// values go through the same change path as the forms, so they get their field history.
#include <algorithm>
#include <charconv>

#include "access/roles.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "registry/changes.hpp"
#include "registry/editing.hpp"
#include "registry/storage.hpp"
#include "store/accounts.hpp"
#include "store/proposals.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;
using registry::RecordKind;

namespace {

std::string text_of(const json& row, const std::string& key) {
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string value_of(const registry::Values& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

// The registry's current values of an organisation and one of its services, as form fields.
struct Current {
  registry::Values organization;
  registry::Values service;
  const registry::Values& of(RecordKind kind) const {
    return kind == RecordKind::organization ? organization : service;
  }
};

Current current_values(const registry::Registry& r, const std::string& organization_id,
                       const std::string& service_id) {
  return {registry::form_values(r, RecordKind::organization, organization_id),
          service_id.empty() ? registry::Values{}
                             : registry::form_values(r, RecordKind::service, service_id)};
}

std::string organization_path(const store::Municipality& m, const std::string& id) {
  return municipality_admin_path(m) + "/registry/o/" + url_encode(id);
}

// The edits that give the organisation and its service the values `accepted` (question name →
// value) names, and the problems with them by question.
struct Applied {
  std::vector<registry::Change> changes;
  std::vector<registry::FieldError> errors;
};

Applied apply_values(const registry::Schemas& schemas, const registry::Registry& r,
                     const std::string& organization_id, const std::string& service_id,
                     const std::map<std::string, std::string>& accepted,
                     const registry::Author& author) {
  Current current = current_values(r, organization_id, service_id);
  Applied out;
  for (RecordKind kind : {RecordKind::organization, RecordKind::service}) {
    registry::Values values = current.of(kind);
    std::map<std::string, std::string> question_of;  // form field → question
    for (const auto& f : registry::proposal_fields()) {
      auto it = accepted.find(f.question);
      if (f.kind != kind || it == accepted.end()) continue;
      values.erase(f.field);
      values.emplace(f.field, it->second);
      question_of[f.field] = f.question;
    }
    if (question_of.empty()) continue;
    if (kind == RecordKind::service && service_id.empty()) {
      for (const auto& [field, question] : question_of) {
        out.errors.push_back({question, "admin_registry_error_no_service", ""});
      }
      continue;
    }
    const std::string id = kind == RecordKind::organization ? organization_id : service_id;
    registry::Edit edit =
        registry::record_edit(schemas, r, kind, id, organization_id, values, author);
    for (auto& e : edit.errors) {
      auto q = question_of.find(e.field);
      e.field = q == question_of.end() ? "_form" : q->second;
      out.errors.push_back(e);
    }
    out.changes.insert(out.changes.end(), edit.changes.begin(), edit.changes.end());
  }
  return out;
}

std::string field_label(const Translations& t, const std::string& language,
                        const std::string& question) {
  for (const auto& f : registry::proposal_fields()) {
    if (f.question == question) return t.text(language, "admin_registry_field_" + f.field);
  }
  return question;
}

std::optional<std::int64_t> number_of(const std::string& text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

json Admin::proposal_errors(Context& c, const std::vector<registry::FieldError>& errors) {
  const Translations& t = m_app.m_translations;
  json list = json::array();
  for (const auto& e : errors) {
    std::string message = t.format(
        c.language, e.key,
        {{"field", field_label(t, c.language, e.field)}, {"detail", e.detail}});
    list.push_back(error_item(e.field, message));
  }
  return list;
}

asio::awaitable<Response> Admin::propose(Context& c, const store::Municipality& m,
                                         const std::string& organization_id) {
  const Translations& t = m_app.m_translations;
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  const json* organization = r.find("organization", organization_id);
  if (!organization) co_return message(c, 404, "http.404");
  const bool post = c.request.method() == http::verb::post;
  // The service the service fields are about: the one chosen, or the organisation's first.
  std::string service_id = post ? field(c.form, "service")
                                : (c.target.query.contains("service") ? c.target.query.at("service")
                                                                      : std::string());
  json services = json::array();
  for (const auto& [sid, s] : r.tables["service"]) {
    if (text_of(s, "organization_id") != organization_id) continue;
    if (service_id.empty()) service_id = sid;
    services.push_back(
        {{"value", sid}, {"label", text_of(s, "name")}, {"selected", sid == service_id}});
  }
  const json* service = r.find("service", service_id);
  if (service && text_of(*service, "organization_id") != organization_id) service = nullptr;
  if (!service) service_id.clear();

  Current current = current_values(r, organization_id, service_id);
  json page = frame(c, t.text(c.language, "admin_registry_propose"));
  page["organization_name"] = text_of(*organization, "name");
  page["action"] = c.href(organization_path(m, organization_id) + "/propose");
  page["services"] = services;
  page["has_services"] = !services.empty();
  page["service_id"] = service_id;

  std::map<std::string, std::string> proposed;
  json errors = json::array();
  if (post) {
    for (const auto& f : registry::proposal_fields()) {
      if (f.kind == RecordKind::service && service_id.empty()) continue;
      std::string value = text::trim(field(c.form, f.question));
      if (value != text::trim(value_of(current.of(f.kind), f.field))) proposed[f.question] = value;
    }
    std::vector<registry::FieldError> problems;
    if (proposed.empty()) problems.push_back({"_form", "admin_registry_error_unchanged", ""});
    Applied check = apply_values(m_app.m_hsds, r, organization_id, service_id, proposed,
                                 {c.actor(), c.now});
    problems.insert(problems.end(), check.errors.begin(), check.errors.end());
    if (problems.empty()) {
      json fields = json::object();
      for (const auto& [q, v] : proposed) fields[q] = v;
      store::Proposal p{.id = 0,
                        .municipality_id = m.id,
                        .organization_id = organization_id,
                        .service_id = service_id,
                        .proposed_by = c.actor(),
                        .proposed_at = c.now,
                        .fields = fields.dump(),
                        .pending = true,
                        .decided_by = "",
                        .decided_at = std::nullopt,
                        .decisions = ""};
      store::AuditEntry entry =
          audit_entry(c, "registry_propose", m.id, "organization/" + organization_id);
      store::Writer::Work save = [p, entry](store::Store& s) {
        store::add_proposal(s, p);
        store::audit(s, entry);
      };
      bool stored = co_await m_app.write(std::move(save));
      if (!stored) co_return message(c, 503, "http.503");
      co_return message(c, 200, "admin_registry_proposed");
    }
    errors = proposal_errors(c, problems);
    show_errors(page, errors);
  }
  json fields = json::array();
  for (const auto& f : registry::proposal_fields()) {
    if (f.kind == RecordKind::service && service_id.empty()) continue;
    std::string value = post ? field(c.form, f.question) : value_of(current.of(f.kind), f.field);
    json item = {{"name", f.question},
                 {"label", t.text(c.language, "admin_registry_field_" + f.field)},
                 {"value", value},
                 {"is_textarea", f.field == "settlements"}};
    if (page.contains("field_errors") && page["field_errors"].contains(f.question)) {
      item["error"] = page["field_errors"][f.question];
    }
    fields.push_back(item);
  }
  page["fields"] = fields;
  co_return render(c, errors.empty() ? 200 : 422, "admin_registry_propose", page);
}

Response Admin::proposals(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  json page = frame(c, t.text(c.language, "admin_registry_proposals"));
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["registry_href"] = c.href(municipality_admin_path(m) + "/registry");
  json rows = json::array();
  for (const auto& p : store::list_proposals(m_app.reader(), m.id)) {
    const json* o = r.find("organization", p.organization_id);
    rows.push_back({{"href", c.href(municipality_admin_path(m) + "/registry/proposals/" +
                                    std::to_string(p.id))},
                    {"number", std::to_string(p.id)},
                    {"organization", o ? text_of(*o, "name") : p.organization_id},
                    {"who", p.proposed_by},
                    {"when", clock::format_utc(p.proposed_at)},
                    {"status", t.text(c.language, p.pending ? "admin_registry_proposal_pending"
                                                            : "admin_registry_proposal_closed")}});
  }
  page["proposals"] = rows;
  page["has_proposals"] = !rows.empty();
  return render(c, 200, "admin_registry_proposals", page);
}

asio::awaitable<Response> Admin::proposal(Context& c, const store::Municipality& m,
                                          const std::string& number) {
  const Translations& t = m_app.m_translations;
  auto id = number_of(number);
  auto p = id ? store::find_proposal(m_app.reader(), m.id, *id) : std::nullopt;
  if (!p) co_return message(c, 404, "http.404");
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  json proposed = json::parse(p->fields, nullptr, false);
  json decisions = json::parse(p->decisions.empty() ? "{}" : p->decisions, nullptr, false);
  if (!proposed.is_object()) proposed = json::object();
  if (!decisions.is_object()) decisions = json::object();
  Current current = current_values(r, p->organization_id, p->service_id);
  const json* organization = r.find("organization", p->organization_id);
  const json* service = r.find("service", p->service_id);

  json page = frame(c, t.format(c.language, "admin_registry_proposal", {{"number", number}}));
  page["heading"] = t.format(c.language, "admin_registry_proposal", {{"number", number}});
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["proposals_href"] = c.href(municipality_admin_path(m) + "/registry/proposals");
  page["action"] = c.href(municipality_admin_path(m) + "/registry/proposals/" + number);
  page["who"] = p->proposed_by;
  page["when"] = clock::format_utc(p->proposed_at);
  page["pending"] = p->pending;
  if (organization) {
    page["organization_name"] = text_of(*organization, "name");
    page["organization_href"] = c.href(organization_path(m, p->organization_id));
  }
  if (service) page["service_name"] = text_of(*service, "name");
  if (!p->pending) {
    page["decided"] = t.format(c.language, "admin_registry_decided",
                               {{"who", p->decided_by},
                                {"date", clock::format_utc(p->decided_at.value_or(0))}});
  }

  json errors = json::array();
  if (c.request.method() == http::verb::post) {
    if (!p->pending) co_return message(c, 409, "admin_registry_proposal_already_closed");
    std::map<std::string, std::string> accepted;
    json decided = json::object();
    std::vector<registry::FieldError> problems;
    for (const auto& [question, value] : proposed.items()) {
      const std::string choice = field(c.form, "decide_" + question);
      if (choice != "accept" && choice != "reject") {
        problems.push_back({question, "admin_registry_error_decide", ""});
        continue;
      }
      decided[question] = choice == "accept" ? "accepted" : "rejected";
      if (choice == "accept") accepted[question] = value.is_string() ? value.get<std::string>() : "";
    }
    Applied applied;
    if (problems.empty() && !accepted.empty()) {
      applied = apply_values(m_app.m_hsds, r, p->organization_id, p->service_id, accepted,
                             {c.actor(), c.now});
      problems = applied.errors;
    }
    if (problems.empty()) {
      store::AuditEntry entry =
          audit_entry(c, "registry_proposal_decide", m.id, "proposal/" + number, decided.dump());
      const registry::Schemas& schemas = m_app.m_hsds;
      const registry::Author author{c.actor(), c.now};
      const std::int64_t municipality_id = m.id;
      const std::int64_t proposal_id = p->id;
      const std::string decisions_text = decided.dump();
      std::vector<registry::Change> changes = std::move(applied.changes);
      store::Writer::Work save = [&schemas, changes, author, entry, municipality_id, proposal_id,
                                  decisions_text](store::Store& s) {
        auto done = registry::apply_changes(s, schemas, municipality_id, changes, author);
        if (!done) throw std::runtime_error("a proposal's changes were refused");
        store::close_proposal(s, proposal_id, author.email, author.at, decisions_text);
        store::audit(s, entry);
      };
      bool stored = co_await m_app.write(std::move(save));
      if (!stored) co_return message(c, 503, "http.503");
      co_return redirect_response(c.href(municipality_admin_path(m) + "/registry/proposals/" +
                                         number));
    }
    errors = proposal_errors(c, problems);
    show_errors(page, errors);
  }

  json rows = json::array();
  for (const auto& [question, value] : proposed.items()) {
    std::string was;
    for (const auto& f : registry::proposal_fields()) {
      if (f.question == question) was = value_of(current.of(f.kind), f.field);
    }
    const std::string choice = field(c.form, "decide_" + question);
    json row = {{"name", question},
                {"label", field_label(t, c.language, question)},
                {"current", was},
                {"proposed", value.is_string() ? value.get<std::string>() : value.dump()},
                {"accept_checked", choice == "accept"},
                {"reject_checked", choice == "reject"}};
    if (decisions.contains(question)) {
      row["decision"] = t.text(c.language, "admin_registry_decision_" +
                                               decisions[question].get<std::string>());
    }
    if (page.contains("field_errors") && page["field_errors"].contains(question)) {
      row["error"] = page["field_errors"][question];
    }
    rows.push_back(row);
  }
  page["rows"] = rows;
  co_return render(c, errors.empty() ? 200 : 422, "admin_registry_proposal", page);
}

}  // namespace needsmap::web
