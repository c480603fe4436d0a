#include "interop/response_import.hpp"

#include "interop/csv_reader.hpp"
#include "interop/xlsx_reader.hpp"

#include <cstdio>
#include <set>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace needsmap::interop {

namespace {

using json = nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::string item;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == ';' || c == '\n' || c == '\t') {
      if (!item.empty()) out.push_back(std::move(item));
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(std::move(item));
  return out;
}

// A choice typed by its label ("Да", "Yes") instead of its name ("yes") becomes its name.
std::string choice_name(const std::vector<questionnaire::Choice>& choices, const std::string& v) {
  for (const auto& c : choices) {
    if (c.name == v) return v;
  }
  for (const auto& c : choices) {
    for (const auto& [language, label] : c.label.all()) {
      if (text::trim(label) == v) return c.name;
    }
  }
  return v;
}

bool ticked(std::string_view v) {
  std::string l = text::ascii_lower(text::trim(v));
  return l == "1" || l == "yes" || l == "true" || l == "x" || l == "да" || l == "da";
}

// What each column of the sheet feeds.
struct ColumnUse {
  enum class Kind { ignored, question, part, submission_id, language, submitted_on } kind{};
  const Question* question{nullptr};
  std::string part;  // the option, row or rank after the slash
};

std::string hex128(std::uint64_t a, std::uint64_t b) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buffer;
}

// An id for the n-th row of a file, shaped like a UUID (version 8: derived, not random).
std::string row_submission_id(const std::string& digest, std::size_t row) {
  std::string h = content_digest(digest + "#" + std::to_string(row));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-8" + h.substr(13, 3) + "-a" + h.substr(17, 3) +
         "-" + h.substr(20, 12);
}

}  // namespace

std::string content_digest(std::string_view bytes) {
  std::uint64_t a = 14695981039346656037ull, b = 0x6c62272e07bb0142ull;
  for (unsigned char c : bytes) {
    a = (a ^ c) * 1099511628211ull;
    b = (b ^ c) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
  }
  return hex128(a, b);
}

ResponseImportPlan prepare_response_import(const store::Campaign& campaign,
                                           const questionnaire::Questionnaire& q,
                                           const Sheet& sheet,
                                           const ResponseImportOptions& options) {
  ResponseImportPlan plan;
  ResponseImportReport& report = plan.report;
  if (sheet.rows.empty()) return plan;

  std::vector<ColumnUse> columns;
  for (const auto& raw : sheet.rows[0]) {
    std::string header = text::trim(raw);
    ColumnUse use;
    if (header == "submission_id") {
      use.kind = ColumnUse::Kind::submission_id;
    } else if (header == "language") {
      use.kind = ColumnUse::Kind::language;
    } else if (header == "submitted_on") {
      use.kind = ColumnUse::Kind::submitted_on;
    } else if (const Question* question = q.find(header)) {
      // Calculated values are worked out again; notes take nothing.
      if (questionnaire::takes_answer(question->type)) {
        use.kind = ColumnUse::Kind::question;
        use.question = question;
      }
    } else if (auto slash = header.find('/'); slash != std::string::npos) {
      const Question* parent = q.find(std::string_view(header).substr(0, slash));
      if (parent &&
          (parent->type == QuestionType::multiple || parent->type == QuestionType::matrix ||
           parent->type == QuestionType::ranking)) {
        use.kind = ColumnUse::Kind::part;
        use.question = parent;
        use.part = header.substr(slash + 1);
      }
    }
    bool exported_metadata = header == "response_id" || header == "mode" || header.empty();
    if (use.kind == ColumnUse::Kind::ignored && !exported_metadata &&
        !(q.find(header) && !questionnaire::takes_answer(q.find(header)->type))) {
      report.ignored.push_back({.sheet = sheet.name,
                                .row = 1,
                                .column = header,
                                .name = "",
                                .message = "not a question of " + q.name() + " " + q.version() +
                                           ": the column is ignored",
                                .position = 0});
    }
    columns.push_back(std::move(use));
  }

  auto& accepted = plan.accepted;
  for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
    const auto& cells = sheet.rows[r];
    bool any = false;
    for (const auto& c : cells) any = any || !text::trim(c).empty();
    if (!any) continue;
    ++report.rows;

    collect::FormFields fields;
    std::string submission_id = row_submission_id(options.file_digest, r + 1);
    std::string language = "sr-Cyrl";
    std::string submitted_on = options.today;
    for (std::size_t c = 0; c < columns.size() && c < cells.size(); ++c) {
      std::string v = text::trim(cells[c]);
      if (v.empty()) continue;
      const ColumnUse& use = columns[c];
      const Question* question = use.question;
      switch (use.kind) {
        case ColumnUse::Kind::ignored:
          break;
        case ColumnUse::Kind::submission_id:
          submission_id = v;
          break;
        case ColumnUse::Kind::language:
          if (std::find(q.languages().begin(), q.languages().end(), v) != q.languages().end()) {
            language = v;
          }
          break;
        case ColumnUse::Kind::submitted_on:
          if (clock::is_valid_date(v.substr(0, 10))) submitted_on = v.substr(0, 10);
          break;
        case ColumnUse::Kind::question:
          if (question->type == QuestionType::multiple) {
            for (const auto& item : split_list(v)) {
              fields.emplace(question->name, choice_name(question->choices, item));
            }
          } else if (question->type == QuestionType::ranking) {
            int rank = 0;
            for (const auto& item : split_list(v)) {
              fields.emplace(question->name + "/" + std::to_string(++rank),
                             choice_name(question->choices, item));
            }
          } else if (question->type == QuestionType::single ||
                     question->type == QuestionType::scale) {
            fields.emplace(question->name, choice_name(question->choices, v));
          } else {
            fields.emplace(question->name, v);
          }
          break;
        case ColumnUse::Kind::part:
          if (question->type == QuestionType::multiple) {
            if (ticked(v)) fields.emplace(question->name, use.part);
          } else {
            fields.emplace(question->name + "/" + use.part, choice_name(question->choices, v));
          }
          break;
      }
    }

    // Read every page as the respondent's form would be read, then check the whole submission.
    json answers = json::object();
    std::vector<questionnaire::AnswerIssue> typed;
    for (std::size_t s = 0; s < q.sections().size(); ++s) {
      auto issues = collect::read_page_fields(q, s, fields, answers);
      typed.insert(typed.end(), issues.begin(), issues.end());
    }
    auto checked = collect::check_submission(q, answers, options.today,
                                             questionnaire::IrrelevantAnswers::reject);
    if (!typed.empty() || !checked) {
      std::vector<questionnaire::AnswerIssue> issues = typed;
      std::set<std::string> named;
      for (const auto& t : typed) named.insert(t.question);
      if (!checked) {
        for (const auto& i : checked.error()) {
          if (!named.contains(i.question)) issues.push_back(i);
        }
      }
      report.rejected.push_back({.row = r + 1, .issues = std::move(issues)});
      continue;
    }
    accepted.push_back(
        store::ResponseRecord{.id = random::uuid_v4(),
                              .campaign_id = campaign.id,
                              .submission_id = submission_id,
                              .submitted_on = collect::submission_date(campaign, submitted_on),
                              .mode = "import",
                              .language = language,
                              .answers = checked->dump()});
  }

  plan.storable = report.rejected.empty() || options.skip_invalid;
  return plan;
}

void store_response_import(store::Store& store, ResponseImportPlan& plan) {
  if (!plan.storable) return;
  for (const auto& record : plan.accepted) {
    auto outcome = store.insert_response(record);
    (outcome.created ? plan.report.stored : plan.report.already_stored) += 1;
  }
  plan.report.committed = true;
}

ResponseImportReport import_responses(store::Store& store, const store::Campaign& campaign,
                                      const questionnaire::Questionnaire& q, const Sheet& sheet,
                                      const ResponseImportOptions& options) {
  ResponseImportPlan plan = prepare_response_import(campaign, q, sheet, options);
  if (!plan.storable) return plan.report;
  store::Transaction transaction(store.connection());
  store_response_import(store, plan);
  transaction.commit();
  return plan.report;
}

Result<Workbook> read_response_workbook(std::string_view bytes, bool csv) {
  const ReadLimits limits{.max_rows = 1'000'000, .max_columns = 4096, .max_entry_bytes = 512 << 20};
  if (!csv) return read_xlsx_bytes(bytes, limits);
  auto rows = parse_csv(bytes, limits);
  if (!rows) return std::unexpected(rows.error());
  return Workbook{.sheets = {{.name = "", .rows = std::move(*rows)}}};
}

}  // namespace needsmap::interop
