// The registry's resource summary (/admin/m/{m}/registry/summary): places, users and waiting
// lists by service type and target group, places per 1,000 inhabitants of the services' ages,
// licences, the funding mix of a year and staff by profession — tables, each beside a bar chart
// of its main figure, and the services every row sums; `?format=csv` downloads the same figures
// with the records behind each one. Read-only: nothing here changes the registry.

#include <cmath>
#include <sstream>

#include "collect/export_csv.hpp"
#include "registry/resources.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/charts.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

using json = nlohmann::json;
using registry::ResourceFigures;
using registry::ResourceSummary;

namespace {

// Bars of values with one decimal (places per 1,000) are drawn in tenths.
constexpr double tenths = 10;
constexpr double per_mille = 1000;

// A whole number with a thin no-break space between thousands ("3 000 000"), else one decimal.
std::string number_text(double value) {
  if (std::abs(value - std::round(value)) > 1e-9) return decimal_text(value);
  std::string digits = std::to_string(std::llabs(std::llround(value)));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202f";
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

// Places as "available / maximum"; a dash for no capacity recorded, or no maximum.
std::string places_text(bool has_capacity, double available, double maximum) {
  if (!has_capacity) return "—";
  return number_text(available) + " / " + (maximum > 0 ? number_text(maximum) : "—");
}

std::string ages_text(const std::optional<registry::AgeRange>& ages) {
  if (!ages) return "";
  const std::string from = number_text(ages->minimum);
  return ages->maximum ? from + "–" + number_text(*ages->maximum) : from + "+";
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// The population figures a row divides by, as "5 200 (age_band: 65_79, 80_plus)"; a band only
// partly counted shows the part, "18_29 × 67 %".
std::string population_basis(const registry::AgePopulation& p) {
  std::vector<std::string> bands;
  for (const auto& b : p.bands) {
    bands.push_back(b.fraction < 1 ? b.category + " × " + percent_text(b.fraction) : b.category);
  }
  return number_text(std::round(p.population)) + " (" + p.variable + ": " + joined(bands, ", ") +
         ")";
}

// One line of the CSV download: which table and row, the figure, its value and the records.
struct CsvLine {
  std::string table, code, label, figure, value, records;
};

std::string csv_text(const std::vector<CsvLine>& lines) {
  std::string out = "table,code,label,figure,value,records\r\n";
  for (const auto& l : lines) {
    for (const std::string* field : {&l.table, &l.code, &l.label, &l.figure, &l.value}) {
      collect::append_csv_field(out, *field);
      out += ',';
    }
    collect::append_csv_field(out, l.records);
    out += "\r\n";
  }
  return out;
}

std::string plain_number(double value) {
  std::ostringstream out;
  out.precision(12);
  out << value;
  return out.str();
}

void figures_csv(std::vector<CsvLine>& lines, const std::string& table, const std::string& label,
                 const ResourceFigures& r) {
  auto line = [&](const char* figure, std::string value, const std::vector<std::string>& ids) {
    lines.push_back({table, r.code, label, figure, std::move(value), joined(ids, " ")});
  };
  line("services", std::to_string(r.services), r.service_ids);
  line("providers", std::to_string(r.providers), r.service_ids);
  line("places_available", plain_number(r.places_available), r.capacity_ids);
  line("places_maximum", plain_number(r.places_maximum), r.capacity_ids);
  line("current_users", std::to_string(r.current_users), r.service_ids);
  line("waiting_list", std::to_string(r.waiting_list), r.service_ids);
  if (r.coverage) line("coverage", plain_number(*r.coverage), r.service_ids);
  if (r.places_per_1000 && r.population) {
    line("places_per_1000", plain_number(*r.places_per_1000), r.capacity_ids);
    std::vector<std::string> bands;
    for (const auto& b : r.population->bands) {
      bands.push_back(r.population->variable + "=" + b.category +
                      (b.fraction < 1 ? "*" + plain_number(b.fraction) : ""));
    }
    line("population", plain_number(r.population->population), bands);
  } else {
    line("places_per_1000_missing", std::string(to_string(r.per_1000_gap)), {});
  }
}

}  // namespace

Response Admin::resources(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::optional<std::int64_t> year;
  if (auto asked = c.target.query.find("year"); asked != c.target.query.end()) {
    if (!asked->second.empty()) {
      year = whole_number(asked->second);
      if (!year) return message(c, 400, "admin_resources_bad_year");
    }
  }
  const ResourceSummary s = m_app.resource_summary(m, year);
  std::map<std::string, const registry::ServiceResources*> services;
  for (const auto& service : s.services) services[service.id] = &service;
  auto label = [&](const std::string& code) { return m_app.term_label(code, lang); };
  auto gap_text = [&](registry::PerThousandGap gap) {
    return t.text(lang, "admin_resources_gap_" + std::string(to_string(gap)));
  };
  const std::string path = municipality_admin_path(m) + "/registry/summary";

  if (c.target.query.contains("format")) {
    std::vector<CsvLine> lines;
    figures_csv(lines, "total", t.text(lang, "admin_resources_all"), s.total);
    for (const auto& r : s.service_groups) figures_csv(lines, "service_groups", label(r.code), r);
    for (const auto& r : s.service_types) figures_csv(lines, "service_types", label(r.code), r);
    if (s.unclassified.services > 0) {
      figures_csv(lines, "unclassified", t.text(lang, "admin_resources_unclassified"),
                  s.unclassified);
    }
    for (const auto& r : s.target_groups) figures_csv(lines, "target_groups", label(r.code), r);
    for (const auto& l : s.licences) {
      const std::string status(to_string(l.status));
      lines.push_back({"licences", status, t.text(lang, "admin_resources_licence_" + status),
                       "services", std::to_string(l.service_ids.size()),
                       joined(l.service_ids, " ")});
    }
    const std::string funding_year = s.funding.year ? std::to_string(*s.funding.year) : "";
    for (const auto& f : s.funding.sources) {
      const std::string name = t.text(lang, "admin_resources_source_" + f.source_type);
      const std::string records = joined(f.funding_ids, " ");
      lines.push_back({"funding_" + funding_year, f.source_type, name, "amount_" + f.currency,
                       plain_number(f.amount), records});
      lines.push_back({"funding_" + funding_year, f.source_type, name, "share",
                       plain_number(f.share), records});
    }
    const std::string staff_year = s.staff.year ? std::to_string(*s.staff.year) : "";
    for (const auto& p : s.staff.professions) {
      lines.push_back({"staff_" + staff_year, p.profession, p.profession, "full_time_equivalents",
                       plain_number(p.full_time_equivalents), joined(p.staff_ids, " ")});
    }
    return csv_download(csv_text(lines), "resources-" + m.slug + ".csv");
  }

  json page = frame(c, t.text(lang, "admin_resources"));
  page["municipality"] = municipality_name(m, lang);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["today"] = s.today;
  if (s.empty()) {
    page["empty"] = true;
    page["import_command"] = "needsmap registry import --db DB --municipality " + m.slug +
                             " --format json registry.json";
    return render(c, 200, "admin_resources", page);
  }
  page["has_registry"] = true;
  page["download_href"] = c.href(path) + "&format=csv";
  if (c.may(access::Action::manage_analysis, m.id)) {
    page["population_href"] = c.href(municipality_admin_path(m) + "/population");
  }
  if (s.has_population) {
    page["population_source"] = s.population_source;
    page["population_demo"] = s.population_demo;
  }
  page["totals"] = json::array({
      {{"label", t.text(lang, "admin_resources_organizations")},
       {"value", std::to_string(s.organizations)}},
      {{"label", t.text(lang, "admin_resources_services")},
       {"value", std::to_string(s.total.services)}},
      {{"label", t.text(lang, "admin_resources_places")},
       {"value",
        number_text(s.total.places_available) + " / " + number_text(s.total.places_maximum)}},
      {{"label", t.text(lang, "admin_resources_users")},
       {"value", std::to_string(s.total.current_users)}},
      {{"label", t.text(lang, "admin_resources_waiting")},
       {"value", std::to_string(s.total.waiting_list)}},
  });

  auto service_names = [&](const std::vector<std::string>& ids) {
    std::vector<std::string> names;
    for (const auto& id : ids) {
      auto it = services.find(id);
      names.push_back(it == services.end() ? id : it->second->name);
    }
    return joined(names, "; ");
  };
  auto row_json = [&](const ResourceFigures& r, const std::string& name, bool group) {
    json row = {
        {"label", name},
        {"group", group},
        {"services", std::to_string(r.services)},
        {"providers", std::to_string(r.providers)},
        {"places", places_text(r.services_with_capacity > 0, r.places_available, r.places_maximum)},
        {"users", std::to_string(r.current_users)},
        {"waiting", std::to_string(r.waiting_list)},
        {"coverage", r.coverage ? percent_text(*r.coverage) : "—"},
        {"ages", ages_text(r.ages)},
        {"service_names", service_names(r.service_ids)}};
    if (r.places_per_1000 && r.population) {
      row["per_1000"] = decimal_text(*r.places_per_1000);
      row["basis"] = t.format(
          lang, "admin_resources_basis",
          {{"places", number_text(r.places)}, {"population", population_basis(*r.population)}});
    } else {
      row["per_1000"] = "—";
      row["basis"] = gap_text(r.per_1000_gap);
    }
    return row;
  };
  auto chart = [&](const std::string& title, const json& rows,
                   const std::vector<const ResourceFigures*>& figures) {
    std::vector<Bar> bars;
    for (std::size_t i = 0; i < figures.size(); ++i) {
      if (!figures[i]->places_per_1000) continue;
      bars.push_back({.label = rows[i]["label"].get<std::string>(),
                      .value = std::llround(*figures[i]->places_per_1000 * tenths),
                      .hidden = false,
                      .text = decimal_text(*figures[i]->places_per_1000),
                      .muted = false});
    }
    return bars.empty() ? json(nullptr) : bar_chart(title, bars);
  };

  // Service types: each group of the law, then its services.
  json type_rows = json::array();
  std::vector<const ResourceFigures*> type_figures;
  for (const auto& g : s.service_groups) {
    type_rows.push_back(row_json(g, label(g.code), true));
    type_figures.push_back(&g);
    for (const auto& r : s.service_types) {
      if (r.group != g.code) continue;
      type_rows.push_back(row_json(r, label(r.code), false));
      type_figures.push_back(&r);
    }
  }
  if (s.unclassified.services > 0) {
    type_rows.push_back(
        row_json(s.unclassified, t.text(lang, "admin_resources_unclassified"), true));
    type_figures.push_back(&s.unclassified);
  }
  type_rows.push_back(row_json(s.total, t.text(lang, "admin_resources_all"), true));
  type_figures.push_back(&s.total);
  page["type_rows"] = type_rows;
  page["type_chart"] = chart(t.text(lang, "admin_resources_chart_types"), type_rows, type_figures);

  // Flat tables: North Macedonia's categories, target groups; each only when services have them.
  json sections = json::array();
  for (const auto& [id, rows] : {std::pair{"categories_mk", &s.categories_mk},
                                 std::pair{"target_groups", &s.target_groups}}) {
    json section_rows = json::array();
    std::vector<const ResourceFigures*> figures;
    for (const auto& r : *rows) {
      section_rows.push_back(row_json(r, label(r.code), false));
      figures.push_back(&r);
    }
    if (figures.empty()) continue;
    const std::string key = "admin_resources_" + std::string(id);
    sections.push_back({{"id", id},
                        {"title", t.text(lang, key)},
                        {"column", t.text(lang, key + "_column")},
                        {"rows", section_rows},
                        {"chart", chart(t.text(lang, key + "_chart"), section_rows, figures)}});
  }
  page["sections"] = sections;

  json licence_rows = json::array();
  std::vector<Bar> licence_bars;
  for (const auto& l : s.licences) {
    const std::string name =
        t.text(lang, "admin_resources_licence_" + std::string(to_string(l.status)));
    licence_rows.push_back({{"label", name},
                            {"services", std::to_string(l.service_ids.size())},
                            {"service_names", service_names(l.service_ids)}});
    licence_bars.push_back({.label = name,
                            .value = static_cast<std::int64_t>(l.service_ids.size()),
                            .hidden = false,
                            .text = std::to_string(l.service_ids.size()),
                            .muted = l.status == registry::LicenceStatus::none});
  }
  page["licence_rows"] = licence_rows;
  page["licence_chart"] = bar_chart(t.text(lang, "admin_resources_licences"), licence_bars);

  if (s.funding.year) {
    page["funding_year"] = std::to_string(*s.funding.year);
    json years = json::array();
    for (auto y : s.funding.years) {
      years.push_back({{"value", std::to_string(y)}, {"selected", y == *s.funding.year}});
    }
    page["funding_years"] = years;
    page["action"] = c.href(path);
    json rows = json::array();
    std::vector<Bar> bars;
    for (const auto& f : s.funding.sources) {
      const std::string name = t.text(lang, "admin_resources_source_" + f.source_type);
      rows.push_back({{"label", name},
                      {"amount", number_text(std::round(f.amount))},
                      {"currency", f.currency},
                      {"share", percent_text(f.share)}});
      bars.push_back({.label = name + (f.currency.empty() ? "" : " (" + f.currency + ")"),
                      .value = std::llround(f.share * per_mille),
                      .hidden = false,
                      .text = percent_text(f.share),
                      .muted = false});
    }
    page["funding_rows"] = rows;
    page["has_funding_rows"] = !rows.empty();
    page["funding_chart"] = bars.empty() ? json(nullptr)
                                         : bar_chart(t.format(lang, "admin_resources_funding_title",
                                                              {{"year", *s.funding.year}}),
                                                     bars);
  }
  if (!s.staff.professions.empty()) {
    json rows = json::array();
    for (const auto& p : s.staff.professions) {
      rows.push_back(
          {{"profession", p.profession}, {"fte", decimal_text(p.full_time_equivalents)}});
    }
    page["staff_rows"] = rows;
    page["staff_total"] = decimal_text(s.staff.full_time_equivalents);
    page["staff_year"] = s.staff.year ? std::to_string(*s.staff.year) : "";
  }

  json service_rows = json::array();
  for (const auto& service : s.services) {
    std::vector<std::string> types, groups;
    for (const auto& code : service.service_types) types.push_back(label(code));
    for (const auto& code : service.categories_mk) types.push_back(label(code));
    for (const auto& code : service.target_groups) groups.push_back(label(code));
    service_rows.push_back(
        {{"name", in_page_script(service.name, lang)},
         {"provider", in_page_script(service.organization_name, lang)},
         {"types", joined(types, "; ")},
         {"groups", joined(groups, "; ")},
         {"ages", ages_text(service.ages)},
         {"places",
          places_text(service.has_capacity, service.places_available, service.places_maximum)},
         {"users", service.current_users ? std::to_string(*service.current_users) : "—"},
         {"waiting", service.waiting_list ? std::to_string(*service.waiting_list) : "—"},
         {"licence",
          t.text(lang, "admin_resources_licence_" + std::string(to_string(service.licence)))}});
  }
  page["service_rows"] = service_rows;
  page["left_out"] =
      s.left_out_services.empty()
          ? ""
          : t.format(lang, "admin_resources_left_out",
                     {{"count", static_cast<std::int64_t>(s.left_out_services.size())}});
  return render(c, 200, "admin_resources", page);
}

}  // namespace needsmap::web
