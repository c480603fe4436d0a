// Open (free-text) answers in the administration (/admin/m/{m}/c/{c}/answers): the campaign's
// text questions with how many answered each; for one question, the words respondents use most
// (Cyrillic and Latin together, forms of a word as one), its answers filtered by a word, a theme
// or their review, and plain forms with which analysts define themes, tag answers and review
// them. Answers are seen here only: nothing is published unless reviewed as publishable.
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <charconv>
#include <set>

#include "analysis/open_answers.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "store/accounts.hpp"
#include "store/open_answers.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/charts.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;
using access::Action;

namespace {

constexpr std::size_t answers_per_page = 50;
constexpr std::size_t words_shown = 30;
constexpr std::size_t max_label_length = 100;  // code points
constexpr std::size_t max_theme_name = 40;
constexpr std::size_t max_cached_campaigns = 4;
constexpr std::string_view untagged = "-";

bool is_text_question(const questionnaire::Question& q) {
  return q.type == questionnaire::QuestionType::text ||
         q.type == questionnaire::QuestionType::long_text;
}

// A question's label as people read it: an "other, please specify" text after its question.
std::string question_label(const questionnaire::Questionnaire& q,
                           const questionnaire::Question& question, const std::string& language) {
  std::string label = question.label.get(language);
  const auto* parent =
      question.other_of_question.empty() ? nullptr : q.find(question.other_of_question);
  return parent ? parent->label.get(language) + " — " + label : label;
}

bool valid_theme_name(std::string_view s) {
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  };
  return !s.empty() && s.size() <= max_theme_name && s != untagged &&
         std::all_of(s.begin(), s.end(), allowed);
}

// A theme's name made from its label: Latin, lower case, without diacritics, "_" between words;
// unique among `themes`.
std::string theme_name_for(const std::string& label,
                           const std::vector<store::AnswerTheme>& themes) {
  static constexpr std::pair<std::string_view, std::string_view> folded[] = {
      {"č", "c"}, {"ć", "c"}, {"š", "s"}, {"ž", "z"}, {"đ", "dj"},
      {"Č", "c"}, {"Ć", "c"}, {"Š", "s"}, {"Ž", "z"}, {"Đ", "dj"}};
  const std::string latin = text::serbian_to_latin(label);
  std::string name;
  for (std::size_t i = 0; i < latin.size() && name.size() < max_theme_name - 4;) {
    const char c = latin[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      name += c;
    } else if (c >= 'A' && c <= 'Z') {
      name += static_cast<char>(c - 'A' + 'a');
    } else {
      auto fold = std::find_if(std::begin(folded), std::end(folded), [&](const auto& f) {
        return std::string_view(latin).substr(i, f.first.size()) == f.first;
      });
      if (fold != std::end(folded)) {
        name += fold->second;
        i += fold->first.size();
        continue;
      }
      if (!name.empty() && name.back() != '_') name += '_';
    }
    ++i;
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  if (name.empty()) name = "theme";
  auto taken = [&](const std::string& n) {
    return std::any_of(themes.begin(), themes.end(), [&](const auto& t) { return t.name == n; });
  };
  std::string unique = name;
  for (int n = 2; taken(unique); ++n) unique = name + "_" + std::to_string(n);
  return unique;
}

const store::AnswerTheme* find_theme(const std::vector<store::AnswerTheme>& themes,
                                     std::string_view name) {
  auto it =
      std::find_if(themes.begin(), themes.end(), [&](const auto& t) { return t.name == name; });
  return it == themes.end() ? nullptr : &*it;
}

// Which answers a page shows: a word (a stem from the table, or any word typed), a theme
// ("-": none), a review state, and the page.
struct AnswerFilter {
  std::string word;
  std::string theme;
  std::string review;  // "", "pending", "yes", "no"
  std::size_t page{1};

  template <typename Fields>
  static AnswerFilter read(const Fields& fields, const std::string& prefix) {
    auto value = [&](const std::string& name) {
      auto it = fields.find(prefix + name);
      return it == fields.end() ? std::string() : text::trim(it->second);
    };
    AnswerFilter f{value("word"), value("theme"), value("review"), 1};
    const std::string page = value("page");
    std::size_t number = 0;
    auto [end, ec] = std::from_chars(page.data(), page.data() + page.size(), number);
    if (ec == std::errc{} && end == page.data() + page.size() && number > 0) f.page = number;
    return f;
  }

  // The query that shows this selection (after "?lang=…").
  std::string query(std::size_t on_page) const {
    std::string q;
    if (!word.empty()) q += "&word=" + url_encode(word);
    if (!theme.empty()) q += "&theme=" + url_encode(theme);
    if (!review.empty()) q += "&review=" + url_encode(review);
    if (on_page > 1) q += "&page=" + std::to_string(on_page);
    return q;
  }
};

std::string review_state(const store::AnswerReview* review) {
  if (!review) return "pending";
  return review->publishable ? "yes" : "no";
}

// What a form asks to change, checked: its audit entries (action, details), and the change.
struct Change {
  std::vector<std::pair<std::string, std::string>> entries;
  // Makes the change; false when what it rests on went away meanwhile (then nothing changes).
  UniqueFunction<bool(store::Store&)> apply;
};

struct ChangeRequest {
  const collect::FormFields& form;
  const Translations& t;
  const std::string& language;
  std::int64_t campaign_id{0};
  const analysis::OpenQuestion& question;
  const std::vector<store::AnswerTheme>& themes;
  std::string actor;
  std::int64_t now{0};
};

std::string joined(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += separator;
    out += n;
  }
  return out;
}

// Reads a theme form (add, rename, delete); the errors go to `errors`.
std::optional<Change> theme_change(const ChangeRequest& r, const std::string& op, json& errors) {
  const std::string label = text::clean_user_text(text::trim(field(r.form, "label")));
  const std::string name = text::trim(field(r.form, "theme"));
  const std::int64_t campaign_id = r.campaign_id;
  const std::string label_field = op == "theme_add" ? "theme-label" : "rename-" + name;
  const store::AnswerTheme* existing = find_theme(r.themes, name);
  if (op != "theme_add" && !existing) {
    errors.push_back(error_item(
        "themes", r.t.format(r.language, "admin_answers_error_unknown_theme", {{"theme", name}})));
    return std::nullopt;
  }
  if (op != "theme_delete") {
    if (label.empty()) {
      errors.push_back(error_item(label_field, r.t.text(r.language, "admin_answers_error_label")));
    } else if (text::code_points(label) > max_label_length) {
      errors.push_back(
          error_item(label_field, r.t.text(r.language, "admin_answers_error_label_long")));
    }
  }
  if (op == "theme_add" && !name.empty()) {
    if (!valid_theme_name(name)) {
      errors.push_back(error_item("theme-name", r.t.text(r.language, "admin_answers_error_name")));
    } else if (existing) {
      errors.push_back(
          error_item("theme-name",
                     r.t.format(r.language, "admin_answers_error_name_taken", {{"theme", name}})));
    }
  }
  if (!errors.empty()) return std::nullopt;
  if (op == "theme_add") {
    store::AnswerTheme theme{name.empty() ? theme_name_for(label, r.themes) : name, label};
    return Change{{{"answer_theme_add", "theme=" + theme.name + " label=" + label}},
                  [campaign_id, theme](store::Store& s) {
                    return store::add_answer_theme(s, campaign_id, theme);
                  }};
  }
  if (op == "theme_rename") {
    return Change{{{"answer_theme_rename", "theme=" + name + " label=" + label}},
                  [campaign_id, name, label](store::Store& s) {
                    return store::rename_answer_theme(s, campaign_id, name, label);
                  }};
  }
  return Change{{{"answer_theme_delete", "theme=" + name}}, [campaign_id, name](store::Store& s) {
                  return store::delete_answer_theme(s, campaign_id, name);
                }};
}

// Reads an answer's form: its themes (when the form has them) and its review (when given).
std::optional<Change> answer_change(const ChangeRequest& r, store::Store& reader, json& errors) {
  const std::string response = field(r.form, "response");
  const bool known = std::any_of(r.question.answers.begin(), r.question.answers.end(),
                                 [&](const auto& a) { return a.response_id == response; });
  if (!known) {
    errors.push_back(
        error_item("answers", r.t.text(r.language, "admin_answers_error_unknown_answer")));
    return std::nullopt;
  }
  std::optional<std::vector<std::string>> tags;
  if (r.form.contains("tags")) {
    std::set<std::string> chosen;
    auto [from, to] = r.form.equal_range("theme");
    for (auto it = from; it != to; ++it) {
      if (!find_theme(r.themes, it->second)) {
        errors.push_back(error_item(
            "answers",
            r.t.format(r.language, "admin_answers_error_unknown_theme", {{"theme", it->second}})));
      }
      chosen.insert(it->second);
    }
    tags = std::vector<std::string>(chosen.begin(), chosen.end());
  }
  std::optional<std::string> review;
  if (r.form.contains("review")) {
    review = field(r.form, "review");
    if (*review != "pending" && *review != "yes" && *review != "no") {
      errors.push_back(error_item("answers", r.t.text(r.language, "admin_answers_error_review")));
    }
  }
  if (!errors.empty()) return std::nullopt;

  const std::int64_t campaign_id = r.campaign_id;
  const std::string& question = r.question.name;
  Change change;
  if (tags && *tags == store::answer_tags(reader, campaign_id, response, question)) tags.reset();
  auto current = store::find_answer_review(reader, campaign_id, response, question);
  if (review && *review == review_state(current ? &*current : nullptr)) review.reset();
  const std::string about = "question=" + question + " response=" + response;
  if (tags) change.entries.emplace_back("answer_tags", about + " themes=" + joined(*tags, ","));
  if (review) change.entries.emplace_back("answer_review", about + " publishable=" + *review);
  store::AnswerReview decided{review == "yes", r.actor, r.now};
  change.apply = [campaign_id, question, response, tags, review, decided](store::Store& s) {
    if (tags) {
      for (const auto& theme : *tags) {
        if (!store::find_answer_theme(s, campaign_id, theme)) return false;
      }
      store::set_answer_tags(s, campaign_id, response, question, *tags);
    }
    if (review == "pending") {
      store::clear_answer_review(s, campaign_id, response, question);
    } else if (review) {
      store::review_answer(s, campaign_id, response, question, decided);
    }
    return true;
  };
  return change;
}

// Checks the selection: what is wrong goes to `errors`, and out of the selection.
void check_filter(AnswerFilter& f, const std::vector<store::AnswerTheme>& themes,
                  const Translations& t, const std::string& language, json& errors) {
  if (!f.theme.empty() && f.theme != untagged && !find_theme(themes, f.theme)) {
    errors.push_back(
        error_item("filter-theme",
                   t.format(language, "admin_answers_error_unknown_theme", {{"theme", f.theme}})));
    f.theme.clear();
  }
  if (!f.review.empty() && f.review != "pending" && f.review != "yes" && f.review != "no") {
    errors.push_back(error_item("filter-review", t.text(language, "admin_answers_error_review")));
    f.review.clear();
  }
}

}  // namespace

asio::awaitable<std::shared_ptr<const analysis::OpenAnswers>> Admin::open_answers_of(
    const store::Campaign& campaign, std::shared_ptr<const questionnaire::Questionnaire> q) {
  const std::int64_t campaign_id = campaign.id;
  const std::int64_t responses = m_app.reader().count_responses(campaign_id);
  {
    std::lock_guard lock(m_open_answers_mutex);
    auto cached = m_open_answers.find(campaign_id);
    if (cached != m_open_answers.end() && cached->second.responses == responses) {
      co_return cached->second.answers;
    }
  }
  auto built = std::make_shared<std::shared_ptr<const analysis::OpenAnswers>>();
  UniqueFunction<bool()> work = [built, database = m_app.m_config.database, campaign_id, q] {
    auto store = store::Store::open(database, store::Connection::Mode::read_only);
    if (!store) return false;
    *built = std::make_shared<const analysis::OpenAnswers>(
        analysis::collect_open_answers(**store, campaign_id, *q));
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done || !*built) co_return nullptr;
  std::lock_guard lock(m_open_answers_mutex);
  if (m_open_answers.size() >= max_cached_campaigns && !m_open_answers.contains(campaign_id)) {
    m_open_answers.erase(m_open_answers.begin());
  }
  m_open_answers[campaign_id] = {responses, *built};
  co_return *built;
}

asio::awaitable<Response> Admin::open_answers(Context& c, const store::Municipality& m,
                                              const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  std::shared_ptr<const analysis::OpenAnswers> open = co_await open_answers_of(campaign, q);
  if (!open) co_return message(c, 503, "http.503");
  json page = campaign_frame(c, m, campaign, *q, t.text(lang, "admin_answers"));
  const std::string base = campaign_admin_path(m, campaign) + "/answers/";
  const auto counts = store::review_counts(m_app.reader(), campaign.id);
  json rows = json::array();
  std::vector<Bar> bars;
  for (const auto& question : open->questions) {
    const auto* asked = q->find(question.name);
    if (!asked) continue;
    auto count = counts.find(question.name);
    const std::string label = question_label(*q, *asked, lang);
    const auto answered = static_cast<std::int64_t>(question.answers.size());
    rows.push_back(
        {{"label", label},
         {"name", question.name},
         {"href", c.href(base + url_encode(question.name))},
         {"answered", std::to_string(answered)},
         {"reviewed", std::to_string(count == counts.end() ? 0 : count->second.reviewed)},
         {"publishable", std::to_string(count == counts.end() ? 0 : count->second.publishable)}});
    bars.push_back({.label = label,
                    .value = answered,
                    .hidden = false,
                    .text = std::to_string(answered),
                    .muted = false});
  }
  page["questions"] = rows;
  page["has_questions"] = !rows.empty();
  if (!rows.empty()) page["chart"] = bar_chart(t.text(lang, "admin_answers_answered"), bars);
  json themes = json::array();
  for (const auto& theme : store::answer_themes(m_app.reader(), campaign.id)) {
    themes.push_back({{"label", theme.label}, {"name", theme.name}});
  }
  page["campaign_themes"] = themes;
  page["has_campaign_themes"] = !themes.empty();
  co_return render(c, 200, "admin_answers", page);
}

asio::awaitable<Response> Admin::open_question(Context& c, const store::Municipality& m,
                                               const store::Campaign& campaign,
                                               const std::string& name) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  const questionnaire::Question* asked = q->find(name);
  if (!asked || !is_text_question(*asked)) co_return message(c, 404, "admin_answers_no_question");
  std::shared_ptr<const analysis::OpenAnswers> open = co_await open_answers_of(campaign, q);
  if (!open) co_return message(c, 503, "http.503");
  const analysis::OpenQuestion* question = open->find(name);
  if (!question) co_return message(c, 404, "admin_answers_no_question");
  store::Store& reader = m_app.reader();
  const std::string path = campaign_admin_path(m, campaign) + "/answers/" + url_encode(name);
  const bool post = c.request.method() == http::verb::post;
  const bool manage = c.may(Action::manage_analysis, m.id);
  std::vector<store::AnswerTheme> themes = store::answer_themes(reader, campaign.id);
  AnswerFilter filter =
      post ? AnswerFilter::read(c.form, "f_") : AnswerFilter::read(c.target.query, "");
  json errors = json::array();
  unsigned status = 200;

  if (post) {
    const std::string op = field(c.form, "op");
    ChangeRequest request{c.form, t, lang, campaign.id, *question, themes, c.actor(), c.now};
    std::optional<Change> change;
    if (op == "theme_add" || op == "theme_rename" || op == "theme_delete") {
      change = theme_change(request, op, errors);
    } else if (op == "answer") {
      change = answer_change(request, reader, errors);
    } else {
      co_return message(c, 400, "http.400");
    }
    if (change) {
      std::vector<store::AuditEntry> entries;
      for (auto& [action, details] : change->entries) {
        entries.push_back(audit_entry(c, action, m.id, m.slug + "/" + campaign.slug, details));
      }
      auto applied = std::make_shared<bool>(false);
      store::Writer::Work work = [apply = std::move(change->apply), entries,
                                  applied](store::Store& s) mutable {
        *applied = apply(s);
        if (!*applied) return;
        for (const auto& entry : entries) store::audit(s, entry);
      };
      if (!entries.empty()) {
        bool stored = co_await m_app.write(std::move(work));
        if (!stored) co_return message(c, 503, "http.503");
      }
      if (entries.empty() || *applied) {
        std::string anchor = op == "answer" ? "#r-" + field(c.form, "response") : "#themes";
        co_return redirect_response(c.href(path) + filter.query(filter.page) + "&saved=1" + anchor);
      }
      errors.push_back(error_item("themes", t.text(lang, "admin_answers_error_changed")));
      themes = store::answer_themes(reader, campaign.id);
      status = 409;
    } else {
      status = 422;
    }
  }

  json page = campaign_frame(c, m, campaign, *q, question_label(*q, *asked, lang));
  page["lang"] = lang;
  page["action"] = path;
  page["post_action"] = c.href(path);
  page["answers_href"] = c.href(campaign_admin_path(m, campaign) + "/answers");
  page["question_name"] = name;
  page["manage"] = manage;
  page["saved"] = !post && c.target.query.contains("saved");
  page["answered"] = std::to_string(question->answers.size());
  check_filter(filter, themes, t, lang, errors);
  if (!errors.empty() && status == 200) status = 422;

  // The words respondents use most, each a link to the answers with it.
  json words = json::array();
  std::vector<Bar> bars;
  for (std::size_t i = 0; i < std::min(words_shown, question->words.size()); ++i) {
    const analysis::WordCount& w = question->words[i];
    words.push_back({{"shown", w.shown},
                     {"answers", std::to_string(w.answers)},
                     {"href", c.href(path) + "&word=" + url_encode(w.stem) + "#answers"},
                     {"current", w.stem == filter.word}});
    bars.push_back({.label = w.shown,
                    .value = w.answers,
                    .hidden = false,
                    .text = std::to_string(w.answers),
                    .muted = false});
  }
  page["words"] = words;
  page["has_words"] = !words.empty();
  if (!words.empty()) page["words_chart"] = bar_chart(t.text(lang, "admin_answers_words"), bars);

  // The word asked for: a stem of the table, or the stems of whatever was typed.
  std::vector<std::string> wanted;
  std::string word_shown = filter.word;
  if (!filter.word.empty()) {
    auto known = std::find_if(question->words.begin(), question->words.end(),
                              [&](const auto& w) { return w.stem == filter.word; });
    if (known != question->words.end()) {
      wanted = {known->stem};
      word_shown = known->shown;
    } else {
      wanted = analysis::answer_stems(filter.word, analysis::word_language(*q));
    }
  }
  const auto tags = store::question_tags(reader, campaign.id, name);
  const auto reviews = store::question_reviews(reader, campaign.id, name);
  std::vector<const analysis::OpenAnswer*> matching;
  const bool no_word_matches = !filter.word.empty() && wanted.empty();
  for (const auto& answer : question->answers) {
    if (no_word_matches) break;
    const bool has_words = std::all_of(wanted.begin(), wanted.end(), [&](const auto& stem) {
      return std::binary_search(answer.stems.begin(), answer.stems.end(), stem);
    });
    if (!has_words) continue;
    auto tagged = tags.find(answer.response_id);
    if (filter.theme == untagged && tagged != tags.end()) continue;
    if (!filter.theme.empty() && filter.theme != untagged &&
        (tagged == tags.end() || !std::ranges::binary_search(tagged->second, filter.theme))) {
      continue;
    }
    auto reviewed = reviews.find(answer.response_id);
    if (!filter.review.empty() &&
        review_state(reviewed == reviews.end() ? nullptr : &reviewed->second) != filter.review) {
      continue;
    }
    matching.push_back(&answer);
  }

  // The themes: how often each tags this question's answers, and the forms to change them.
  std::map<std::string, std::int64_t> tagged_with;
  for (const auto& [response, names] : tags) {
    for (const auto& theme : names) ++tagged_with[theme];
  }
  json theme_rows = json::array(), theme_options = json::array();
  for (const auto& theme : themes) {
    theme_rows.push_back(
        {{"name", theme.name},
         {"label", theme.label},
         {"count", std::to_string(tagged_with[theme.name])},
         {"rename_label", t.format(lang, "admin_answers_theme_rename", {{"theme", theme.label}})},
         {"delete_label", t.format(lang, "admin_answers_theme_delete", {{"theme", theme.label}})}});
    theme_options.push_back(
        {{"value", theme.name}, {"label", theme.label}, {"selected", theme.name == filter.theme}});
  }
  page["themes"] = theme_rows;
  page["has_themes"] = !theme_rows.empty();
  page["theme_options"] = theme_options;
  page["filter_untagged"] = filter.theme == untagged;
  json review_options = json::array();
  for (const char* state : {"pending", "yes", "no"}) {
    review_options.push_back({{"value", state},
                              {"label", t.text(lang, std::string("admin_answers_review_") + state)},
                              {"selected", filter.review == state}});
  }
  page["review_options"] = review_options;
  page["word_value"] = filter.word.empty() ? "" : word_shown;
  page["filtered"] = !filter.word.empty() || !filter.theme.empty() || !filter.review.empty();
  page["clear_href"] = c.href(path) + "#answers";
  page["f_word"] = filter.word;
  page["f_theme"] = filter.theme;
  page["f_review"] = filter.review;
  page["f_page"] = std::to_string(filter.page);
  if (post) {
    page["label_value"] = field(c.form, "op") == "theme_add" ? field(c.form, "label") : "";
    page["name_value"] = field(c.form, "op") == "theme_add" ? field(c.form, "theme") : "";
  }

  // This page of the answers.
  const std::size_t pages =
      std::max<std::size_t>(1, (matching.size() + answers_per_page - 1) / answers_per_page);
  const std::size_t current = std::min(filter.page, pages);
  const std::size_t first = (current - 1) * answers_per_page;
  const std::size_t last = std::min(matching.size(), first + answers_per_page);
  json items = json::array();
  for (std::size_t i = first; i < last; ++i) {
    const analysis::OpenAnswer& answer = *matching[i];
    auto tagged = tags.find(answer.response_id);
    auto reviewed = reviews.find(answer.response_id);
    const store::AnswerReview* review = reviewed == reviews.end() ? nullptr : &reviewed->second;
    const std::string state = review_state(review);
    const std::string number = std::to_string(i + 1);
    std::vector<std::string> labels;
    json choices = json::array(), states = json::array();
    for (const auto& theme : themes) {
      const bool on =
          tagged != tags.end() && std::ranges::binary_search(tagged->second, theme.name);
      if (on) labels.push_back(theme.label);
      choices.push_back({{"id", "a" + number + "-" + theme.name},
                         {"value", theme.name},
                         {"label", theme.label},
                         {"checked", on}});
    }
    for (const char* s : {"pending", "yes", "no"}) {
      states.push_back({{"id", "a" + number + "-review-" + s},
                        {"value", s},
                        {"label", t.text(lang, std::string("admin_answers_review_") + s)},
                        {"checked", state == s}});
    }
    std::string review_text = t.text(lang, "admin_answers_review_" + state);
    if (review) {
      review_text = t.format(lang, "admin_answers_reviewed_by",
                             {{"state", review_text},
                              {"who", review->reviewed_by},
                              {"date", clock::format_date(review->reviewed_at)}});
    }
    items.push_back({{"anchor", "r-" + answer.response_id},
                     {"number", number},
                     {"heading", t.format(lang, "admin_answers_answer", {{"number", number}})},
                     {"text", answer.text},
                     {"date", answer.submitted_on},
                     {"theme_labels", joined(labels, ", ")},
                     {"tagged", !labels.empty()},
                     {"review_text", review_text},
                     {"publishable", state == "yes"},
                     {"response", answer.response_id},
                     {"theme_choices", choices},
                     {"review_choices", states}});
  }
  page["items"] = items;
  page["has_items"] = !items.empty();
  page["shown"] = matching.empty()
                      ? t.text(lang, "admin_answers_shown_none")
                      : t.format(lang, "admin_answers_shown",
                                 {{"from", static_cast<std::int64_t>(first + 1)},
                                  {"to", static_cast<std::int64_t>(last)},
                                  {"total", static_cast<std::int64_t>(matching.size())}});
  if (pages > 1) {
    page["pager"] = {{"text", t.format(lang, "admin_answers_page",
                                       {{"page", static_cast<std::int64_t>(current)},
                                        {"pages", static_cast<std::int64_t>(pages)}})}};
    if (current > 1)
      page["pager"]["previous"] = c.href(path) + filter.query(current - 1) + "#answers";
    if (current < pages)
      page["pager"]["next"] = c.href(path) + filter.query(current + 1) + "#answers";
  }
  if (!errors.empty()) show_errors(page, errors);
  co_return render(c, status, "admin_answers_question", page);
}

}  // namespace needsmap::web
