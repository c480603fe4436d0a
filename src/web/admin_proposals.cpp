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
#include "registry/proposals.hpp"
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

using registry::field_text;
using registry::first_value;

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
  registry::ProposalTarget current = registry::proposal_target(r, organization_id, service_id);
  Applied out;
  for (RecordKind kind : {RecordKind::organization, RecordKind::service}) {
    registry::Values values = current.of(kind);
    std::map<std::string, std::string> question_of;  // form field → proposal key
    for (const auto& f : registry::proposal_fields()) {
      auto it = accepted.find(f.key);
      if (f.kind != kind || it == accepted.end()) continue;
      registry::set_proposal_value(values, f.field, it->second);
      question_of[f.field] = f.key;
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

// Browsers send a textarea's lines with CRLF; the registry keeps LF.
std::string without_carriage_returns(std::string text) {
  std::erase(text, '\r');
  return text;
}

std::string field_label(const Translations& t, const std::string& language,
                        const std::string& key) {
  const registry::ProposalField* f = registry::proposal_field(key);
  return f ? t.text(language, "admin_registry_field_" + f->field) : key;
}

// The value a proposal's form sent for `f`.
std::string sent_value(const collect::FormFields& form, const registry::ProposalField& f) {
  if (registry::is_checkbox_field(f.field)) return registry::proposal_value(form, f.key);
  return text::trim(without_carriage_returns(field(form, f.key)));
}

int year_of(const std::string& yyyy_mm_dd) {
  return std::atoi(yyyy_mm_dd.substr(0, 4).c_str());
}

std::optional<std::int64_t> number_of(const std::string& text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::string Admin::proposal_shown(Context& c, const registry::Registry& r, const std::string& field,
                                  const std::string& value) {
  if (!registry::is_checkbox_field(field)) return value;
  registry::Values none;
  json options = registry_options(c, r, field, "", none);
  std::string out;
  for (const auto& v : text::split_trimmed(value, "\n")) {
    std::string label = v;
    for (const json& o : options) {
      if (o["value"] == v) label = o["label"].get<std::string>();
    }
    out += (out.empty() ? "" : "\n") + label;
  }
  return out;
}

std::string Admin::proposer(Context& c, const store::Proposal& p) {
  if (p.response_id.empty()) return p.proposed_by;
  return m_app.m_translations.format(c.language, "admin_registry_from_answer",
                                     {{"response", p.response_id}, {"who", p.proposed_by}});
}

json Admin::proposal_errors(Context& c, const std::vector<registry::FieldError>& errors) {
  const Translations& t = m_app.m_translations;
  json list = json::array();
  for (const auto& e : errors) {
    std::string message = t.format(
        c.language, e.key, {{"field", field_label(t, c.language, e.field)}, {"detail", e.detail}});
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
  std::string service_id =
      post ? field(c.form, "service")
           : (c.target.query.contains("service") ? c.target.query.at("service") : std::string());
  json services = json::array();
  for (const auto& [sid, s] : r.tables["service"]) {
    if (field_text(s, "organization_id") != organization_id) continue;
    if (service_id.empty()) service_id = sid;
    services.push_back(
        {{"value", sid}, {"label", field_text(s, "name")}, {"selected", sid == service_id}});
  }
  const json* service = r.find("service", service_id);
  if (service && field_text(*service, "organization_id") != organization_id) service = nullptr;
  if (!service) service_id.clear();

  registry::ProposalTarget current = registry::proposal_target(r, organization_id, service_id);
  json page = frame(c, t.text(c.language, "admin_registry_propose"));
  page["organization_name"] = field_text(*organization, "name");
  page["action"] = c.href(organization_path(m, organization_id) + "/propose");
  page["services"] = services;
  page["has_services"] = !services.empty();
  page["service_id"] = service_id;

  std::map<std::string, std::string> proposed;
  json errors = json::array();
  if (post) {
    for (const auto& f : registry::proposal_fields()) {
      // A field the form did not send is not proposed to be emptied.
      if ((f.kind == RecordKind::service && service_id.empty()) || !c.form.contains(f.key)) {
        continue;
      }
      std::string value = sent_value(c.form, f);
      if (value != current.value(f)) proposed[f.key] = value;
    }
    std::vector<registry::FieldError> problems;
    if (proposed.empty()) problems.push_back({"_form", "admin_registry_error_unchanged", ""});
    Applied check =
        apply_values(m_app.m_hsds, r, organization_id, service_id, proposed, {c.actor(), c.now});
    problems.insert(problems.end(), check.errors.begin(), check.errors.end());
    if (problems.empty()) {
      json fields = json::object();
      for (const auto& [q, v] : proposed) fields[q] = v;
      const std::string by_contact;  // no survey response
      std::optional<std::int64_t> stored =
          co_await save_proposal(c, m, organization_id, service_id, fields, by_contact);
      if (!stored) co_return message(c, 503, "http.503");
      co_return message(c, 200, "admin_registry_proposed");
    }
    errors = proposal_errors(c, problems);
    show_errors(page, errors);
  }
  json fields = json::array();
  for (const auto& f : registry::proposal_fields()) {
    if (f.kind == RecordKind::service && service_id.empty()) continue;
    registry::Values shown;
    registry::set_proposal_value(shown, f.field, post ? sent_value(c.form, f) : current.value(f));
    json item = {{"name", f.key},
                 {"label", t.text(c.language, "admin_registry_field_" + f.field)},
                 {"value", first_value(shown, f.field)}};
    if (registry::is_checkbox_field(f.field)) {
      item["is_checkboxes"] = true;
      item["sent_when_empty"] = true;
      item["options"] = registry_options(c, r, f.field, organization_id, shown);
      item["has_options"] = !item["options"].empty();
    } else if (f.field == "settlements" || f.field == "staff" || f.field == "funding") {
      item["is_textarea"] = true;
      item["hint"] = t.text(c.language, "admin_registry_hint_" + f.field);
    } else {
      item["is_input"] = true;
      item["type"] = "text";
    }
    if (page.contains("field_errors") && page["field_errors"].contains(f.key)) {
      item["error"] = page["field_errors"][f.key];
    }
    fields.push_back(item);
  }
  page["fields"] = fields;
  co_return render(c, errors.empty() ? 200 : 422, "admin_registry_propose", page);
}

namespace {

// A proposal by the signed-in user, not yet decided, with no fields yet.
store::Proposal pending_proposal(const std::string& actor, std::int64_t now,
                                 std::int64_t municipality_id, const std::string& organization_id,
                                 const std::string& service_id) {
  return {.id = 0,
          .municipality_id = municipality_id,
          .organization_id = organization_id,
          .service_id = service_id,
          .proposed_by = actor,
          .proposed_at = now,
          .fields = "",
          .pending = true,
          .decided_by = "",
          .decided_at = std::nullopt,
          .decisions = "",
          .response_id = ""};
}

}  // namespace

asio::awaitable<std::optional<std::int64_t>> Admin::save_proposal(
    Context& c, const store::Municipality& m, const std::string& organization_id,
    const std::string& service_id, const json& fields, const std::string& response_id) {
  store::Proposal p = pending_proposal(c.actor(), c.now, m.id, organization_id, service_id);
  p.fields = fields.dump();
  p.response_id = response_id;
  store::AuditEntry entry =
      audit_entry(c, "registry_propose", m.id, "organization/" + organization_id,
                  response_id.empty() ? "" : "response=" + response_id);
  auto id = std::make_shared<std::int64_t>(0);
  store::Writer::Work save = [p, entry, id](store::Store& s) {
    *id = store::add_proposal(s, p);
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(save));
  if (!stored) co_return std::nullopt;
  co_return *id;
}

std::function<void(store::Store&, const store::ResponseRecord&)> Admin::proposal_with_answer(
    Context& c, const store::Municipality& m, const std::string& organization_id,
    const std::string& service_id) {
  store::Proposal p = pending_proposal(c.actor(), c.now, m.id, organization_id, service_id);
  store::AuditEntry entry =
      audit_entry(c, "registry_propose", m.id, "organization/" + organization_id, "");
  return [p, entry](store::Store& s, const store::ResponseRecord& response) mutable {
    // The registry as it is when the answer is stored, in the same transaction.
    registry::Registry r = registry::load_registry(s, p.municipality_id);
    json fields = json::object();
    for (const auto& [key, value] : registry::answer_changes(
             r, json::parse(response.answers, nullptr, false), p.organization_id, p.service_id,
             year_of(response.submitted_on))) {
      fields[key] = value;
    }
    p.fields = fields.dump();
    p.response_id = response.id;
    entry.details = "response=" + response.id;
    store::add_proposal(s, p);
    store::audit(s, entry);
  };
}

std::vector<store::ResponseRecord> Admin::survey_answers(const store::Municipality& m) {
  store::Store& store = m_app.reader();
  std::vector<std::string> used = store::proposal_responses(store, m.id);
  std::vector<store::ResponseRecord> out;
  for (const auto& campaign : store.list_campaigns(m.id)) {
    auto q = questionnaire_of(campaign);
    if (!q || q->name() != "providers") continue;
    store.for_each_response(campaign.id, [&](const store::ResponseRecord& r) {
      if (!std::binary_search(used.begin(), used.end(), r.id)) out.push_back(r);
    });
  }
  return out;
}

Response Admin::proposals(Context& c, const store::Municipality& m, const json& errors) {
  const Translations& t = m_app.m_translations;
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  json page = registry_frame(c, m, t.text(c.language, "admin_registry_proposals"));
  if (!errors.empty()) show_errors(page, errors);
  json rows = json::array();
  for (const auto& p : store::list_proposals(m_app.reader(), m.id)) {
    const json* o = r.find("organization", p.organization_id);
    rows.push_back({{"href", c.href(municipality_admin_path(m) + "/registry/proposals/" +
                                    std::to_string(p.id))},
                    {"number", std::to_string(p.id)},
                    {"organization", o ? field_text(*o, "name") : p.organization_id},
                    {"who", proposer(c, p)},
                    {"when", clock::format_utc(p.proposed_at)},
                    {"status", t.text(c.language, p.pending ? "admin_registry_proposal_pending"
                                                            : "admin_registry_proposal_closed")}});
  }
  page["proposals"] = rows;
  page["has_proposals"] = !rows.empty();

  // Answers to the providers' survey, each to be attached to an organisation (and a service).
  json targets = json::array();
  for (const auto& [oid, o] : r.tables["organization"]) {
    targets.push_back({{"value", oid + "/"}, {"label", field_text(o, "name")}});
    for (const auto& [sid, s] : r.tables["service"]) {
      if (field_text(s, "organization_id") != oid) continue;
      targets.push_back({{"value", oid + "/" + sid},
                         {"label", field_text(o, "name") + " — " + field_text(s, "name")}});
    }
  }
  json answers = json::array();
  for (const auto& a : survey_answers(m)) {
    json given = json::parse(a.answers, nullptr, false);
    std::string name = given.is_object() ? field_text(given, "org_name") : "";
    answers.push_back({{"id", a.id},
                       {"name", name},
                       {"submitted_on", a.submitted_on},
                       {"field", "target-" + a.id}});
  }
  page["answers"] = answers;
  page["has_answers"] = !answers.empty();
  page["targets"] = targets;
  page["has_targets"] = !targets.empty();
  page["answer_action"] = c.href(municipality_admin_path(m) + "/registry/proposals/from-answer");
  return render(c, errors.empty() ? 200 : 422, "admin_registry_proposals", page);
}

asio::awaitable<Response> Admin::proposal_from_answer(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  const std::string response_id = field(c.form, "response");
  const std::string target = field(c.form, "target");
  std::optional<store::ResponseRecord> answer;
  for (auto& a : survey_answers(m)) {
    if (a.id == response_id) answer = std::move(a);
  }
  if (!answer) co_return message(c, 404, "http.404");
  registry::Registry r = registry::load_registry(m_app.reader(), m.id);
  const auto slash = target.find('/');
  const std::string organization_id = target.substr(0, slash);
  const std::string service_id = slash == std::string::npos ? "" : target.substr(slash + 1);
  const json* service = r.find("service", service_id);
  if (slash == std::string::npos || !r.find("organization", organization_id) ||
      (!service_id.empty() &&
       (!service || field_text(*service, "organization_id") != organization_id))) {
    co_return proposals(
        c, m,
        json::array({error_item("target-" + response_id,
                                t.text(c.language, "admin_registry_error_target"))}));
  }
  // The answers the registry has a field for, where they differ from it.
  json given = json::parse(answer->answers, nullptr, false);
  json fields = json::object();
  for (const auto& [key, value] : registry::answer_changes(r, given, organization_id, service_id,
                                                           year_of(answer->submitted_on))) {
    fields[key] = value;
  }
  std::optional<std::int64_t> id =
      co_await save_proposal(c, m, organization_id, service_id, fields, answer->id);
  if (!id) co_return message(c, 503, "http.503");
  co_return redirect_response(
      c.href(municipality_admin_path(m) + "/registry/proposals/" + std::to_string(*id)));
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
  registry::ProposalTarget current =
      registry::proposal_target(r, p->organization_id, p->service_id);
  const json* organization = r.find("organization", p->organization_id);
  const json* service = r.find("service", p->service_id);

  const std::string title = t.format(c.language, "admin_registry_proposal", {{"number", number}});
  json page = registry_frame(c, m, title);
  page["heading"] = title;
  page["proposals_href"] = c.href(municipality_admin_path(m) + "/registry/proposals");
  page["action"] = c.href(municipality_admin_path(m) + "/registry/proposals/" + number);
  page["who"] = proposer(c, *p);
  page["when"] = clock::format_utc(p->proposed_at);
  page["pending"] = p->pending;
  if (organization) {
    page["organization_name"] = field_text(*organization, "name");
    page["organization_href"] = c.href(organization_path(m, p->organization_id));
  }
  if (service) page["service_name"] = field_text(*service, "name");
  if (!p->pending) {
    page["decided"] =
        t.format(c.language, "admin_registry_decided",
                 {{"who", p->decided_by}, {"date", clock::format_utc(p->decided_at.value_or(0))}});
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
      if (choice == "accept")
        accepted[question] = value.is_string() ? value.get<std::string>() : "";
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
      co_return redirect_response(
          c.href(municipality_admin_path(m) + "/registry/proposals/" + number));
    }
    errors = proposal_errors(c, problems);
    show_errors(page, errors);
  }

  json rows = json::array();
  for (const auto& [question, value] : proposed.items()) {
    const registry::ProposalField* f = registry::proposal_field(question);
    const std::string was = f ? current.value(*f) : "";
    const std::string now = value.is_string() ? value.get<std::string>() : value.dump();
    const std::string choice = field(c.form, "decide_" + question);
    json row = {{"name", question},
                {"label", field_label(t, c.language, question)},
                {"current", f ? proposal_shown(c, r, f->field, was) : was},
                {"proposed", f ? proposal_shown(c, r, f->field, now) : now},
                {"accept_checked", choice == "accept"},
                {"reject_checked", choice == "reject"}};
    if (decisions.contains(question)) {
      row["decision"] =
          t.text(c.language, "admin_registry_decision_" + decisions[question].get<std::string>());
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
