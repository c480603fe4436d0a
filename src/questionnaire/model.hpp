// The questionnaire model: an immutable, validated questionnaire version.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "questionnaire/expression.hpp"
#include "questionnaire/text.hpp"

namespace needsmap::questionnaire {

enum class QuestionType {
  single,
  multiple,
  scale,
  matrix,
  ranking,
  integer,
  decimal,
  text,
  long_text,
  date,
  year,
  note,
  calculate,
};

std::optional<QuestionType> question_type_from_string(std::string_view s);
std::string_view to_string(QuestionType type);

bool has_choices(QuestionType type);      // single, multiple, scale, matrix, ranking
bool is_numeric(QuestionType type);       // integer, decimal, year
bool takes_answer(QuestionType type);     // everything but note and calculate
bool is_multi_valued(QuestionType type);  // multiple, ranking

struct Choice {
  std::string name;
  LocalizedText label;
  bool exclusive{false};
  bool other{false};
};

struct Question {
  std::string name;
  QuestionType type{QuestionType::text};
  std::size_t section{0};
  LocalizedText label;
  LocalizedText hint;
  LocalizedText required_message;
  LocalizedText constraint_message;
  bool required{false};                     // always required (when relevant)
  std::optional<Expression> required_when;  // required when true (when relevant)
  std::optional<Expression> relevant;
  std::optional<Expression> constraint;
  std::optional<Expression> calculation;
  std::vector<Choice> choices;
  std::vector<Choice> rows;  // matrix rows
  std::optional<double> min;
  std::optional<double> max;
  std::string min_date;
  std::string max_date;
  int min_selections{0};
  int max_selections{0};  // 0: no limit
  std::size_t max_length{0};
  // For the implicit "other, please specify" text: the question and choice it belongs to.
  std::string other_of_question;
  std::string other_of_choice;

  const Choice* find_choice(std::string_view name) const;
  const Choice* find_row(std::string_view name) const;
};

struct Section {
  std::string name;
  LocalizedText title;
  LocalizedText description;
  std::optional<Expression> relevant;
  std::vector<std::size_t> questions;  // indexes into Questionnaire::questions()
};

class Questionnaire {
 public:
  const std::string& name() const { return m_name; }
  const std::string& version() const { return m_version; }
  const LocalizedText& title() const { return m_title; }
  const LocalizedText& description() const { return m_description; }
  int estimated_minutes() const { return m_estimated_minutes; }
  const std::vector<std::string>& languages() const { return m_languages; }
  const std::vector<Section>& sections() const { return m_sections; }
  const std::vector<Question>& questions() const { return m_questions; }
  // Questions in an order where everything an expression refers to comes first.
  const std::vector<std::size_t>& evaluation_order() const { return m_evaluation_order; }
  const Question* find(std::string_view name) const;
  // The questionnaire as self-contained JSON (catalogs resolved, sr-Latn derived): what a
  // campaign stores and what the API serves.
  const nlohmann::json& resolved() const { return m_resolved; }

 private:
  friend class QuestionnaireBuilder;
  std::string m_name;
  std::string m_version;
  LocalizedText m_title;
  LocalizedText m_description;
  int m_estimated_minutes{0};
  std::vector<std::string> m_languages;
  std::vector<Section> m_sections;
  std::vector<Question> m_questions;
  // Hashed: expressions look names up on every evaluation.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> m_index;
  std::vector<std::size_t> m_evaluation_order;
  nlohmann::json m_resolved;
};

}  // namespace needsmap::questionnaire
