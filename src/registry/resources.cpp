#include "registry/resources.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace needsmap::registry {

namespace {

constexpr double unbounded = std::numeric_limits<double>::infinity();
constexpr double per_thousand = 1000.0;

// The profile's funding source types in the order the summary lists them.
constexpr std::array<std::string_view, 7> source_types = {
    "municipal_budget", "earmarked_transfer", "republic", "donor", "eu", "fees", "other"};
constexpr std::string_view unspecified_source = "unspecified";

std::string string_field(const json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number_of(const json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<std::int64_t> integer_of(const json& row, const char* key) {
  auto value = number_of(row, key);
  if (!value) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*value));
}

const std::map<std::string, json>& rows_of(const Registry& registry, const std::string& table) {
  static const std::map<std::string, json> none;
  auto it = registry.tables.find(table);
  return it == registry.tables.end() ? none : it->second;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

// --- Taxonomy terms -------------------------------------------------------------------------

// What a registry's term id means in needsmap's taxonomies: a term of the reference taxonomy by
// its stable id, or by its code in the taxonomy its term_uri or its taxonomy's uri names.
const ReferenceTerm* identify(const Registry& registry, const ReferenceTaxonomy& reference,
                              const std::string& term_id) {
  if (const ReferenceTerm* known = reference.by_id(term_id)) return known;
  const json* term = registry.find("taxonomy_term", term_id);
  if (!term) return nullptr;
  const std::string code = string_field(*term, "code");
  constexpr std::string_view prefix = "urn:needsmap:taxonomy:";
  std::string uri = string_field(*term, "term_uri");
  if (uri.starts_with(prefix) && uri.ends_with(":" + code)) {
    uri.resize(uri.size() - code.size() - 1);
  } else if (const json* taxonomy = registry.find("taxonomy", string_field(*term, "taxonomy_id"))) {
    uri = string_field(*taxonomy, "uri");
  }
  if (!uri.starts_with(prefix)) return nullptr;
  return reference.find(std::string_view(uri).substr(prefix.size()), code);
}

// Each service's linked terms, by service id. The attribute's link_type is not relied on: the
// taxonomy of the term says whether it is a service type or a target group.
std::map<std::string, std::vector<const ReferenceTerm*>> service_terms(
    const Registry& registry, const ReferenceTaxonomy& reference) {
  std::map<std::string, std::vector<const ReferenceTerm*>> out;
  for (const auto& [id, a] : rows_of(registry, "attribute")) {
    const std::string entity = string_field(a, "link_entity");
    if (!entity.empty() && entity != "service") continue;
    const ReferenceTerm* term = identify(registry, reference, string_field(a, "taxonomy_term_id"));
    if (!term) continue;
    auto& terms = out[string_field(a, "link_id")];
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
  }
  return out;
}

// --- Services -------------------------------------------------------------------------------

LicenceStatus licence_status(const json& service, std::string_view today) {
  if (string_field(service, "licence_number").empty()) return LicenceStatus::none;
  // ISO dates compare as text.
  const std::string to = string_field(service, "licence_valid_to");
  const std::string from = string_field(service, "licence_valid_from");
  if (!to.empty() && to < today) return LicenceStatus::expired;
  if (!from.empty() && from > today) return LicenceStatus::not_yet_valid;
  return LicenceStatus::valid;
}

ServiceResources service_resources(const Registry& registry, const std::string& id, const json& row,
                                   const std::vector<const ReferenceTerm*>& terms,
                                   std::string_view today) {
  ServiceResources s{.id = id,
                     .name = string_field(row, "name"),
                     .organization_id = string_field(row, "organization_id"),
                     .organization_name = {},
                     .service_types = {},
                     .target_groups = {},
                     .categories_mk = {},
                     .ages = std::nullopt,
                     .has_capacity = false,
                     .places_available = 0,
                     .places_maximum = 0,
                     .places = 0,
                     .capacity_ids = {},
                     .units = {},
                     .current_users = integer_of(row, "current_users"),
                     .waiting_list = integer_of(row, "waiting_list"),
                     .licence = licence_status(row, today)};
  if (const json* organization = registry.find("organization", s.organization_id)) {
    s.organization_name = string_field(*organization, "name");
  }
  std::optional<AgeRange> group_ages;
  for (const ReferenceTerm* t : terms) {
    if (t->taxonomy == "services_rs") s.service_types.push_back(t->code);
    if (t->taxonomy == "services_mk") s.categories_mk.push_back(t->code);
    if (t->taxonomy != "target_groups") continue;
    s.target_groups.push_back(t->code);
    if (t->ages) group_ages = group_ages ? hull(*group_ages, *t->ages) : *t->ages;
  }
  auto minimum = number_of(row, "minimum_age");
  auto maximum = number_of(row, "maximum_age");
  if (minimum || maximum) {
    s.ages = AgeRange{.minimum = minimum.value_or(0), .maximum = maximum};
  } else {
    s.ages = group_ages;
  }
  for (const auto& [capacity_id, c] : rows_of(registry, "service_capacity")) {
    if (string_field(c, "service_id") != id) continue;
    s.has_capacity = true;
    s.capacity_ids.push_back(capacity_id);
    const double available = number_of(c, "available").value_or(0);
    const auto maximum_places = number_of(c, "maximum");
    s.places_available += available;
    s.places_maximum += maximum_places.value_or(0);
    s.places += maximum_places.value_or(available);
    if (const json* unit = registry.find("unit", string_field(c, "unit_id"))) {
      add_unique(s.units, string_field(*unit, "name"));
    }
  }
  return s;
}

bool counted(const json& service) {
  const std::string status = string_field(service, "status");
  return status != "inactive" && status != "defunct";
}

// --- Population -----------------------------------------------------------------------------

struct Band {
  std::string category;
  double start{0};
  double end{0};  // exclusive, in years; unbounded for "80_plus"
  double population{0};
};

std::optional<double> whole_number(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// "18_29" or "18-29" → [18, 30); "80_plus" or "80+" → [80, ∞).
std::optional<std::pair<double, double>> band_of(std::string_view category) {
  for (std::string_view open : {"_plus", "+", "_and_over"}) {
    if (category.ends_with(open)) {
      auto start = whole_number(category.substr(0, category.size() - open.size()));
      if (start) return std::pair(*start, unbounded);
      return std::nullopt;
    }
  }
  auto separator = category.find_first_of("_-");
  if (separator == std::string_view::npos) return std::nullopt;
  auto start = whole_number(category.substr(0, separator));
  auto last = whole_number(category.substr(separator + 1));
  if (!start || !last || *last < *start) return std::nullopt;
  return std::pair(*start, *last + 1);
}

// The table's age variable and its bands: age_band, age or age_group when one is there, else the
// first variable whose every category is an age band.
std::optional<std::pair<std::string, std::vector<Band>>> age_bands(
    const store::PopulationTable& table) {
  std::map<std::string, std::vector<Band>> candidates;
  std::set<std::string> not_bands;
  std::vector<std::string> order;
  for (const auto& m : table.margins) {
    if (m.variable.find('*') != std::string::npos) continue;
    if (!candidates.contains(m.variable) && !not_bands.contains(m.variable)) {
      order.push_back(m.variable);
    }
    auto band = band_of(m.category);
    if (!band) {
      not_bands.insert(m.variable);
      continue;
    }
    candidates[m.variable].push_back({m.category, band->first, band->second, m.population});
  }
  std::vector<std::string> preferred = {"age_band", "age", "age_group"};
  for (const auto& v : order) add_unique(preferred, v);
  for (const auto& v : preferred) {
    if (candidates.contains(v) && !not_bands.contains(v)) return std::pair(v, candidates[v]);
  }
  return std::nullopt;
}

// --- Rows -----------------------------------------------------------------------------------

void add(ResourceFigures& row, const ServiceResources& s) {
  row.service_ids.push_back(s.id);
  ++row.services;
  if (s.has_capacity) {
    ++row.services_with_capacity;
    row.places_available += s.places_available;
    row.places_maximum += s.places_maximum;
    row.places += s.places;
    row.capacity_ids.insert(row.capacity_ids.end(), s.capacity_ids.begin(), s.capacity_ids.end());
    for (const auto& u : s.units) add_unique(row.units, u);
  }
  if (s.current_users) {
    row.current_users += *s.current_users;
    ++row.services_reporting_users;
  }
  if (s.waiting_list) {
    row.waiting_list += *s.waiting_list;
    ++row.services_reporting_waiting_list;
  }
}

struct RowContext {
  const std::map<std::string, const ServiceResources*>& services;
  const std::optional<store::PopulationTable>& population;
  bool has_age_bands{false};
};

void set_per_thousand(ResourceFigures& row, const RowContext& context) {
  std::optional<AgeRange> ages;
  bool ages_known = true;
  for (const auto& id : row.service_ids) {
    const ServiceResources& s = *context.services.at(id);
    if (!s.has_capacity) continue;
    if (!s.ages) ages_known = false;
    if (s.ages) ages = ages ? hull(*ages, *s.ages) : *s.ages;
  }
  row.ages = ages;
  if (row.services_with_capacity == 0) {
    row.per_1000_gap = PerThousandGap::no_places;
  } else if (!context.population) {
    row.per_1000_gap = PerThousandGap::no_table;
  } else if (!context.has_age_bands) {
    row.per_1000_gap = PerThousandGap::no_age_variable;
  } else if (!ages_known || !ages) {
    row.per_1000_gap = PerThousandGap::ages_unknown;
  } else {
    auto people = population_of_ages(*context.population, *ages);
    if (!people) {
      row.per_1000_gap = people.error();
      return;
    }
    row.population = *people;
    row.places_per_1000 = row.places / people->population * per_thousand;
  }
}

void finish(ResourceFigures& row, const RowContext& context) {
  std::set<std::string> providers;
  std::int64_t users = 0;
  std::int64_t waiting = 0;
  bool both = false;
  for (const auto& id : row.service_ids) {
    const ServiceResources& s = *context.services.at(id);
    if (!s.organization_id.empty()) providers.insert(s.organization_id);
    if (s.current_users && s.waiting_list) {
      users += *s.current_users;
      waiting += *s.waiting_list;
      both = true;
    }
  }
  row.providers = providers.size();
  if (both && users + waiting > 0) {
    row.coverage = static_cast<double>(users) / static_cast<double>(users + waiting);
  }
  set_per_thousand(row, context);
}

// --- Funding and staff ----------------------------------------------------------------------

std::size_t source_rank(const std::string& source) {
  auto it = std::find(source_types.begin(), source_types.end(), source);
  return static_cast<std::size_t>(it - source_types.begin());
}

FundingMix funding_mix(const Registry& registry, std::optional<std::int64_t> year) {
  FundingMix mix;
  std::set<std::int64_t> years;
  for (const auto& [id, f] : rows_of(registry, "funding")) {
    if (auto y = integer_of(f, "year")) years.insert(*y);
  }
  mix.years.assign(years.begin(), years.end());
  mix.year = year ? year : (years.empty() ? std::nullopt : std::optional(*years.rbegin()));
  std::map<std::tuple<std::size_t, std::string, std::string>, FundingSource> sources;
  std::map<std::string, double> totals;  // by currency
  for (const auto& [id, f] : rows_of(registry, "funding")) {
    auto y = integer_of(f, "year");
    auto amount = number_of(f, "amount");
    if (!y || !amount) {
      ++mix.without_year_or_amount;
      continue;
    }
    if (*y != mix.year) continue;
    std::string type = string_field(f, "source_type");
    if (type.empty()) type = unspecified_source;
    const std::string currency = string_field(f, "currency");
    FundingSource& source = sources[{source_rank(type), type, currency}];
    source.source_type = type;
    source.currency = currency;
    source.amount += *amount;
    source.funding_ids.push_back(id);
    totals[currency] += *amount;
  }
  for (auto& [key, source] : sources) {
    const double total = totals[source.currency];
    source.share = total > 0 ? source.amount / total : 0;
    mix.sources.push_back(std::move(source));
  }
  return mix;
}

StaffSummary staff_summary(const Registry& registry) {
  StaffSummary staff;
  for (const auto& [id, s] : rows_of(registry, "staff")) {
    if (auto y = integer_of(s, "year")) staff.year = std::max(staff.year.value_or(*y), *y);
  }
  std::map<std::string, StaffProfession> professions;
  for (const auto& [id, s] : rows_of(registry, "staff")) {
    if (integer_of(s, "year") != staff.year) {
      ++staff.left_out;
      continue;
    }
    const std::string name = string_field(s, "profession");
    StaffProfession& p = professions[name];
    p.profession = name;
    p.full_time_equivalents += number_of(s, "full_time_equivalents").value_or(0);
    p.staff_ids.push_back(id);
    staff.full_time_equivalents += number_of(s, "full_time_equivalents").value_or(0);
  }
  for (auto& [name, p] : professions) staff.professions.push_back(std::move(p));
  return staff;
}

// --- JSON -----------------------------------------------------------------------------------

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json ages_json(const std::optional<AgeRange>& ages) {
  if (!ages) return nullptr;
  return {{"minimum", ages->minimum}, {"maximum", optional_number(ages->maximum)}};
}

json figures_json(const ResourceFigures& r) {
  json row = {{"code", r.code},
              {"services", r.services},
              {"providers", r.providers},
              {"services_with_capacity", r.services_with_capacity},
              {"places_available", r.places_available},
              {"places_maximum", r.places_maximum},
              {"places", r.places},
              {"units", r.units},
              {"current_users", r.current_users},
              {"services_reporting_users", r.services_reporting_users},
              {"waiting_list", r.waiting_list},
              {"services_reporting_waiting_list", r.services_reporting_waiting_list},
              {"coverage", optional_number(r.coverage)},
              {"ages", ages_json(r.ages)},
              {"places_per_1000", optional_number(r.places_per_1000)},
              {"places_per_1000_missing",
               r.places_per_1000 ? json(nullptr) : json(to_string(r.per_1000_gap))},
              {"service_ids", r.service_ids},
              {"capacity_ids", r.capacity_ids}};
  if (!r.group.empty()) row["group"] = r.group;
  if (r.population) {
    json bands = json::array();
    for (const auto& b : r.population->bands) {
      bands.push_back(
          {{"category", b.category}, {"population", b.population}, {"fraction", b.fraction}});
    }
    row["population"] = {{"variable", r.population->variable},
                         {"population", r.population->population},
                         {"apportioned", r.population->apportioned},
                         {"bands", bands}};
  } else {
    row["population"] = nullptr;
  }
  return row;
}

json rows_json(const std::vector<ResourceFigures>& rows) {
  json out = json::array();
  for (const auto& r : rows) out.push_back(figures_json(r));
  return out;
}

}  // namespace

std::string_view to_string(LicenceStatus status) {
  switch (status) {
    case LicenceStatus::valid:
      return "valid";
    case LicenceStatus::expired:
      return "expired";
    case LicenceStatus::not_yet_valid:
      return "not_yet_valid";
    case LicenceStatus::none:
      return "none";
  }
  return "none";
}

std::string_view to_string(PerThousandGap gap) {
  switch (gap) {
    case PerThousandGap::none:
      return "none";
    case PerThousandGap::no_places:
      return "no_places";
    case PerThousandGap::no_table:
      return "no_population_table";
    case PerThousandGap::no_age_variable:
      return "no_age_bands";
    case PerThousandGap::ages_unknown:
      return "ages_unknown";
    case PerThousandGap::ages_not_covered:
      return "ages_not_covered";
  }
  return "none";
}

std::expected<AgePopulation, PerThousandGap> population_of_ages(const store::PopulationTable& table,
                                                                const AgeRange& ages) {
  auto found = age_bands(table);
  if (!found) return std::unexpected(PerThousandGap::no_age_variable);
  auto& [variable, bands] = *found;
  std::sort(bands.begin(), bands.end(),
            [](const Band& a, const Band& b) { return a.start < b.start; });
  const double low = ages.minimum;
  const double high = ages.maximum ? *ages.maximum + 1 : unbounded;
  AgePopulation out{.variable = variable, .bands = {}, .population = 0, .apportioned = false};
  double reached = low;  // the ages up to here are covered
  for (const Band& b : bands) {
    if (b.end <= low || b.start >= high) continue;
    // A gap before this band, or bands that overlap: the table does not say who is where.
    if (b.start > reached || (!out.bands.empty() && b.start < reached)) break;
    const double from = std::max(b.start, low);
    const double to = std::min(b.end, high);
    double fraction = 1;
    if (from != b.start || to != b.end) {
      if (b.end == unbounded) return std::unexpected(PerThousandGap::ages_not_covered);
      fraction = (to - from) / (b.end - b.start);
      out.apportioned = true;
    }
    out.bands.push_back({b.category, b.population, fraction});
    out.population += b.population * fraction;
    reached = to;
  }
  if (reached < high || out.population <= 0) {
    return std::unexpected(PerThousandGap::ages_not_covered);
  }
  return out;
}

ResourceSummary summarize_resources(const Registry& registry, const ReferenceTaxonomy& taxonomy,
                                    const std::optional<store::PopulationTable>& population,
                                    std::string_view today, const SummaryOptions& options) {
  ResourceSummary summary;
  summary.today = std::string(today);
  summary.has_population = population.has_value();
  if (population) {
    summary.population_source = population->source;
    summary.population_demo = population->demo;
  }
  summary.organizations = rows_of(registry, "organization").size();
  const auto terms = service_terms(registry, taxonomy);
  for (const auto& [id, row] : rows_of(registry, "service")) {
    if (!counted(row)) {
      summary.left_out_services.push_back(id);
      continue;
    }
    auto linked = terms.find(id);
    static const std::vector<const ReferenceTerm*> no_terms;
    summary.services.push_back(service_resources(
        registry, id, row, linked == terms.end() ? no_terms : linked->second, today));
  }
  std::map<std::string, const ServiceResources*> by_id;
  for (const auto& s : summary.services) by_id[s.id] = &s;
  RowContext context{.services = by_id,
                     .population = population,
                     .has_age_bands = population && age_bands(*population).has_value()};

  // Rows in the law's order; a service linked to two types of one group counts once in it.
  for (const auto& s : summary.services) add(summary.total, s);
  for (const ReferenceTerm* term : taxonomy.terms("services_rs")) {
    ResourceFigures row;
    row.code = term->code;
    row.group = term->parent;
    for (const auto& s : summary.services) {
      const bool linked = std::ranges::any_of(s.service_types, [&](const std::string& code) {
        if (code == term->code) return true;
        const ReferenceTerm* t = taxonomy.find("services_rs", code);
        return term->parent.empty() && t && t->parent == term->code;
      });
      if (linked) add(row, s);
    }
    if (row.services == 0) continue;
    (term->parent.empty() ? summary.service_groups : summary.service_types).push_back(row);
  }
  for (const auto& s : summary.services) {
    if (s.service_types.empty() && s.categories_mk.empty()) add(summary.unclassified, s);
  }
  // Rows of a flat taxonomy: each term with the services linked to it.
  auto flat_rows = [&](const char* name, auto codes_of) {
    std::vector<ResourceFigures> rows;
    for (const ReferenceTerm* term : taxonomy.terms(name)) {
      ResourceFigures row;
      row.code = term->code;
      for (const auto& s : summary.services) {
        if (std::ranges::find(codes_of(s), term->code) != codes_of(s).end()) add(row, s);
      }
      if (row.services > 0) rows.push_back(std::move(row));
    }
    return rows;
  };
  summary.target_groups = flat_rows(
      "target_groups", [](const ServiceResources& s) -> auto& { return s.target_groups; });
  summary.categories_mk = flat_rows(
      "services_mk", [](const ServiceResources& s) -> auto& { return s.categories_mk; });
  finish(summary.total, context);
  finish(summary.unclassified, context);
  for (auto* rows : {&summary.service_groups, &summary.service_types, &summary.categories_mk,
                     &summary.target_groups}) {
    for (auto& row : *rows) finish(row, context);
  }

  for (LicenceStatus status : {LicenceStatus::valid, LicenceStatus::expired,
                               LicenceStatus::not_yet_valid, LicenceStatus::none}) {
    LicenceCount count{.status = status, .service_ids = {}};
    for (const auto& s : summary.services) {
      if (s.licence == status) count.service_ids.push_back(s.id);
    }
    summary.licences.push_back(std::move(count));
  }
  summary.funding = funding_mix(registry, options.funding_year);
  summary.staff = staff_summary(registry);
  return summary;
}

const ResourceFigures* find_service_type(const ResourceSummary& summary, std::string_view code) {
  for (const auto* rows :
       {&summary.service_types, &summary.service_groups, &summary.categories_mk}) {
    for (const auto& row : *rows) {
      if (row.code == code) return &row;
    }
  }
  return nullptr;
}

const ResourceFigures* find_target_group(const ResourceSummary& summary, std::string_view code) {
  for (const auto& row : summary.target_groups) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

json to_json(const ResourceSummary& summary) {
  json licences = json::object();
  for (const auto& l : summary.licences) {
    licences[std::string(to_string(l.status))] = {{"services", l.service_ids.size()},
                                                  {"service_ids", l.service_ids}};
  }
  json sources = json::array();
  for (const auto& f : summary.funding.sources) {
    sources.push_back({{"source_type", f.source_type},
                       {"currency", f.currency},
                       {"amount", f.amount},
                       {"share", f.share},
                       {"funding_ids", f.funding_ids}});
  }
  json professions = json::array();
  for (const auto& p : summary.staff.professions) {
    professions.push_back({{"profession", p.profession},
                           {"full_time_equivalents", p.full_time_equivalents},
                           {"staff_ids", p.staff_ids}});
  }
  auto year = [](const std::optional<std::int64_t>& y) { return y ? json(*y) : json(nullptr); };
  json population = nullptr;
  if (summary.has_population) {
    population = {{"source", summary.population_source}, {"demo", summary.population_demo}};
  }
  return {{"today", summary.today},
          {"population_table", population},
          {"organizations", summary.organizations},
          {"total", figures_json(summary.total)},
          {"service_groups", rows_json(summary.service_groups)},
          {"service_types", rows_json(summary.service_types)},
          {"categories_mk", rows_json(summary.categories_mk)},
          {"unclassified", figures_json(summary.unclassified)},
          {"target_groups", rows_json(summary.target_groups)},
          {"licences", licences},
          {"funding",
           {{"year", year(summary.funding.year)},
            {"years", summary.funding.years},
            {"sources", sources},
            {"left_out", summary.funding.without_year_or_amount}}},
          {"staff",
           {{"year", year(summary.staff.year)},
            {"full_time_equivalents", summary.staff.full_time_equivalents},
            {"professions", professions},
            {"left_out", summary.staff.left_out}}},
          {"left_out_services", summary.left_out_services}};
}

}  // namespace needsmap::registry
