// Proposed updates of the registry: the fields the providers' questionnaire
// (questionnaires/providers.json) asks about, how an answer to it becomes values of those fields,
// and how a proposal's values go into the forms of registry/editing.hpp.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "registry/editing.hpp"

namespace needsmap::registry {

// One field a proposal can change: its key in the proposal (the question's name where one
// question gives it), the form (organisation or service) and the form field.
struct ProposalField {
  std::string key;
  RecordKind kind;
  std::string field;
};
const std::vector<ProposalField>& proposal_fields();
const ProposalField* proposal_field(const std::string& key);

// Form fields a proposal holds as lines, one checked value a line: target groups, languages.
bool is_checkbox_field(const std::string& field);

// A form field's value as a proposal holds it: its text, or a checkbox group's values one a
// line in byte order.
std::string proposal_value(const Values& values, const std::string& field);

// The registry's current values of an organisation and (when its id is not empty) one of its
// services, as form fields: what a proposal is compared with and applied to.
struct ProposalTarget {
  Values organization;
  Values service;
  const Values& of(RecordKind kind) const {
    return kind == RecordKind::organization ? organization : service;
  }
  // A field's current value as a proposal holds it.
  std::string value(const ProposalField& f) const { return proposal_value(of(f.kind), f.field); }
};
ProposalTarget proposal_target(const Registry& registry, const std::string& organization_id,
                               const std::string& service_id);

// Puts a proposal's value into a form in place of the field's values.
void set_proposal_value(Values& values, const std::string& field, const std::string& value);

// What an answer to the providers' questionnaire says of the fields of the registry, by key,
// given the service's current form (staff and funding of other years are kept) and the year
// the answer was given in (staff are counted in it; the budget asked about is of the year
// before).
std::map<std::string, std::string> answer_proposal(const Registry& registry, const json& answers,
                                                   const Values& service, int year);

// What an answer says of organisation `organization_id` (and its service `service_id`, when not
// empty) that differs from the registry, by key: the proposal an answer makes.
std::map<std::string, std::string> answer_changes(const Registry& registry, const json& answers,
                                                  const std::string& organization_id,
                                                  const std::string& service_id, int year);

}  // namespace needsmap::registry
