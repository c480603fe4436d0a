#include "store/open_answers.hpp"

namespace needsmap::store {

namespace {

AnswerReview read_review(Statement& s, int first) {
  return {.publishable = s.integer(first) != 0,
          .reviewed_by = s.text(first + 1),
          .reviewed_at = s.integer(first + 2)};
}

}  // namespace

std::vector<AnswerTheme> answer_themes(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "SELECT name, label FROM answer_themes WHERE campaign_id = $1 ORDER BY name");
  s.bind(1, campaign_id);
  std::vector<AnswerTheme> themes;
  while (s.step()) themes.push_back({s.text(0), s.text(1)});
  return themes;
}

std::optional<AnswerTheme> find_answer_theme(Store& store, std::int64_t campaign_id,
                                             const std::string& name) {
  Statement& s = store.connection().prepare(
      "SELECT name, label FROM answer_themes WHERE campaign_id = $1 AND name = $2");
  s.bind(1, campaign_id).bind(2, name);
  if (!s.step()) return std::nullopt;
  AnswerTheme theme{s.text(0), s.text(1)};
  s.run();
  return theme;
}

bool add_answer_theme(Store& store, std::int64_t campaign_id, const AnswerTheme& theme) {
  Statement& s = store.connection().prepare(
      "INSERT INTO answer_themes (campaign_id, name, label) VALUES ($1, $2, $3)"
      " ON CONFLICT (campaign_id, name) DO NOTHING RETURNING name");
  s.bind(1, campaign_id).bind(2, theme.name).bind(3, theme.label);
  const bool added = s.step();
  s.run();
  return added;
}

bool rename_answer_theme(Store& store, std::int64_t campaign_id, const std::string& name,
                         const std::string& label) {
  Statement& s = store.connection().prepare(
      "UPDATE answer_themes SET label = $3 WHERE campaign_id = $1 AND name = $2 RETURNING name");
  s.bind(1, campaign_id).bind(2, name).bind(3, label);
  const bool renamed = s.step();
  s.run();
  return renamed;
}

bool delete_answer_theme(Store& store, std::int64_t campaign_id, const std::string& name) {
  Connection& c = store.connection();
  c.prepare("DELETE FROM answer_tags WHERE campaign_id = $1 AND theme = $2")
      .bind(1, campaign_id)
      .bind(2, name)
      .run();
  Statement& s =
      c.prepare("DELETE FROM answer_themes WHERE campaign_id = $1 AND name = $2 RETURNING name");
  s.bind(1, campaign_id).bind(2, name);
  const bool deleted = s.step();
  s.run();
  return deleted;
}

void set_answer_tags(Store& store, std::int64_t campaign_id, const std::string& response_id,
                     const std::string& question, const std::vector<std::string>& themes) {
  Connection& c = store.connection();
  c.prepare("DELETE FROM answer_tags WHERE campaign_id = $1 AND response_id = $2 AND question = $3")
      .bind(1, campaign_id)
      .bind(2, response_id)
      .bind(3, question)
      .run();
  for (const std::string& theme : themes) {
    c.prepare(
         "INSERT INTO answer_tags (campaign_id, response_id, question, theme)"
         " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(1, campaign_id)
        .bind(2, response_id)
        .bind(3, question)
        .bind(4, theme)
        .run();
  }
}

std::vector<std::string> answer_tags(Store& store, std::int64_t campaign_id,
                                     const std::string& response_id, const std::string& question) {
  Statement& s = store.connection().prepare(
      "SELECT theme FROM answer_tags WHERE campaign_id = $1 AND response_id = $2"
      " AND question = $3 ORDER BY theme");
  s.bind(1, campaign_id).bind(2, response_id).bind(3, question);
  std::vector<std::string> themes;
  while (s.step()) themes.push_back(s.text(0));
  return themes;
}

std::map<std::string, std::vector<std::string>> question_tags(Store& store,
                                                              std::int64_t campaign_id,
                                                              const std::string& question) {
  Statement& s = store.connection().prepare(
      "SELECT response_id, theme FROM answer_tags WHERE campaign_id = $1 AND question = $2"
      " ORDER BY response_id, theme");
  s.bind(1, campaign_id).bind(2, question);
  std::map<std::string, std::vector<std::string>> tags;
  while (s.step()) tags[s.text(0)].push_back(s.text(1));
  return tags;
}

void review_answer(Store& store, std::int64_t campaign_id, const std::string& response_id,
                   const std::string& question, const AnswerReview& review) {
  store.connection()
      .prepare(
          "INSERT INTO answer_reviews (campaign_id, response_id, question, publishable,"
          " reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4, $5, $6)"
          " ON CONFLICT (campaign_id, response_id, question) DO UPDATE SET"
          " publishable = excluded.publishable, reviewed_by = excluded.reviewed_by,"
          " reviewed_at = excluded.reviewed_at")
      .bind(1, campaign_id)
      .bind(2, response_id)
      .bind(3, question)
      .bind(4, std::int64_t{review.publishable})
      .bind(5, review.reviewed_by)
      .bind(6, review.reviewed_at)
      .run();
}

void clear_answer_review(Store& store, std::int64_t campaign_id, const std::string& response_id,
                         const std::string& question) {
  store.connection()
      .prepare(
          "DELETE FROM answer_reviews WHERE campaign_id = $1 AND response_id = $2"
          " AND question = $3")
      .bind(1, campaign_id)
      .bind(2, response_id)
      .bind(3, question)
      .run();
}

std::optional<AnswerReview> find_answer_review(Store& store, std::int64_t campaign_id,
                                               const std::string& response_id,
                                               const std::string& question) {
  Statement& s = store.connection().prepare(
      "SELECT publishable, reviewed_by, reviewed_at FROM answer_reviews"
      " WHERE campaign_id = $1 AND response_id = $2 AND question = $3");
  s.bind(1, campaign_id).bind(2, response_id).bind(3, question);
  if (!s.step()) return std::nullopt;
  AnswerReview review = read_review(s, 0);
  s.run();
  return review;
}

std::map<std::string, AnswerReview> question_reviews(Store& store, std::int64_t campaign_id,
                                                     const std::string& question) {
  Statement& s = store.connection().prepare(
      "SELECT response_id, publishable, reviewed_by, reviewed_at FROM answer_reviews"
      " WHERE campaign_id = $1 AND question = $2 ORDER BY response_id");
  s.bind(1, campaign_id).bind(2, question);
  std::map<std::string, AnswerReview> reviews;
  while (s.step()) reviews.emplace(s.text(0), read_review(s, 1));
  return reviews;
}

std::map<std::string, ReviewCounts> review_counts(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "SELECT question, COUNT(*), SUM(publishable) FROM answer_reviews WHERE campaign_id = $1"
      " GROUP BY question ORDER BY question");
  s.bind(1, campaign_id);
  std::map<std::string, ReviewCounts> counts;
  while (s.step()) counts[s.text(0)] = {s.integer(1), s.integer(2)};
  return counts;
}

std::vector<std::string> publishable_responses(Store& store, std::int64_t campaign_id,
                                               const std::string& question) {
  Statement& s = store.connection().prepare(
      "SELECT r.answers FROM answer_reviews v JOIN responses r"
      " ON r.campaign_id = v.campaign_id AND r.id = v.response_id"
      " WHERE v.campaign_id = $1 AND v.question = $2 AND v.publishable = 1 ORDER BY r.id");
  s.bind(1, campaign_id).bind(2, question);
  std::vector<std::string> answers;
  while (s.step()) answers.push_back(s.text(0));
  return answers;
}

}  // namespace needsmap::store
