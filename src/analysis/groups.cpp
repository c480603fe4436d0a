#include "analysis/groups.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <numeric>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "analysis/disclosure.hpp"

namespace needsmap::analysis {

using nlohmann::json;
using questionnaire::EvaluationContext;
using questionnaire::Expression;
using questionnaire::ExpressionError;
using questionnaire::Questionnaire;
using questionnaire::QuestionType;

namespace {

constexpr std::string_view groups_format = "needsmap-vulnerable-groups/1";
constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

bool is_identifier(std::string_view s) {
  if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
  return std::ranges::all_of(
      s, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// A group's expression parsed; `.` (the answer being checked) means nothing for a respondent.
std::expected<Expression, ExpressionError> parse_group_expression(std::string_view source) {
  auto parsed = Expression::parse(source);
  if (parsed && parsed->uses_current()) {
    return std::unexpected(ExpressionError{
        .message = "'.' means the answer being checked and cannot be used in a group",
        .position = 0});
  }
  return parsed;
}

std::string expression_message(const ExpressionError& error) {
  if (error.position == 0) return error.message;
  return error.message + " at " + std::to_string(error.position);
}

questionnaire::LocalizedText read_label(const json& label, const std::string& where,
                                        GroupFileErrors& errors) {
  std::map<std::string, std::string, std::less<>> texts;
  if (!label.is_object()) {
    errors.push_back({.where = where, .message = "a label is an object of texts by language"});
    return {};
  }
  for (const auto& [language, text] : label.items()) {
    if (text.is_string() && !text.get<std::string>().empty()) {
      texts[language] = text.get<std::string>();
    } else {
      errors.push_back({.where = where + "/" + language, .message = "a label is a non-empty text"});
    }
  }
  if (!texts.contains(questionnaire::primary_language)) {
    errors.push_back({.where = where, .message = "the label has no sr-Cyrl text"});
  }
  return questionnaire::LocalizedText(std::move(texts));
}

std::string string_field(const json& object, const char* key, const std::string& where,
                         GroupFileErrors& errors) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string() || found->get<std::string>().empty()) {
    errors.push_back({.where = where + "/" + key, .message = std::string(key) + " is missing"});
    return "";
  }
  return found->get<std::string>();
}

GroupDefinition read_group(const json& g, const std::string& where, GroupFileErrors& errors) {
  GroupDefinition group;
  if (!g.is_object()) {
    errors.push_back({.where = where, .message = "a group is an object"});
    return group;
  }
  group.name = string_field(g, "name", where, errors);
  if (!group.name.empty() && !is_identifier(group.name)) {
    errors.push_back({.where = where + "/name",
                      .message = "a name is lower-case letters, digits and '_': " + group.name});
  }
  group.label = read_label(g.value("label", json()), where + "/label", errors);
  group.expression = string_field(g, "expression", where, errors);
  if (group.expression.empty()) return group;
  if (auto parsed = parse_group_expression(group.expression); !parsed) {
    errors.push_back(
        {.where = where + "/expression", .message = expression_message(parsed.error())});
  }
  return group;
}

}  // namespace

std::string GroupFileError::to_string() const {
  return where.empty() ? message : where + ": " + message;
}

std::expected<GroupDefaults, GroupFileErrors> read_group_defaults(const json& document) {
  GroupFileErrors errors;
  GroupDefaults defaults;
  if (!document.is_object() || document.value("format", "") != groups_format) {
    errors.push_back({.where = "/format", .message = "not a " + std::string(groups_format)});
    return std::unexpected(std::move(errors));
  }
  defaults.risk_question = string_field(document, "risk_question", "", errors);
  const json groups = document.value("groups", json());
  if (!groups.is_array() || groups.empty()) {
    errors.push_back({.where = "/groups", .message = "groups is a non-empty list"});
    return std::unexpected(std::move(errors));
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string where = "/groups/" + std::to_string(i);
    GroupDefinition group = read_group(groups[i], where, errors);
    if (!group.name.empty() && !names.insert(group.name).second) {
      errors.push_back({.where = where + "/name", .message = "a second group " + group.name});
    }
    defaults.groups.push_back(std::move(group));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return defaults;
}

std::expected<GroupDefaults, GroupFileErrors> load_group_defaults(
    const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    return std::unexpected(
        GroupFileErrors{{.where = "", .message = "cannot read " + path.string()}});
  json document = json::parse(in, nullptr, false);
  if (document.is_discarded()) {
    return std::unexpected(
        GroupFileErrors{{.where = "", .message = "invalid JSON in " + path.string()}});
  }
  return read_group_defaults(document);
}

GroupDefinition group_from_store(const store::VulnerableGroup& row) {
  std::map<std::string, std::string, std::less<>> labels;
  if (!row.label_cyrl.empty()) labels["sr-Cyrl"] = row.label_cyrl;
  if (!row.label_en.empty()) labels["en"] = row.label_en;
  if (!row.label_mk.empty()) labels["mk"] = row.label_mk;
  return {.name = row.name,
          .label = questionnaire::LocalizedText(std::move(labels)),
          .expression = row.expression};
}

store::VulnerableGroup group_to_store(const GroupDefinition& group) {
  auto text = [&](std::string_view language) {
    return group.label.has(language) ? group.label.get(language) : std::string();
  };
  return {.name = group.name,
          .label_cyrl = text("sr-Cyrl"),
          .label_en = text("en"),
          .label_mk = text("mk"),
          .expression = group.expression};
}

// --- Checking against a questionnaire -------------------------------------------------------

namespace {

// Sorts a definition's references into those the questionnaire does not ask and those it asks
// but does not analyse, following calculations (each once, so a cycle ends).
class ReferenceCheck {
 public:
  ReferenceCheck(const Questionnaire& q, GroupCheck& check) : m_q(q), m_check(check) {
    for (const auto& spec : columns_for(q)) m_columns.insert(spec.name);
  }

  void references_of(const Expression& e) {
    for (const auto& ref : e.references()) check(ref);
  }

 private:
  void check(const std::string& ref) {
    if (m_columns.contains(ref) || !m_seen.insert(ref).second) return;
    const auto slash = ref.find('/');
    const questionnaire::Question* target = m_q.find(ref.substr(0, slash));
    const bool known_row = target && slash != std::string::npos &&
                           target->type == QuestionType::matrix &&
                           target->find_row(ref.substr(slash + 1));
    if (!target || (slash != std::string::npos && !known_row)) {
      m_check.unknown.push_back(ref);
    } else if (target->type == QuestionType::calculate && target->calculation) {
      references_of(*target->calculation);
    } else {
      m_check.unanalysed.push_back(ref);
    }
  }

  const Questionnaire& m_q;
  GroupCheck& m_check;
  std::set<std::string, std::less<>> m_columns;
  std::set<std::string, std::less<>> m_seen;
};

}  // namespace

std::vector<std::string> GroupCheck::messages() const {
  std::vector<std::string> out;
  if (error) out.push_back(expression_message(*error));
  for (const auto& ref : unknown)
    out.push_back("${" + ref + "} is not asked in this questionnaire");
  for (const auto& ref : unanalysed) {
    out.push_back("${" + ref + "} is asked, but its answers are not analysed");
  }
  return out;
}

GroupCheck check_group(const GroupDefinition& group, const Questionnaire& q) {
  GroupCheck check;
  auto parsed = parse_group_expression(group.expression);
  if (!parsed) {
    check.error = parsed.error();
    return check;
  }
  ReferenceCheck(q, check).references_of(*parsed);
  return check;
}

// --- Membership -----------------------------------------------------------------------------

namespace {

// One row's answers as the expression language sees them. Names are resolved once, in the
// constructor; calculations are cached per row.
class RowAnswers {
 public:
  RowAnswers(const Dataset& data, const Questionnaire* q, std::string today) {
    for (const auto& column : data.columns()) {
      m_sources.emplace(column.spec.name, Source{.column = &column, .calculation = none});
    }
    if (q) add_calculations(*q);
    m_context.lookup = [this](std::string_view name) { return answer(name); };
    m_context.today = std::move(today);
  }
  RowAnswers(const RowAnswers&) = delete;
  RowAnswers& operator=(const RowAnswers&) = delete;

  void set_row(std::size_t row) { m_row = row; }
  const EvaluationContext& context() const { return m_context; }

  // Whether every reference of e is a column or a calculation over columns.
  bool resolves(const Expression& e) const {
    std::vector<std::size_t> visiting;
    return resolves(e, visiting);
  }

 private:
  struct Source {
    const Column* column{nullptr};
    std::size_t calculation{none};  // index into m_calculations
  };
  struct Calculation {
    const Expression* expression{nullptr};
    std::size_t row{none};  // the row `value` was computed for
    bool busy{false};       // being computed: a reference back to it is a cycle
    std::string value;
  };
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void add_calculations(const Questionnaire& q) {
    for (const auto& question : q.questions()) {
      if (question.type != QuestionType::calculate || !question.calculation) continue;
      m_sources.emplace(question.name,
                        Source{.column = nullptr, .calculation = m_calculations.size()});
      m_calculations.push_back(
          {.expression = &*question.calculation, .row = none, .busy = false, .value = {}});
    }
  }

  bool resolves(const Expression& e, std::vector<std::size_t>& visiting) const {
    return std::ranges::all_of(e.references(), [&](const std::string& ref) {
      auto found = m_sources.find(ref);
      if (found == m_sources.end()) return false;
      const std::size_t c = found->second.calculation;
      if (c == none) return true;
      if (std::ranges::find(visiting, c) != visiting.end()) return false;  // a cycle
      visiting.push_back(c);
      const bool ok = resolves(*m_calculations[c].expression, visiting);
      visiting.pop_back();
      return ok;
    });
  }

  std::string answer(std::string_view name) {
    auto found = m_sources.find(name);
    if (found == m_sources.end()) return {};
    if (found->second.column) return column_answer(*found->second.column);
    return calculated(m_calculations[found->second.calculation]);
  }

  std::string column_answer(const Column& column) const {
    switch (column.spec.kind) {
      case ColumnKind::choice: {
        const std::uint16_t code = column.choice.code(m_row);
        return code == ChoiceColumn::missing ? std::string() : column.spec.categories[code];
      }
      case ColumnKind::multiple:
        return chosen_names(column);
      case ColumnKind::number: {
        const double x = column.numbers[m_row];
        // The language's own formatting (integers without ".0"), as the form saw the answer.
        return is_missing(x) ? std::string() : questionnaire::Value::of_number(x).as_string();
      }
    }
    return {};
  }

  std::string chosen_names(const Column& column) const {
    std::string names;
    for (std::size_t c = 0; c < column.multiple.chosen.size(); ++c) {
      if (!column.multiple.chosen[c][m_row]) continue;
      if (!names.empty()) names += ' ';
      names += column.spec.categories[c];
    }
    return names;
  }

  std::string calculated(Calculation& calculation) {
    if (calculation.row == m_row) return calculation.value;
    if (calculation.busy) return {};  // a cycle (the loader refuses them; guard anyway)
    calculation.busy = true;
    calculation.value = calculation.expression->evaluate(m_context).as_string();
    calculation.busy = false;
    calculation.row = m_row;
    return calculation.value;
  }

  std::unordered_map<std::string, Source, NameHash, std::equal_to<>> m_sources;
  std::vector<Calculation> m_calculations;
  std::size_t m_row{0};
  EvaluationContext m_context;
};

}  // namespace

std::vector<GroupMembership> evaluate_groups(const Dataset& data,
                                             std::span<const GroupDefinition> groups,
                                             const Questionnaire* q, std::string today) {
  RowAnswers answers(data, q, std::move(today));
  std::vector<GroupMembership> out(groups.size());
  std::vector<std::pair<std::size_t, Expression>> live;  // applicable groups with their expression
  for (std::size_t g = 0; g < groups.size(); ++g) {
    out[g].name = groups[g].name;
    auto parsed = parse_group_expression(groups[g].expression);
    if (!parsed || !answers.resolves(*parsed)) continue;
    out[g].applicable = true;
    out[g].member.assign(data.rows(), 0);
    live.emplace_back(g, std::move(*parsed));
  }
  // Rows outside, groups inside: a calculation two groups share is computed once per row.
  for (std::size_t r = 0; r < data.rows(); ++r) {
    answers.set_row(r);
    for (const auto& [g, expression] : live) {
      if (!expression.evaluate_boolean(answers.context())) continue;
      out[g].member[r] = 1;
      ++out[g].members;
    }
  }
  return out;
}

// --- Risk profiles --------------------------------------------------------------------------

namespace {

constexpr std::size_t cooccurrence_classes = 4;  // 0, 1, 2, 3 or more
const std::array<std::string, cooccurrence_classes> cooccurrence_names = {"0", "1", "2", "3+"};

double domain_weight(const Design& design, std::span<const char> domain) {
  double sum = 0;
  for (std::size_t r = 0; r < domain.size(); ++r) {
    if (domain[r]) sum += design.weights[r];
  }
  return sum;
}

// A share among the domain as estimate_shares gives it: count of the domain's rows with y, logit
// interval.
Estimate share_of(const Design& design, std::span<const double> y, std::span<const char> domain,
                  double t) {
  Estimate e = estimate_ratio(design, y, domain);
  for (std::size_t r = 0; r < y.size(); ++r) e.count += domain[r] && y[r] > 0;
  set_logit_interval(e, t);
  return e;
}

// The standard error of the difference of two ratios over disjoint domains a and b: the
// influence values of a minus those of b, in one linearised variance, so that the covariance the
// raking induces between the two is counted (as R's svycontrast() on svyby(covmat = TRUE)).
double difference_se(const Design& design, std::span<const double> y, std::span<const char> a,
                     double a_ratio, std::span<const char> b, double b_ratio) {
  const double a_weight = domain_weight(design, a), b_weight = domain_weight(design, b);
  std::vector<double> u(y.size(), 0.0);
  for (std::size_t r = 0; r < y.size(); ++r) {
    if (a[r]) u[r] = (y[r] - a_ratio) / a_weight;
    if (b[r]) u[r] = -(y[r] - b_ratio) / b_weight;
  }
  return std::sqrt(linearized_variance(std::move(u), design));
}

void set_difference(RiskFactorFigure& f, const Design& design, std::span<const double> y,
                    std::span<const char> in_group, std::span<const char> in_others, double t) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (f.group.n == 0 || f.others.n == 0) {
    f.difference = f.difference_se = f.difference_low = f.difference_high = nan;
    return;
  }
  f.difference = f.group.estimate - f.others.estimate;
  f.difference_se =
      difference_se(design, y, in_group, f.group.estimate, in_others, f.others.estimate);
  f.difference_low = f.difference - t * f.difference_se;
  f.difference_high = f.difference + t * f.difference_se;
  f.distinct = f.difference_low > 0 || f.difference_high < 0;
  f.ratio = f.others.estimate > 0 ? f.group.estimate / f.others.estimate : nan;
}

Cooccurrence cooccurrence_of(const Design& design, std::span<const double> counts,
                             std::span<const char> domain, double t) {
  Cooccurrence out;
  std::vector<double> in_class(counts.size());
  for (std::size_t c = 0; c < cooccurrence_classes; ++c) {
    for (std::size_t r = 0; r < counts.size(); ++r) {
      in_class[r] = std::min(counts[r], double{cooccurrence_classes - 1}) == double(c);
    }
    Estimate e = share_of(design, in_class, domain, t);
    e.category = cooccurrence_names[c];
    out.shares.push_back(std::move(e));
  }
  out.mean = estimate_ratio(design, counts, domain);
  out.mean.ci_low = out.mean.estimate - t * out.mean.se;
  out.mean.ci_high = out.mean.estimate + t * out.mean.se;
  return out;
}

void name_group(Cooccurrence& c, const std::string& group) {
  for (auto& e : c.shares) e.group = group;
  c.mean.group = group;
}

std::vector<std::size_t> ranked_by_difference(const std::vector<RiskFactorFigure>& factors) {
  std::vector<std::size_t> order(factors.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto key = [&](std::size_t i) {
    const double d = factors[i].difference;
    return std::isnan(d) ? -std::numeric_limits<double>::infinity() : d;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return order;
}

}  // namespace

std::vector<std::string> exclusive_choices(const Questionnaire& q, std::string_view question) {
  std::vector<std::string> names;
  if (const auto* found = q.find(question)) {
    for (const auto& choice : found->choices) {
      if (choice.exclusive) names.push_back(choice.name);
    }
  }
  return names;
}

RiskProfile risk_profile(const Dataset& data, const Design& design,
                         const GroupMembership& membership, std::string_view risk_question,
                         std::span<const std::string> exclusive) {
  const Column& column = data.require(risk_question, ColumnKind::multiple);
  const std::size_t rows = data.rows();
  if (membership.member.size() != rows || design.weights.size() != rows) {
    throw std::invalid_argument("the membership of " + membership.name +
                                " or the weights do not match the dataset");
  }
  std::vector<char> in_group(rows), in_others(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const bool answered = column.multiple.answered[r];
    in_group[r] = answered && membership.member[r];
    in_others[r] = answered && !membership.member[r];
  }
  const double t = t_quantile_95(rows);
  RiskProfile profile{.group = membership.name,
                      .question = std::string(risk_question),
                      .factors = {},
                      .ranking = {},
                      .group_cooccurrence = {},
                      .others_cooccurrence = {}};
  std::vector<double> counts(rows, 0.0), y(rows);
  for (std::size_t c = 0; c < column.spec.categories.size(); ++c) {
    const std::string& factor = column.spec.categories[c];
    if (std::ranges::find(exclusive, factor) != exclusive.end()) continue;
    for (std::size_t r = 0; r < rows; ++r) {
      y[r] = column.multiple.chosen[c][r] ? 1.0 : 0.0;
      counts[r] += y[r];
    }
    RiskFactorFigure f{.factor = factor,
                       .group = share_of(design, y, in_group, t),
                       .others = share_of(design, y, in_others, t)};
    f.group.category = f.others.category = factor;
    f.group.group = membership.name;
    set_difference(f, design, y, in_group, in_others, t);
    profile.factors.push_back(std::move(f));
  }
  profile.ranking = ranked_by_difference(profile.factors);
  profile.group_cooccurrence = cooccurrence_of(design, counts, in_group, t);
  profile.others_cooccurrence = cooccurrence_of(design, counts, in_others, t);
  name_group(profile.group_cooccurrence, membership.name);
  return profile;
}

// --- Withholding ----------------------------------------------------------------------------

// The rule. A count of 1…k−1 is withheld (primary). Everyone's figures are published elsewhere
// (the risk question's own table, its n, its counts), and the group and the others split
// everyone, so everyone's count minus the group's gives the others' and the other way round:
// - a factor's group count and others' count form a pair: when one is withheld, so is the other
//   (and with them the difference and ratio);
// - the group's n and the others' n form a pair too: when either is 1…k−1 the whole profile is
//   withheld, since the small side follows from everyone's figures minus the large side's;
// - the co-occurrence classes are a 2×4 table whose rows add up to the group's and the others'
//   n and whose columns add up to everyone's classes: each row and each column is a relation
//   for complementary suppression (disclosure.hpp), repeated until nothing changes.
// Multiple-choice shares of different factors share no total, so no complement across factors.
ProfileWithholding withheld_profile(const RiskProfile& profile, std::int64_t k) {
  const std::size_t factors = profile.factors.size();
  Cell group_n{.count = profile.group_cooccurrence.mean.n, .hidden = false};
  Cell others_n{.count = profile.others_cooccurrence.mean.n, .hidden = false};
  std::vector<Cell> group_factor(factors), others_factor(factors);
  std::vector<Cell> group_class(cooccurrence_classes), others_class(cooccurrence_classes);
  std::vector<Cell*> cells = {&group_n, &others_n};
  std::vector<Relation> relations = {{&group_n, &others_n}};
  for (std::size_t i = 0; i < factors; ++i) {
    group_factor[i].count = profile.factors[i].group.count;
    others_factor[i].count = profile.factors[i].others.count;
    cells.insert(cells.end(), {&group_factor[i], &others_factor[i]});
    relations.push_back({&group_factor[i], &others_factor[i]});
  }
  Relation group_row, others_row;
  for (std::size_t c = 0; c < cooccurrence_classes; ++c) {
    group_class[c].count = c < profile.group_cooccurrence.shares.size()
                               ? profile.group_cooccurrence.shares[c].count
                               : 0;
    others_class[c].count = c < profile.others_cooccurrence.shares.size()
                                ? profile.others_cooccurrence.shares[c].count
                                : 0;
    cells.insert(cells.end(), {&group_class[c], &others_class[c]});
    relations.push_back({&group_class[c], &others_class[c]});
    group_row.push_back(&group_class[c]);
    others_row.push_back(&others_class[c]);
  }
  group_row.push_back(&group_n);
  others_row.push_back(&others_n);
  relations.push_back(group_row);
  relations.push_back(others_row);
  suppress(cells, relations, k);

  ProfileWithholding out;
  out.whole = group_n.hidden || others_n.hidden;
  for (std::size_t i = 0; i < factors; ++i) {
    out.factors.push_back(out.whole || group_factor[i].hidden || others_factor[i].hidden);
  }
  for (std::size_t c = 0; c < cooccurrence_classes; ++c) {
    out.group_counts.push_back(out.whole || group_class[c].hidden);
    out.others_counts.push_back(out.whole || others_class[c].hidden);
  }
  return out;
}

}  // namespace needsmap::analysis
