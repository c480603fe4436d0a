#include "synthetic/values.hpp"

#include <algorithm>
#include <cmath>

#include "core/clock.hpp"

namespace needsmap::synthetic {

namespace {

using nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

constexpr std::int64_t year_days = 365;

// Draws up to `count` more choices without replacement, in proportion to `weights` (zeroed as
// drawn); fewer when the choices run out.
void draw_more(Random& random, std::vector<double>& weights, std::size_t count,
               std::vector<std::size_t>& drawn) {
  for (std::size_t k = 0; k < count; ++k) {
    if (std::ranges::none_of(weights, [](double w) { return w > 0; })) return;
    std::size_t c = random.pick(weights);
    weights[c] = 0;
    drawn.push_back(c);
  }
}

json names(const Question& question, const std::vector<std::size_t>& drawn) {
  json out = json::array();
  for (std::size_t c : drawn) out.push_back(question.choices[c].name);
  return out;
}

// A tabled typical range, drawn uniformly; otherwise whole numbers skew low: a few hours, a few
// hundred users. Years are recent ones.
json number(const Question& question, std::optional<Range> typical, Random& random,
            const std::string& today, int attempt) {
  bool decimal = question.type == QuestionType::decimal;
  if (typical) {
    double hi = typical->lo + (typical->hi - typical->lo) / std::exp2(attempt);
    if (decimal) return std::round((typical->lo + (hi - typical->lo) * random.unit()) * 10) / 10;
    return random.between(static_cast<std::int64_t>(std::ceil(typical->lo)),
                          static_cast<std::int64_t>(std::floor(hi)));
  }
  double lo = question.min.value_or(0);
  double hi = question.max.value_or(lo + 100);
  if (question.type == QuestionType::year) {
    double year = std::stod(today.substr(0, 4));
    if (lo <= year && year <= hi) {
      double span = std::min(40.0, year - lo) / std::exp2(attempt);
      double u = random.unit();
      return static_cast<std::int64_t>(year - std::floor(span * u * u));
    }
    return random.between(static_cast<std::int64_t>(std::ceil(lo)),
                          static_cast<std::int64_t>(std::floor(hi)));
  }
  double usual =
      hi - lo <= 30 ? hi : std::min(hi, lo + std::max(decimal ? 100.0 : 1000.0, (hi - lo) / 1000));
  double span = (usual - lo) / std::exp2(attempt);
  double u = random.unit();
  double v = hi - lo <= 30 ? lo + (span + 1) * u * u * u : lo + std::expm1(u * std::log1p(span));
  v = std::min(v, lo + span);
  if (decimal) return std::clamp(std::round(v * 10) / 10, lo, hi);
  return static_cast<std::int64_t>(std::clamp(std::floor(v), std::ceil(lo), std::floor(hi)));
}

// Dates around today: a few years back to a few years ahead, within the question's limits.
json date(const Question& question, Random& random, const std::string& today, int attempt) {
  std::int64_t now = clock::parse_utc(today).value_or(0) / clock::seconds_per_day;
  auto day_of = [&](const std::string& d, std::int64_t fallback) {
    auto parsed = d.empty() ? std::nullopt : clock::parse_utc(d);
    return parsed ? *parsed / clock::seconds_per_day : fallback;
  };
  std::int64_t lo = day_of(question.min_date, now - 10 * year_days);
  std::int64_t hi = day_of(question.max_date, now);
  if (lo <= now && now <= hi) {
    lo = std::max(lo, now - 3 * year_days);
    hi = std::min(hi, now + 5 * year_days);
  }
  hi = lo + (hi - lo) / (std::int64_t{1} << std::min(attempt, 30));
  return clock::format_date(random.between(lo, hi) * clock::seconds_per_day);
}

}  // namespace

json ValueMaker::choice_list(const Question& question, const Respondent& who) const {
  std::vector<double> weights;
  m_weights.weights(question, "", who.answers, weights);
  std::size_t first = who.random.pick(weights);
  if (question.choices[first].exclusive) return json::array({question.choices[first].name});
  for (std::size_t c = 0; c < weights.size(); ++c) {
    if (question.choices[c].exclusive) weights[c] = 0;
  }
  weights[first] = 0;
  // Most tick one or two, some three.
  std::size_t count = 1 + who.random.pick(std::vector<double>{0.45, 0.35, 0.2});
  std::size_t most = question.max_selections > 0 ? static_cast<std::size_t>(question.max_selections)
                                                 : question.choices.size();
  std::size_t least = static_cast<std::size_t>(std::max(1, question.min_selections));
  count = std::clamp(count, least, std::max(least, most));
  std::vector<std::size_t> drawn{first};
  draw_more(who.random, weights, count - 1, drawn);
  std::ranges::sort(drawn);  // as the form sends them
  return names(question, drawn);
}

json ValueMaker::ranking(const Question& question, const Respondent& who) const {
  std::vector<double> weights;
  m_weights.weights(question, "", who.answers, weights);
  for (std::size_t c = 0; c < weights.size(); ++c) {
    if (question.choices[c].exclusive) weights[c] = 0;
  }
  std::size_t lo = static_cast<std::size_t>(std::max(1, question.min_selections));
  std::size_t most = question.max_selections > 0 ? static_cast<std::size_t>(question.max_selections)
                                                 : weights.size();
  // Most rank as many as they may, up to a top three.
  std::size_t hi = std::max(lo, std::min<std::size_t>(most, 3));
  std::size_t count = who.random.chance(0.7)
                          ? hi
                          : static_cast<std::size_t>(who.random.between(
                                static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
  std::vector<std::size_t> drawn;
  draw_more(who.random, weights, count, drawn);
  return names(question, drawn);
}

json ValueMaker::value(const Question& question, const Respondent& who, int attempt) const {
  std::vector<double> weights;
  switch (question.type) {
    case QuestionType::single:
    case QuestionType::scale:
      m_weights.weights(question, "", who.answers, weights);
      return question.choices[who.random.pick(weights)].name;
    case QuestionType::multiple:
      return choice_list(question, who);
    case QuestionType::ranking:
      return ranking(question, who);
    case QuestionType::matrix: {
      json cells = json::object();
      for (const auto& row : question.rows) {
        m_weights.weights(question, row.name, who.answers, weights);
        cells[row.name] = question.choices[who.random.pick(weights)].name;
      }
      return cells;
    }
    case QuestionType::integer:
    case QuestionType::decimal:
    case QuestionType::year:
      return number(question, m_numbers.range(question, who.answers), who.random, who.today,
                    attempt);
    case QuestionType::date:
      return date(question, who.random, who.today, attempt);
    case QuestionType::text:
      return Sentences::built_in().phrase(who.random, who.script, question.max_length);
    case QuestionType::long_text:
      return Sentences::built_in().paragraph(who.random, who.script, question.max_length);
    case QuestionType::note:
    case QuestionType::calculate:
      break;
  }
  return nullptr;
}

}  // namespace needsmap::synthetic
