#include "analysis/groups.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <sstream>

#include "analysis/analysis_support.hpp"
#include "analysis/r_reference.hpp"
#include "questionnaire/loader.hpp"
#include "test_support.hpp"

namespace needsmap::analysis {
namespace {

using nlohmann::json;

GroupDefinition group(std::string name, std::string expression) {
  return {.name = std::move(name),
          .label = questionnaire::LocalizedText(
              std::map<std::string, std::string, std::less<>>{{"sr-Cyrl", "Група"}}),
          .expression = std::move(expression)};
}

const GroupMembership& named(const std::vector<GroupMembership>& groups, std::string_view name) {
  for (const auto& g : groups) {
    if (g.name == name) return g;
  }
  throw std::logic_error("no group " + std::string(name));
}

// --- Membership and checks on the mini questionnaire ------------------------------------------

Dataset mini_dataset(const questionnaire::Questionnaire& q) {
  Dataset data(columns_for(q));
  data.append(json{{"age", 70},
                   {"works", "no"},
                   {"alone", "yes"},
                   {"risks", {"poverty", "isolation"}},
                   {"services", {{"home_care", "used"}}}});
  data.append(json{{"age", 40}, {"works", "yes"}, {"job", "baker"}, {"risks", {"none"}}});
  data.append(json{{"age", 80}, {"works", "no"}, {"alone", "no"}, {"risks", {"illness"}}});
  data.append(json{{"age", 66}, {"works", "no"}, {"alone", "yes"}});
  return data;
}

TEST(Groups, membership_follows_the_expression_language) {
  const auto q = fixtures::mini_questionnaire();
  const Dataset data = mini_dataset(q);
  const std::vector<GroupDefinition> groups = {
      group("elderly_alone", "${elderly_alone} = 1 and ${age} >= 65"),  // a calculate question
      group("poor", "selected(${risks}, 'poverty')"),
      group("several_risks", "count-selected(${risks}) >= 2"),
      group("exact_risks", "${risks} = 'poverty isolation'"),  // chosen names, choice order
      group("home_care_user", "selected(${services/home_care}, 'used')"),  // a matrix row
      group("seventy", "${age} = '70'"),    // a number as text: no ".0"
      group("job_holder", "${job} != ''"),  // text: not analysed
      group("unknown", "selected(${nope}, 'x')"),
      group("broken", "selected(${works}, 'yes') and"),
  };
  const auto result = evaluate_groups(data, groups, &q);
  ASSERT_EQ(result.size(), groups.size());
  auto members = [&](std::string_view name) { return named(result, name).member; };
  EXPECT_EQ(members("elderly_alone"), (std::vector<char>{1, 0, 0, 1}));
  EXPECT_EQ(named(result, "elderly_alone").members, 2);
  EXPECT_EQ(members("poor"), (std::vector<char>{1, 0, 0, 0}));
  EXPECT_EQ(members("several_risks"), (std::vector<char>{1, 0, 0, 0}));
  EXPECT_EQ(members("exact_risks"), (std::vector<char>{1, 0, 0, 0}));
  EXPECT_EQ(members("home_care_user"), (std::vector<char>{1, 0, 0, 0}));
  EXPECT_EQ(members("seventy"), (std::vector<char>{1, 0, 0, 0}));
  for (const char* name : {"job_holder", "unknown", "broken"}) {
    EXPECT_FALSE(named(result, name).applicable) << name;
    EXPECT_TRUE(named(result, name).member.empty()) << name;
  }
}

TEST(Groups, without_the_questionnaire_a_calculation_is_not_applicable) {
  const auto q = fixtures::mini_questionnaire();
  const Dataset data = mini_dataset(q);
  const std::vector<GroupDefinition> groups = {group("elderly_alone", "${elderly_alone} = 1")};
  EXPECT_FALSE(evaluate_groups(data, groups).front().applicable);
}

TEST(Groups, check_reports_errors_with_position_and_what_is_not_asked) {
  const auto q = fixtures::mini_questionnaire();
  const auto broken = check_group(group("b", "selected(${works}, 'yes') and"), q);
  ASSERT_FALSE(broken.valid());
  EXPECT_GT(broken.error->position, 25u);
  EXPECT_FALSE(broken.applicable());
  ASSERT_EQ(broken.messages().size(), 1u);
  EXPECT_NE(broken.messages().front().find(" at "), std::string::npos);

  const auto unknown_function = check_group(group("f", "foo(1)"), q);
  ASSERT_FALSE(unknown_function.valid());
  EXPECT_EQ(unknown_function.error->position, 1u);

  EXPECT_FALSE(check_group(group("dot", ". = 1"), q).valid());

  const auto missing = check_group(
      group("m",
            "selected(${nope}, 'x') or ${job} = 'a' or selected(${services/nope}, 'used') or "
            "${services} = '' or ${elderly_alone} = 1"),
      q);
  EXPECT_TRUE(missing.valid());
  EXPECT_FALSE(missing.applicable());
  EXPECT_EQ(missing.unknown, (std::vector<std::string>{"nope", "services/nope"}));
  EXPECT_EQ(missing.unanalysed, (std::vector<std::string>{"job", "services"}));
  EXPECT_EQ(missing.messages().size(), 4u);

  const auto fine = check_group(group("ok", "${elderly_alone} = 1 and ${age} >= 65"), q);
  EXPECT_TRUE(fine.applicable());
  EXPECT_TRUE(fine.messages().empty());
}

// --- The definitions file ---------------------------------------------------------------------

json groups_document(json groups) {
  return {{"format", "needsmap-vulnerable-groups/1"},
          {"risk_question", "risks"},
          {"groups", std::move(groups)}};
}

json group_json(const std::string& name, const std::string& expression) {
  return {{"name", name},
          {"label", {{"sr-Cyrl", "Група"}, {"en", "Group"}}},
          {"expression", expression}};
}

TEST(Groups, reads_a_groups_document) {
  auto read = read_group_defaults(groups_document({group_json("poor", "selected(${r}, 'p')")}));
  ASSERT_TRUE(read) << read.error().front().to_string();
  EXPECT_EQ(read->risk_question, "risks");
  ASSERT_EQ(read->groups.size(), 1u);
  EXPECT_EQ(read->groups[0].label.get("en"), "Group");
  const auto row = group_to_store(read->groups[0]);
  EXPECT_EQ(row.label_cyrl, "Група");
  EXPECT_EQ(row.label_mk, "");
  const auto back = group_from_store(row);
  EXPECT_EQ(back.name, "poor");
  EXPECT_EQ(back.expression, "selected(${r}, 'p')");
  EXPECT_EQ(back.label.get("en"), "Group");
}

TEST(Groups, reports_what_is_wrong_in_a_groups_document) {
  EXPECT_FALSE(read_group_defaults(json{{"format", "other/1"}}));
  auto read = read_group_defaults(groups_document({
      group_json("poor", "selected(${r}, 'p')"),
      group_json("poor", "1"),
      group_json("Bad name", "selected(${r}, 'p') or"),
      json{{"name", "nolabel"}, {"expression", "1"}},
  }));
  ASSERT_FALSE(read);
  std::vector<std::string> where;
  for (const auto& e : read.error()) where.push_back(e.where);
  EXPECT_EQ(where, (std::vector<std::string>{"/groups/1/name", "/groups/2/name",
                                             "/groups/2/expression", "/groups/3/label"}));
  EXPECT_NE(read.error()[2].message.find(" at "), std::string::npos);
}

TEST(Groups, every_shipped_default_applies_to_the_citizens_questionnaire) {
  auto defaults =
      load_group_defaults(fixtures::source_dir() / "data/analysis/vulnerable_groups.json");
  ASSERT_TRUE(defaults) << defaults.error().front().to_string();
  EXPECT_EQ(defaults->risk_question, "risk_factors");
  EXPECT_GE(defaults->groups.size(), 6u);
  auto catalogs = questionnaire::load_catalogs(fixtures::source_dir() / "data/catalogs");
  ASSERT_TRUE(catalogs);
  auto q = questionnaire::load_questionnaire_file(
      fixtures::source_dir() / "questionnaires/citizens.json", *catalogs);
  ASSERT_TRUE(q);
  for (const auto& g : defaults->groups) {
    const auto check = check_group(g, *q);
    EXPECT_TRUE(check.applicable()) << g.name << ": " << check.messages().front();
    for (const char* language : {"sr-Cyrl", "en", "mk"}) {
      EXPECT_TRUE(g.label.has(language)) << g.name << " has no " << language << " label";
    }
  }
  const auto* risks = q->find(defaults->risk_question);
  ASSERT_TRUE(risks);
  EXPECT_EQ(risks->type, questionnaire::QuestionType::multiple);
  EXPECT_EQ(exclusive_choices(*q, defaults->risk_question), (std::vector<std::string>{"none"}));
}

// --- Risk profiles computed by hand -----------------------------------------------------------

// Ten respondents: five in the group ("in"), one of whom did not answer the risks, and five
// others. Group: {poverty, illness}, {poverty}, {none}, {poverty, illness, other}, unanswered.
// Others: {poverty}, {none}, {none}, {illness}, {none}.
struct HandProfile {
  Dataset data{{fixtures::choice_column("g", {"in", "out"}),
                {.name = "risks",
                 .kind = ColumnKind::multiple,
                 .categories = {"poverty", "illness", "other", "none"},
                 .question = "",
                 .row = ""}}};
  GroupMembership membership;
  const std::vector<std::string> exclusive = {"none"};

  explicit HandProfile(int copies = 1) {
    const std::vector<json> risks = {{"poverty", "illness"},
                                     {"poverty"},
                                     {"none"},
                                     {"poverty", "illness", "other"},
                                     nullptr,
                                     {"poverty"},
                                     {"none"},
                                     {"none"},
                                     {"illness"},
                                     {"none"}};
    for (int copy = 0; copy < copies; ++copy) {
      for (std::size_t i = 0; i < risks.size(); ++i) {
        json answers = {{"g", i < 5 ? "in" : "out"}};
        if (!risks[i].is_null()) answers["risks"] = risks[i];
        data.append(answers);
      }
    }
    const std::vector<GroupDefinition> groups = {group("in", "selected(${g}, 'in')")};
    membership = evaluate_groups(data, groups).front();
  }
  RiskProfile profile() const {
    return risk_profile(data, Design{.weights = data.weights(), .raking = {}}, membership, "risks",
                        exclusive);
  }
};

TEST(Groups, risk_profile_unweighted_by_hand) {
  const HandProfile hand;
  const RiskProfile p = hand.profile();
  EXPECT_EQ(p.group, "in");
  ASSERT_EQ(p.factors.size(), 3u);  // "none" left out, "other" kept
  const auto& poverty = p.factors[0];
  EXPECT_EQ(poverty.factor, "poverty");
  EXPECT_DOUBLE_EQ(poverty.group.estimate, 0.75);
  EXPECT_EQ(poverty.group.count, 3);
  EXPECT_EQ(poverty.group.n, 4);
  EXPECT_DOUBLE_EQ(poverty.others.estimate, 0.2);
  EXPECT_EQ(poverty.others.count, 1);
  EXPECT_EQ(poverty.others.n, 5);
  EXPECT_DOUBLE_EQ(poverty.difference, 0.55);
  EXPECT_DOUBLE_EQ(poverty.ratio, 3.75);
  // With replacement over all ten rows: 10/9 times the sum of squared influence values,
  // (y − 0.75)/4 in the group (0.75 in all) and −(y − 0.2)/5 among the others (0.8 in all).
  EXPECT_NEAR(poverty.group.se, std::sqrt(10.0 / 9 * 0.75 / 16), 1e-12);
  EXPECT_NEAR(poverty.difference_se, std::sqrt(10.0 / 9 * (0.75 / 16 + 0.8 / 25)), 1e-12);
  const double t = t_quantile_95(10);
  EXPECT_NEAR(poverty.difference_low, 0.55 - t * poverty.difference_se, 1e-12);
  EXPECT_EQ(poverty.distinct, poverty.difference_low > 0);
  EXPECT_GT(poverty.group.ci_low, 0.0);
  EXPECT_LT(poverty.group.ci_high, 1.0);

  const auto& other = p.factors[2];
  EXPECT_EQ(other.factor, "other");
  EXPECT_DOUBLE_EQ(other.group.estimate, 0.25);
  EXPECT_DOUBLE_EQ(other.others.estimate, 0.0);
  EXPECT_TRUE(std::isnan(other.ratio));
  EXPECT_EQ(p.ranking, (std::vector<std::size_t>{0, 1, 2}));  // 0.55, 0.3, 0.25

  // Co-occurring risks: the group chose 2, 1, 0 and 3; the others 1, 0, 0, 1, 0.
  const auto& g = p.group_cooccurrence;
  ASSERT_EQ(g.shares.size(), 4u);
  for (const auto& e : g.shares) EXPECT_DOUBLE_EQ(e.estimate, 0.25) << e.category;
  EXPECT_EQ(g.shares[3].category, "3+");
  EXPECT_DOUBLE_EQ(g.mean.estimate, 1.5);
  EXPECT_EQ(g.mean.n, 4);
  const auto& o = p.others_cooccurrence;
  EXPECT_DOUBLE_EQ(o.shares[0].estimate, 0.6);
  EXPECT_EQ(o.shares[0].count, 3);
  EXPECT_DOUBLE_EQ(o.shares[1].estimate, 0.4);
  EXPECT_DOUBLE_EQ(o.shares[2].estimate, 0.0);
  EXPECT_DOUBLE_EQ(o.mean.estimate, 0.4);
}

TEST(Groups, risk_profile_weighted_by_hand) {
  HandProfile hand;
  hand.data.weights()[0] = 2;  // the first group member, {poverty, illness}, counts twice
  hand.data.weights()[5] = 3;  // the others' one with poverty counts three times
  const RiskProfile p = hand.profile();
  const auto& poverty = p.factors[0];
  EXPECT_DOUBLE_EQ(poverty.group.estimate, 4.0 / 5);
  EXPECT_DOUBLE_EQ(poverty.others.estimate, 3.0 / 7);
  EXPECT_EQ(poverty.group.count, 3);  // counts stay unweighted, for disclosure
  // w (y − p) / W per row: group 2·0.2/5, 0.2/5, −0.8/5, 0.2/5; others 3·(4/7)/7, then
  // four times −(3/7)/7 (negated, as the others are subtracted).
  const double group_sum = (0.4 * 0.4 + 0.2 * 0.2 + 0.8 * 0.8 + 0.2 * 0.2) / 25;
  const double others_sum = (std::pow(12.0 / 7, 2) + 4 * std::pow(3.0 / 7, 2)) / 49;
  EXPECT_NEAR(poverty.difference_se, std::sqrt(10.0 / 9 * (group_sum + others_sum)), 1e-12);
  EXPECT_NEAR(poverty.group.se, std::sqrt(10.0 / 9 * group_sum), 1e-12);
  EXPECT_DOUBLE_EQ(p.group_cooccurrence.mean.estimate, (2 * 2 + 1 + 0 + 3) / 5.0);
}

TEST(Groups, risk_profile_refuses_a_membership_of_another_dataset) {
  const HandProfile hand;
  GroupMembership wrong = hand.membership;
  wrong.member.pop_back();
  EXPECT_THROW(
      risk_profile(hand.data, Design{.weights = hand.data.weights(), .raking = {}}, wrong, "risks"),
      std::invalid_argument);
}

TEST(Groups, withholds_small_counts_and_their_complements) {
  const HandProfile hand;
  const RiskProfile p = hand.profile();
  // k = 5: the group has 4 respondents who answered, so the whole profile goes.
  EXPECT_TRUE(withheld_profile(p, 5).whole);
  // k = 3: illness (2 in the group) and other (1) are withheld with their others' counts;
  // poverty (3 and 1): the others' 1 is withheld, so the group's 3 goes with it.
  auto w = withheld_profile(p, 3);
  EXPECT_FALSE(w.whole);
  EXPECT_EQ(w.factors, (std::vector<bool>{true, true, true}));
  // k = 2: poverty is 3 against 1: withheld; illness 2 against 1: withheld; other 1 against 0.
  w = withheld_profile(p, 2);
  EXPECT_EQ(w.factors, (std::vector<bool>{true, true, true}));
  // Each co-occurrence class of the group holds one person; the others' classes 0 (3) and 1 (2)
  // go as the group's beside them, 2 and 3+ (empty) as well.
  EXPECT_EQ(w.group_counts, (std::vector<bool>{true, true, true, true}));
  EXPECT_EQ(w.others_counts, (std::vector<bool>{true, true, true, true}));
  // k = 1: nothing to withhold.
  w = withheld_profile(p, 1);
  EXPECT_FALSE(w.whole);
  EXPECT_EQ(w.factors, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(w.group_counts, (std::vector<bool>{false, false, false, false}));
}

TEST(Groups, withholding_keeps_counts_of_k_and_more) {
  // Three copies of every response: the group's counts are 9, 6, 3 against the others' 3, 3, 0,
  // and each co-occurrence class of the group holds 3.
  const HandProfile hand(3);
  const auto w = withheld_profile(hand.profile(), 3);
  EXPECT_FALSE(w.whole);
  EXPECT_EQ(w.factors, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(w.group_counts, (std::vector<bool>{false, false, false, false}));
  EXPECT_EQ(w.others_counts, (std::vector<bool>{false, false, false, false}));
}

// --- Against R's survey package ---------------------------------------------------------------

// tests/data/r-survey/risk_sample.csv with the risks as a multiple choice.
Dataset risk_sample() {
  Dataset data({fixtures::choice_column("age", {"18-29", "30-44", "45-64", "65+"}),
                fixtures::choice_column("sex", {"m", "f"}),
                fixtures::choice_column("settlement", {"urban", "rural"}),
                fixtures::choice_column("household", {"alone", "with_others"}),
                {.name = "risks",
                 .kind = ColumnKind::multiple,
                 .categories = {"poverty", "illness", "isolation", "other", "none"},
                 .question = "",
                 .row = ""}});
  const auto records = reference::read_records(reference::reference_dir() / "risk_sample.csv");
  for (const auto& record : records) {
    json answers = json::object();
    for (const char* key : {"age", "sex", "settlement", "household"}) answers[key] = record.at(key);
    std::istringstream names(record.at("risks"));
    std::string name;
    while (names >> name) answers["risks"].push_back(name);
    data.append(answers);
  }
  return data;
}

void expect_profile_matches_r(const Dataset& data, const Design& design, const std::string& name) {
  const std::vector<GroupDefinition> groups = {
      group("elderly_alone", "selected(${age}, '65+') and selected(${household}, 'alone')")};
  const auto membership = evaluate_groups(data, groups).front();
  ASSERT_TRUE(membership.applicable);
  const std::vector<std::string> exclusive = {"none"};
  const RiskProfile p = risk_profile(data, design, membership, "risks", exclusive);
  ASSERT_EQ(p.factors.size(), 4u);
  std::size_t compared = 0;
  for (const auto& r :
       reference::read_records(reference::reference_dir() / "groups_reference.csv")) {
    if (r.at("design") != name) continue;
    const double estimate = std::stod(r.at("estimate")), se = std::stod(r.at("se"));
    const std::string what =
        name + " " + r.at("figure") + " " + r.at("factor") + " " + r.at("domain");
    const bool in_group = r.at("domain") == "group";
    const Estimate* e = nullptr;
    if (r.at("figure") == "share" || r.at("figure") == "difference") {
      auto f = std::ranges::find_if(p.factors,
                                    [&](const auto& f) { return f.factor == r.at("factor"); });
      ASSERT_NE(f, p.factors.end()) << what;
      if (r.at("figure") == "difference") {
        reference::expect_relative(f->difference, estimate, 1e-9, what);
        reference::expect_relative(f->difference_se, se, 1e-6, what + " se");
        ++compared;
        continue;
      }
      e = in_group ? &f->group : &f->others;
    } else {
      const Cooccurrence& c = in_group ? p.group_cooccurrence : p.others_cooccurrence;
      if (r.at("figure") == "mean") {
        e = &c.mean;
      } else {
        auto s = std::ranges::find_if(c.shares,
                                      [&](const auto& s) { return s.category == r.at("factor"); });
        ASSERT_NE(s, c.shares.end()) << what;
        e = &*s;
      }
    }
    reference::expect_relative(e->estimate, estimate, 1e-9, what);
    reference::expect_relative(e->se, se, 1e-6, what + " se");
    ++compared;
  }
  EXPECT_EQ(compared, 4u * 3 + 8 + 2);
}

TEST(Groups, risk_profile_matches_r_unweighted) {
  const Dataset data = risk_sample();
  expect_profile_matches_r(data, Design{.weights = data.weights(), .raking = {}}, "unweighted");
}

TEST(Groups, risk_profile_matches_r_raked) {
  const reference::Raked raked(risk_sample(), reference::reference_dir() / "margins.csv");
  expect_profile_matches_r(raked.data, raked.design(), "raked");
}

// --- Speed ------------------------------------------------------------------------------------

// Random answers to the citizens questionnaire's columns, coded.
Dataset random_citizens(const questionnaire::Questionnaire& q, std::size_t rows) {
  Dataset data(columns_for(q));
  data.reserve(rows);
  std::mt19937_64 random(20240613);
  std::vector<std::uint16_t> codes;
  std::vector<std::uint64_t> chosen;
  std::vector<double> numbers;
  for (std::size_t r = 0; r < rows; ++r) {
    codes.clear();
    chosen.clear();
    numbers.clear();
    for (const auto& column : data.columns()) {
      const std::size_t k = column.spec.categories.size();
      switch (column.spec.kind) {
        case ColumnKind::choice:
          codes.push_back(static_cast<std::uint16_t>(random() % (k + 1)));  // k: missing
          break;
        case ColumnKind::multiple:
          chosen.push_back(random() & random() & ((std::uint64_t{1} << k) - 1));
          break;
        case ColumnKind::number:
          numbers.push_back(static_cast<double>(random() % 100));
          break;
      }
    }
    data.append(CodedRow{.codes = codes, .chosen = chosen, .numbers = numbers, .weight = 1});
  }
  return data;
}

TEST(Groups, membership_of_the_defaults_for_many_rows) {
  auto defaults =
      load_group_defaults(fixtures::source_dir() / "data/analysis/vulnerable_groups.json");
  auto catalogs = questionnaire::load_catalogs(fixtures::source_dir() / "data/catalogs");
  ASSERT_TRUE(defaults && catalogs);
  auto q = questionnaire::load_questionnaire_file(
      fixtures::source_dir() / "questionnaires/citizens.json", *catalogs);
  ASSERT_TRUE(q);
  constexpr std::size_t rows = 100'000;
  const Dataset data = random_citizens(*q, rows);
  const auto start = std::chrono::steady_clock::now();
  const auto result = evaluate_groups(data, defaults->groups, &*q);
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::cout << "membership of " << defaults->groups.size() << " groups for " << rows
            << " rows: " << elapsed.count() << " s\n";
  // Rural, checked directly against its column.
  const Column& settlement = data.require("settlement", ColumnKind::choice);
  const auto& names = settlement.spec.categories;
  const auto rural = static_cast<std::uint16_t>(std::ranges::find(names, "rural") - names.begin());
  const auto& rural_group = named(result, "rural");
  for (std::size_t r = 0; r < rows; ++r) {
    ASSERT_EQ(rural_group.member[r] != 0, settlement.choice.code(r) == rural) << r;
  }
  for (const auto& g : result) {
    EXPECT_TRUE(g.applicable) << g.name;
    EXPECT_GT(g.members, 0) << g.name;
  }
}

}  // namespace
}  // namespace needsmap::analysis
