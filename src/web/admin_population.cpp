// The population table of a municipality (/admin/m/{m}/population): the margins its surveys are
// weighted to. A coordinator or analyst uploads a CSV (variable,category,population) or edits
// the table as text; every problem is named with its line, and a broken table changes nothing.
#include <cmath>

#include "analysis/population.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "store/accounts.hpp"
#include "store/population.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/charts.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

constexpr std::int64_t earliest_year = 1900;
constexpr std::int64_t latest_year = 2100;

std::vector<analysis::MarginRow> margin_rows(const store::PopulationTable& table) {
  std::vector<analysis::MarginRow> rows;
  for (const auto& m : table.margins) rows.push_back({m.variable, m.category, m.population});
  return rows;
}

std::string issue_key(analysis::PopulationIssue::Kind kind) {
  using Kind = analysis::PopulationIssue::Kind;
  switch (kind) {
    case Kind::empty:
      return "admin_population_error_empty";
    case Kind::header:
      return "admin_population_error_header";
    case Kind::fields:
      return "admin_population_error_fields";
    case Kind::number:
      return "admin_population_error_number";
    case Kind::negative:
      return "admin_population_error_negative";
    case Kind::duplicate:
      return "admin_population_error_duplicate";
    case Kind::joint:
      return "admin_population_error_joint";
    case Kind::totals:
      return "admin_population_error_totals";
  }
  return "admin_population_error_empty";
}

std::string people(double population) {
  return std::to_string(std::llround(population));
}

std::optional<std::int64_t> year_of(const std::string& text) {
  auto year = whole_number(text);
  if (!year) return std::nullopt;
  if (*year < earliest_year || *year > latest_year) return std::nullopt;
  return year;
}

// One table per variable, with its total and a bar chart: how the page shows the margins.
json variable_tables(const store::PopulationTable& table) {
  json variables = json::array();
  std::vector<std::vector<Bar>> bars;
  double sum = 0;
  for (const auto& m : table.margins) {
    if (variables.empty() || variables.back()["name"] != m.variable) {
      if (!variables.empty()) variables.back()["total"] = people(sum);
      variables.push_back({{"name", m.variable}, {"rows", json::array()}});
      bars.emplace_back();
      sum = 0;
    }
    variables.back()["rows"].push_back(
        {{"category", m.category}, {"population", people(m.population)}});
    bars.back().push_back({.label = m.category,
                           .value = std::llround(m.population),
                           .hidden = false,
                           .text = people(m.population),
                           .muted = false});
    sum += m.population;
  }
  if (!variables.empty()) variables.back()["total"] = people(sum);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    variables[i]["chart"] = bar_chart(variables[i]["name"].get<std::string>(), bars[i]);
  }
  return variables;
}

}  // namespace

asio::awaitable<Response> Admin::population(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  auto current = store::load_population(m_app.reader(), m.id);
  if (c.request.method() != http::verb::post && c.target.query.contains("format")) {
    if (!current) co_return message(c, 404, "http.404");
    co_return csv_download(analysis::population_csv(margin_rows(*current)),
                           "population-" + m.slug + ".csv");
  }
  json page = frame(c, t.text(lang, "admin_population"));
  page["municipality"] = municipality_name(m, lang);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["action"] = c.href(municipality_admin_path(m) + "/population");
  auto show = [&](unsigned status, const std::optional<store::PopulationTable>& table) {
    if (table) {
      page["has_table"] = true;
      page["demo"] = table->demo;
      page["source"] = table->source;
      if (table->reference_year) page["year"] = std::to_string(*table->reference_year);
      page["updated"] =
          t.format(lang, "admin_population_updated",
                   {{"who", table->updated_by}, {"date", clock::format_date(table->updated_at)}});
      page["variables"] = variable_tables(*table);
      page["download_href"] = c.href(municipality_admin_path(m) + "/population") + "&format=csv";
      if (!page.contains("csv")) page["csv"] = analysis::population_csv(margin_rows(*table));
      if (!page.contains("source_value")) page["source_value"] = table->source;
      if (!page.contains("year_value") && table->reference_year) {
        page["year_value"] = std::to_string(*table->reference_year);
      }
    }
    return render(c, status, "admin_population", page);
  };
  if (c.request.method() != http::verb::post) co_return show(200, current);

  // A file, when one is chosen, stands for the table; otherwise the text box does.
  std::string csv = field(c.form, "csv");
  for (const auto& f : c.files) {
    if (f.field == "file" && !f.data.empty()) csv = f.data;
  }
  const std::string source = text::trim(field(c.form, "source"));
  const std::string year_text = text::trim(field(c.form, "year"));
  page["csv"] = csv;
  page["source_value"] = source;
  page["year_value"] = year_text;
  json errors = json::array();
  if (source.empty()) {
    errors.push_back(error_item("source", t.text(lang, "admin_population_error_source")));
  }
  std::optional<std::int64_t> year;
  if (!year_text.empty()) {
    year = year_of(year_text);
    if (!year) errors.push_back(error_item("year", t.text(lang, "admin_population_error_year")));
  }
  analysis::PopulationRead read = analysis::read_population_csv(csv);
  for (const auto& issue : read.issues) {
    errors.push_back(error_item("csv", t.format(lang, issue_key(issue.kind),
                                                {{"line", static_cast<std::int64_t>(issue.line)},
                                                 {"value", issue.value},
                                                 {"variable", issue.variable},
                                                 {"total", people(issue.total)},
                                                 {"expected", people(issue.expected)}})));
  }
  if (!errors.empty()) {
    show_errors(page, errors);
    co_return show(422, current);
  }
  store::PopulationTable table{.source = source,
                               .reference_year = year,
                               .demo = false,
                               .updated_at = c.now,
                               .updated_by = c.actor(),
                               .margins = {}};
  for (const auto& r : read.rows) table.margins.push_back({r.variable, r.category, r.population});
  store::AuditEntry entry =
      audit_entry(c, "population_table", m.id, m.slug,
                  "rows=" + std::to_string(table.margins.size()) + " source=" + source);
  const std::int64_t municipality_id = m.id;
  store::Writer::Work save = [table, entry, municipality_id](store::Store& s) {
    store::save_population(s, municipality_id, table);
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(save));
  if (!stored) co_return message(c, 503, "http.503");
  co_return redirect_response(c.href(municipality_admin_path(m) + "/population") + "&saved=1");
}

}  // namespace needsmap::web
