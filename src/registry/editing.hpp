// The registry's records as the admin forms show and change them: an organisation, one of its
// locations (address, phone, opening hours, accessibility) or one of its services (the profile's
// fields, capacity, staff, funding, service type and target groups as attributes, settlements as
// service areas, languages, contacts, cost options, required documents, phone, opening hours,
// where it is provided). A form's values become the changes
// of the record and of its child records (registry/changes.hpp), fields the form does not show
// are kept as they are.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "registry/changes.hpp"

namespace needsmap::registry {

// A form's fields by name; checkbox groups repeat the name.
using Values = std::multimap<std::string, std::string, std::less<>>;

// What is wrong with one field of a form: an i18n key (`admin_registry_error_*`) and, for
// problems the schemas find, their text.
struct FieldError {
  std::string field;
  std::string key;
  std::string detail;
};

// The first value of a field; empty when the form has none.
std::string first_value(const Values& values, const std::string& name);

struct Edit {
  std::vector<Change> changes;
  std::vector<FieldError> errors;
};

enum class RecordKind { organization, location, service };
std::string_view table_of(RecordKind kind);

// The form of a record, filled from the registry (empty for a record it does not have).
Values form_values(const Registry& registry, RecordKind kind, const std::string& id);

// The changes that make record `id` (new or not) of `organization_id` say what `values` say,
// checked against the schemas; `author.at` dates a capacity's update.
Edit record_edit(const Schemas& schemas, const Registry& registry, RecordKind kind,
                 const std::string& id, const std::string& organization_id, const Values& values,
                 const Author& author);

// Marks the record verified: assured_date today and assurer_email the verifier.
Change verification(const Registry& registry, const std::string& table, const std::string& id,
                    const Author& author);

// Removes the record and every record that belongs to it (a service's phones, attributes …, an
// organisation's services and locations with theirs).
std::vector<Change> deletion(const Schemas& schemas, const Registry& registry,
                             const std::string& table, const std::string& id);

// The taxonomies and terms of a taxonomy document (data/registry/taxonomy.json) the registry
// does not have yet.
std::vector<Change> taxonomy_install(const Registry& registry, const json& document);

// A language the service form offers: its ISO 639 code (none where the language has none),
// its name in Serbian, and its name in the providers' questionnaire. A form's checkbox sends
// its key: the code, else the name.
struct LanguageChoice {
  std::string_view choice;
  std::string_view code;
  std::string_view name;
  std::string key() const { return std::string(code.empty() ? name : code); }
};
const std::vector<LanguageChoice>& language_choices();

// A language row's key: its code, else its name.
std::string language_key(const json& row);

}  // namespace needsmap::registry
