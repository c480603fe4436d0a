#include "registry/proposals.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace needsmap::registry {

namespace {

// The staff questions and the profession each counts, in full-time equivalents.
constexpr std::pair<const char*, const char*> staff_questions[] = {
    {"fte_social_workers", "social_worker"},
    {"fte_psychologists", "psychologist"},
    {"fte_educators", "educator"},
    {"fte_health", "health_worker"},
    {"fte_carers", "caregiver"},
    {"fte_assistants", "personal_assistant"},
    {"fte_other", "other"}};

// The questionnaire's funding sources as the profile's source types.
std::string source_type_of(const std::string& choice) {
  for (const char* known :
       {"municipal_budget", "earmarked_transfer", "republic", "donor", "eu", "fees"}) {
    if (choice == known) return choice;
  }
  return "other";  // own income, private donations and sources named by the provider
}

std::string answer_text(const json& answer) {
  if (answer.is_string()) return text::trim(answer.get<std::string>());
  if (answer.is_number()) return answer.dump();
  return "";
}

// A multiple-choice answer's choices: a list, or names separated by spaces (ODK's way).
std::vector<std::string> answer_choices(const json& answer) {
  if (answer.is_array()) {
    std::vector<std::string> out;
    for (const json& a : answer) {
      if (a.is_string()) out.push_back(a.get<std::string>());
    }
    return out;
  }
  return answer.is_string() ? text::split_trimmed(answer.get<std::string>(), " ")
                            : std::vector<std::string>{};
}

std::optional<double> answer_number(const json& answers, const char* name) {
  auto it = answers.find(name);
  if (it == answers.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  return std::nullopt;
}

std::string number_text(double n) {
  if (n == static_cast<double>(static_cast<std::int64_t>(n))) {
    return std::to_string(static_cast<std::int64_t>(n));
  }
  return json(n).dump();
}

std::string joined_sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

// The lines of a "…; year; …" field whose year (the field at `year_at`) is not `year`.
std::vector<std::string> lines_of_other_years(const Values& service, const std::string& field,
                                              std::size_t year_at, int year) {
  std::vector<std::string> out;
  for (const auto& line : text::split_trimmed(first_value(service, field), "\n")) {
    auto parts = text::split_trimmed(line, ";");
    if (parts.size() <= year_at || parts[year_at] != std::to_string(year)) out.push_back(line);
  }
  return out;
}

std::optional<std::string> staff_value(const json& answers, const Values& service, int year) {
  std::vector<std::string> lines = lines_of_other_years(service, "staff", 2, year);
  bool asked = false;
  for (const auto& [question, profession] : staff_questions) {
    auto fte = answer_number(answers, question);
    if (!fte) continue;
    asked = true;
    if (*fte > 0) {
      lines.push_back(std::string(profession) + "; " + number_text(*fte) + "; " +
                      std::to_string(year));
    }
  }
  if (!asked) return std::nullopt;
  return joined_sorted(lines);
}

std::optional<std::string> funding_value(const json& answers, const Values& service, int year) {
  auto sources = answers.find("funding_sources");
  if (sources == answers.end()) return std::nullopt;
  const int budget_year = year - 1;
  std::set<std::string> types;
  for (const auto& choice : answer_choices(*sources)) types.insert(source_type_of(choice));
  std::vector<std::string> lines = lines_of_other_years(service, "funding", 1, budget_year);
  // The budget is one total: it is a source's amount only when there is one source.
  auto budget = answer_number(answers, "annual_budget");
  for (const auto& type : types) {
    std::string line = type + "; " + std::to_string(budget_year);
    if (types.size() == 1 && budget && *budget > 0) line += "; " + number_text(*budget);
    lines.push_back(line);
  }
  return joined_sorted(lines);
}

// Catalog codes of the vulnerable groups as the ids of the target group terms of those codes.
std::optional<std::string> target_groups_value(const Registry& registry, const json& answers) {
  auto groups = answers.find("target_groups");
  if (groups == answers.end()) return std::nullopt;
  std::set<std::string> codes;
  for (const auto& code : answer_choices(*groups)) codes.insert(code);
  std::vector<std::string> ids;
  std::string taxonomy_id;
  if (auto taxonomies = registry.tables.find("taxonomy"); taxonomies != registry.tables.end()) {
    for (const auto& [id, t] : taxonomies->second) {
      if (field_text(t, "uri") == "urn:needsmap:taxonomy:target_groups") taxonomy_id = id;
    }
  }
  if (auto terms = registry.tables.find("taxonomy_term"); terms != registry.tables.end()) {
    for (const auto& [id, term] : terms->second) {
      if (field_text(term, "taxonomy_id") == taxonomy_id &&
          codes.contains(field_text(term, "code"))) {
        ids.push_back(id);
      }
    }
  }
  return joined_sorted(ids);
}

std::optional<std::string> languages_value(const json& answers) {
  auto languages = answers.find("languages");
  if (languages == answers.end()) return std::nullopt;
  std::vector<std::string> keys;
  for (const auto& choice : answer_choices(*languages)) {
    for (const auto& l : language_choices()) {
      if (l.choice == choice) keys.push_back(l.key());
    }
  }
  return joined_sorted(keys);
}

}  // namespace

const std::vector<ProposalField>& proposal_fields() {
  static const std::vector<ProposalField> fields = {
      {"org_name", RecordKind::organization, "name"},
      {"sector", RecordKind::organization, "sector"},
      {"licence_number", RecordKind::service, "licence_number"},
      {"licence_valid_until", RecordKind::service, "licence_valid_to"},
      {"capacity_places", RecordKind::service, "capacity_maximum"},
      {"current_users", RecordKind::service, "current_users"},
      {"waiting_count", RecordKind::service, "waiting_list"},
      {"area_settlements", RecordKind::service, "settlements"},
      {"target_groups", RecordKind::service, "target_groups"},
      {"languages", RecordKind::service, "languages"},
      {"staff", RecordKind::service, "staff"},
      {"funding", RecordKind::service, "funding"},
  };
  return fields;
}

const ProposalField* proposal_field(const std::string& key) {
  for (const auto& f : proposal_fields()) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

bool is_checkbox_field(const std::string& field) {
  return field == "target_groups" || field == "languages";
}

std::string proposal_value(const Values& values, const std::string& field) {
  if (!is_checkbox_field(field)) return text::trim(first_value(values, field));
  std::vector<std::string> checked;
  auto [from, to] = values.equal_range(field);
  for (auto it = from; it != to; ++it) {
    std::string v = text::trim(it->second);
    if (!v.empty()) checked.push_back(v);
  }
  return joined_sorted(checked);
}

void set_proposal_value(Values& values, const std::string& field, const std::string& value) {
  values.erase(field);
  if (!is_checkbox_field(field)) {
    values.emplace(field, value);
    return;
  }
  for (const auto& v : text::split_trimmed(value, "\n")) values.emplace(field, v);
}

std::map<std::string, std::string> answer_proposal(const Registry& registry, const json& answers,
                                                   const Values& service, int year) {
  std::map<std::string, std::string> out;
  if (!answers.is_object()) return out;
  for (const auto& f : proposal_fields()) {
    auto it = answers.find(f.key);
    if (it == answers.end() || is_checkbox_field(f.field) || f.field == "staff" ||
        f.field == "funding") {
      continue;
    }
    out[f.key] = answer_text(*it);
  }
  // Without a waiting list, no one is waiting.
  if (answers.value("waiting_list", json()) == "no") out["waiting_count"] = "0";
  if (auto v = target_groups_value(registry, answers)) out["target_groups"] = *v;
  if (auto v = languages_value(answers)) out["languages"] = *v;
  if (auto v = staff_value(answers, service, year)) out["staff"] = *v;
  if (auto v = funding_value(answers, service, year)) out["funding"] = *v;
  return out;
}

ProposalTarget proposal_target(const Registry& registry, const std::string& organization_id,
                               const std::string& service_id) {
  return {form_values(registry, RecordKind::organization, organization_id),
          service_id.empty() ? Values{} : form_values(registry, RecordKind::service, service_id)};
}

std::map<std::string, std::string> answer_changes(const Registry& registry, const json& answers,
                                                  const std::string& organization_id,
                                                  const std::string& service_id, int year) {
  const ProposalTarget now = proposal_target(registry, organization_id, service_id);
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : answer_proposal(registry, answers, now.service, year)) {
    const ProposalField* f = proposal_field(key);
    if (f->kind == RecordKind::service && service_id.empty()) continue;
    if (value != now.value(*f)) out[key] = value;
  }
  return out;
}

}  // namespace needsmap::registry
