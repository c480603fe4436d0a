#include "analysis/monitoring.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <nlohmann/json.hpp>

#include "collect/export_snapshot.hpp"
#include "questionnaire/answers.hpp"
#include "store/progress.hpp"

namespace needsmap::analysis {

namespace {

using json = nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

// Modes in the order tables show them: how most answers come first.
constexpr std::array<std::string_view, 5> mode_order = {"web", "interview", "paper", "api",
                                                        "import"};
// Modes that go page by page and so have pages reached and a time to complete.
bool paged(std::string_view mode) {
  return mode == "web" || mode == "interview" || mode == "paper";
}

std::vector<std::string> modes_seen(const std::vector<store::DateCount>& counts) {
  std::vector<std::string> modes;
  for (auto mode : mode_order) {
    bool seen = std::any_of(counts.begin(), counts.end(),
                            [&](const store::DateCount& c) { return c.mode == mode; });
    if (seen) modes.emplace_back(mode);
  }
  return modes;
}

void add_dates(Monitor& m, const std::vector<store::DateCount>& counts) {
  m.modes = modes_seen(counts);
  m.mode_totals.assign(m.modes.size(), Cell{});
  for (const auto& c : counts) {
    if (m.dates.empty() || m.dates.back().date != c.date) {
      m.dates.push_back({c.date, std::vector<Cell>(m.modes.size()), Cell{}});
    }
    auto at = std::find(m.modes.begin(), m.modes.end(), c.mode);
    if (at == m.modes.end()) continue;  // a mode this build does not know
    auto i = static_cast<std::size_t>(at - m.modes.begin());
    m.dates.back().by_mode[i].count += c.responses;
    m.dates.back().total.count += c.responses;
    m.mode_totals[i].count += c.responses;
    m.responses.count += c.responses;
    if (paged(c.mode)) m.finished.count += c.responses;
  }
}

void add_pages(Monitor& m, store::Store& store, std::int64_t campaign_id) {
  auto reach = store::page_reach(store, campaign_id);
  for (const auto& r : reach) {
    m.pages.push_back({static_cast<std::size_t>(r.page), Cell{r.reached}, Cell{r.abandoned}});
  }
  // Everyone who started reached the first page the questionnaire shows.
  if (!reach.empty()) m.started.count = reach.front().reached;

  std::vector<std::pair<std::int64_t, std::int64_t>> histogram;
  for (const auto& c : store::completion_minutes(store, campaign_id)) {
    histogram.emplace_back(c.minutes, c.finished);
    m.timed.count += c.finished;
  }
  m.median_minutes = histogram_median(histogram);
}

// The tables a question gets: one, or one per matrix row.
std::vector<QuestionTable> tables_for(const Question& question, std::size_t index) {
  auto table = [&](std::string row) {
    QuestionTable t;
    t.question = index;
    t.row = std::move(row);
    for (const auto& c : question.choices) t.choices.push_back({c.name, Cell{}});
    t.additive = question.type == QuestionType::single || question.type == QuestionType::scale ||
                 question.type == QuestionType::matrix;
    return t;
  };
  if (question.type == QuestionType::matrix) {
    std::vector<QuestionTable> tables;
    for (const auto& r : question.rows) tables.push_back(table(r.name));
    return tables;
  }
  return {table("")};
}

bool shown(const Question& q) {
  return questionnaire::takes_answer(q.type) && q.other_of_question.empty();
}

void count_choice(QuestionTable& t, const std::string& name) {
  for (auto& c : t.choices) {
    if (c.choice == name) {
      ++c.count.count;
      return;
    }
  }
}

// Adds one response's answer to its question's table(s).
void tally(QuestionTable& t, const Question& question, const json& answer, bool relevant,
           std::vector<double>& numbers) {
  if (!relevant) return;
  ++t.asked.count;
  const json* value = &answer;
  if (question.type == QuestionType::matrix) {
    value = answer.is_object() && answer.contains(t.row) ? &answer[t.row] : nullptr;
  }
  bool answered = value && !value->is_null() && !(value->is_string() && value->empty()) &&
                  !(value->is_array() && value->empty()) && !(value->is_object() && value->empty());
  if (!answered) {
    ++t.no_answer.count;
    return;
  }
  ++t.answered.count;
  if (value->is_string() && questionnaire::has_choices(question.type)) {
    count_choice(t, value->get<std::string>());
  } else if (value->is_array()) {
    for (const auto& v : *value) {
      if (v.is_string()) count_choice(t, v.get<std::string>());
    }
  } else if (value->is_number()) {
    numbers.push_back(value->get<double>());
  }
}

std::optional<double> median_of(std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  double upper = *mid;
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), mid);
  return (lower + upper) / 2;
}

void add_questions(Monitor& m, store::Store& store, std::int64_t campaign_id,
                   const questionnaire::Questionnaire& q, const std::string& today) {
  const auto& questions = q.questions();
  // Where each question's tables start in m.questions, and its numbers for the median.
  std::vector<std::size_t> first_table(questions.size(), 0);
  std::vector<std::vector<double>> numbers(questions.size());
  for (std::size_t i = 0; i < questions.size(); ++i) {
    first_table[i] = m.questions.size();
    if (!shown(questions[i])) continue;
    for (auto& t : tables_for(questions[i], i)) m.questions.push_back(std::move(t));
  }
  store.for_each_response(campaign_id, [&](const store::ResponseRecord& r) {
    json answers = json::parse(r.answers, nullptr, false);
    if (!answers.is_object()) return;
    auto state = questionnaire::evaluate(q, answers, today);
    for (std::size_t i = 0; i < questions.size(); ++i) {
      if (!shown(questions[i])) continue;
      auto found = answers.find(questions[i].name);
      const json& answer = found == answers.end() ? json() : *found;
      std::size_t tables = questions[i].type == QuestionType::matrix ? questions[i].rows.size() : 1;
      for (std::size_t t = 0; t < tables; ++t) {
        tally(m.questions[first_table[i] + t], questions[i], answer, state.relevant[i], numbers[i]);
      }
    }
  });
  for (auto& t : m.questions) t.median = median_of(numbers[t.question]);
}

std::vector<Cell*> cells_of(QuestionTable& t, Relation& relation) {
  std::vector<Cell*> cells;
  for (auto& c : t.choices) cells.push_back(&c.count);
  cells.push_back(&t.no_answer);
  relation = cells;
  relation.push_back(&t.asked);
  cells.push_back(&t.asked);
  cells.push_back(&t.answered);
  return cells;
}

}  // namespace

std::optional<double> histogram_median(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& h) {
  std::int64_t n = 0;
  for (const auto& [value, count] : h) n += count;
  if (n == 0) return std::nullopt;
  // The value at position k (0-based) of the sorted data.
  auto at = [&](std::int64_t k) {
    for (const auto& [value, count] : h) {
      if (k < count) return static_cast<double>(value);
      k -= count;
    }
    return static_cast<double>(h.back().first);
  };
  return n % 2 == 1 ? at(n / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

Monitor build_monitor(store::Store& store, const store::Campaign& campaign,
                      const questionnaire::Questionnaire& q, const std::string& today) {
  collect::ExportSnapshot snapshot(store.connection());
  Monitor m;
  m.min_cell_size = campaign.min_cell_size;
  add_dates(m, store::responses_by_date(store, campaign.id));
  add_pages(m, store, campaign.id);
  add_questions(m, store, campaign.id, q, today);
  return m;
}

Monitor with_suppression(Monitor m) {
  const std::int64_t k = m.min_cell_size;
  m.suppressed = true;
  // Responses by date and mode: every row sums to its date's total, every column to its mode's.
  std::vector<Cell*> cells{&m.responses};
  std::vector<Relation> relations;
  for (auto& d : m.dates) {
    Relation row;
    for (auto& c : d.by_mode) row.push_back(&c);
    row.push_back(&d.total);
    cells.insert(cells.end(), row.begin(), row.end());
    relations.push_back(std::move(row));
  }
  for (std::size_t i = 0; i < m.modes.size(); ++i) {
    Relation column;
    for (auto& d : m.dates) column.push_back(&d.by_mode[i]);
    column.push_back(&m.mode_totals[i]);
    cells.push_back(&m.mode_totals[i]);
    relations.push_back(std::move(column));
  }
  Relation totals;
  for (auto& d : m.dates) totals.push_back(&d.total);
  totals.push_back(&m.responses);
  relations.push_back(std::move(totals));
  Relation mode_sum;
  for (auto& c : m.mode_totals) mode_sum.push_back(&c);
  mode_sum.push_back(&m.responses);
  relations.push_back(std::move(mode_sum));
  suppress(cells, relations, k);

  std::vector<Cell*> page_cells{&m.started, &m.finished, &m.timed};
  for (auto& p : m.pages) {
    page_cells.push_back(&p.reached);
    page_cells.push_back(&p.left);
  }
  suppress(page_cells, {}, k);
  if (m.timed.hidden || m.timed.count < k) m.median_minutes.reset();

  for (auto& t : m.questions) {
    Relation relation;
    auto cells_of_table = cells_of(t, relation);
    suppress(cells_of_table, t.additive ? std::vector<Relation>{relation} : std::vector<Relation>{},
             k);
    if (t.answered.hidden || t.answered.count < k) t.median.reset();
  }
  return m;
}

}  // namespace needsmap::analysis
