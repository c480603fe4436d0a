// The administration's uploads: questionnaires from other tools (XLSForm, LimeSurvey) into stored
// versions, and responses typed into spreadsheets into a campaign — the same importers as
// `needsmap questionnaire import` and `needsmap import responses`, with their reports as pages.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "interop/questionnaire_import.hpp"
#include "interop/response_import.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/issue_text.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

// A report lists this many rejected rows at most; the rest are counted.
constexpr std::size_t max_listed_rejections = 500;

const UploadedFile* uploaded(const std::vector<UploadedFile>& files, std::string_view field) {
  for (const auto& f : files) {
    if (f.field == field && !f.data.empty()) return &f;
  }
  return nullptr;
}

std::string extension_of(const std::string& filename) {
  return text::ascii_lower(std::filesystem::path(filename).extension().string());
}

// The importers read files by name (the extension picks the format): the upload goes to a private
// temporary file that is removed however the import ends.
class TemporaryUpload {
 public:
  TemporaryUpload(const std::string& bytes, const std::string& extension) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("needsmap-upload-XXXXXX" + extension)).string();
    const int fd = mkstemps(pattern.data(), static_cast<int>(extension.size()));
    if (fd < 0) return;
    m_path = pattern;
    std::size_t written = 0;
    while (written < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
    m_complete = written == bytes.size();
    close(fd);
  }
  ~TemporaryUpload() {
    if (!m_path.empty()) unlink(m_path.c_str());
  }
  TemporaryUpload(const TemporaryUpload&) = delete;
  TemporaryUpload& operator=(const TemporaryUpload&) = delete;
  bool ok() const { return m_complete; }
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
  bool m_complete{false};
};

// "survey, row 12, column relevant (age)" in the page's language.
std::string note_place(const Translations& t, const std::string& language,
                       const interop::SheetNote& note) {
  std::string place = note.sheet;
  auto add = [&](const std::string& part) { place += (place.empty() ? "" : ", ") + part; };
  if (note.row > 0) add(t.format(language, "admin_note_row", {{"row", note.row}}));
  if (!note.column.empty()) add(t.format(language, "admin_note_column", {{"column", note.column}}));
  if (!note.name.empty()) place += " (" + note.name + ")";
  if (note.position > 0)
    add(t.format(language, "admin_note_position", {{"position", note.position}}));
  return place.empty() ? t.text(language, "admin_note_file") : place;
}

json note_rows(const Translations& t, const std::string& language,
               const interop::SheetNotes& notes) {
  json rows = json::array();
  for (const auto& note : notes) {
    rows.push_back({{"place", note_place(t, language, note)}, {"message", note.message}});
  }
  return rows;
}

}  // namespace

json Admin::stored_questionnaire_rows(Context& c, const store::Municipality& m) {
  json rows = json::array();
  store::Store& store = m_app.reader();
  for (const auto& v : store.list_questionnaire_versions()) {
    auto q = m_app.m_questionnaires.get(store, v.id);
    if (!q) continue;
    rows.push_back({{"id", v.id},
                    {"name", v.name},
                    {"version", v.version},
                    {"title", (*q)->title().get(c.language)},
                    {"new_href", c.href(municipality_admin_path(m) + "/new") + "&questionnaire=v" +
                                     std::to_string(v.id)}});
  }
  return rows;
}

asio::awaitable<Response> Admin::questionnaires(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  json page = frame(c, t.text(lang, "admin_questionnaires"));
  page["municipality"] = municipality_name(m, lang);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["action"] = c.href(municipality_admin_path(m) + "/questionnaires");
  auto finish = [&](unsigned status) {
    page["versions"] = stored_questionnaire_rows(c, m);
    return render(c, status, "admin_questionnaires", page);
  };
  if (c.request.method() != http::verb::post) co_return finish(200);

  const UploadedFile* file = uploaded(c.files, "file");
  if (!file) {
    show_errors(page, json::array({error_item("file", t.text(lang, "admin_error_no_file"))}));
    co_return finish(422);
  }
  const std::string extension = extension_of(file->filename);
  if (extension != ".xlsx" && extension != ".csv" && extension != ".lss") {
    show_errors(page,
                json::array({error_item("file", t.text(lang, "admin_error_questionnaire_type"))}));
    co_return finish(422);
  }

  // Reading and checking a workbook takes a moment: off the io threads.
  using Imported = std::expected<interop::ImportedQuestionnaire, interop::ImportFailure>;
  auto outcome = std::make_shared<std::optional<Imported>>();
  UniqueFunction<bool()> work = [outcome, bytes = file->data, extension,
                                 share = m_app.m_config.share] {
    auto catalogs = questionnaire::load_catalogs(share.catalogs());
    if (!catalogs) return false;
    TemporaryUpload upload(bytes, extension);
    if (!upload.ok()) return false;
    *outcome = interop::import_questionnaire_file(upload.path(), *catalogs);
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done || !*outcome) co_return message(c, 503, "http.503");
  const Imported& imported = **outcome;

  if (!imported) {
    show_errors(page, json::array({error_item("notes", t.text(lang, "admin_error_not_imported"))}));
    interop::SheetNotes notes = imported.error().errors;
    notes.insert(notes.end(), imported.error().skipped.begin(), imported.error().skipped.end());
    page["notes"] = note_rows(t, lang, notes);
    page["has_notes"] = true;
    page["notes_heading"] = t.text(lang, "admin_import_errors");
    co_return finish(422);
  }

  const questionnaire::Questionnaire& q = imported->questionnaire;
  auto stored = std::make_shared<Result<std::int64_t>>(std::unexpected(Error::internal("")));
  store::AuditEntry entry = audit_entry(c, "questionnaire_import", m.id,
                                        q.name() + " " + q.version(), "file=" + file->filename);
  store::Writer::Work save = [stored, entry, name = q.name(), version = q.version(),
                              content = q.resolved().dump()](store::Store& s) {
    *stored = s.store_questionnaire_version(name, version, content);
    if (*stored) store::audit(s, entry);
  };
  bool written = co_await m_app.write(std::move(save));
  if (!written) co_return message(c, 503, "http.503");
  if (!*stored) {
    show_errors(page, json::array({error_item("file", t.text(lang, "admin_error_version_taken"))}));
    co_return finish(422);
  }

  std::size_t answerable = 0;
  for (const auto& question : q.questions())
    answerable += questionnaire::takes_answer(question.type);
  page["imported"] = {{"heading", t.format(lang, "admin_imported_questionnaire",
                                           {{"title", q.title().get(lang)},
                                            {"version", q.version()},
                                            {"sections", q.sections().size()},
                                            {"questions", answerable}})},
                      {"new_href", c.href(municipality_admin_path(m) + "/new") +
                                       "&questionnaire=v" + std::to_string(**stored)}};
  if (!imported->skipped.empty()) {
    page["notes"] = note_rows(t, lang, imported->skipped);
    page["has_notes"] = true;
    page["notes_heading"] = t.text(lang, "admin_not_imported_list");
  }
  co_return finish(200);
}

asio::awaitable<Response> Admin::import_responses(Context& c, const store::Municipality& m,
                                                  const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  const std::string base = campaign_admin_path(m, campaign);
  json page = campaign_frame(c, m, campaign, *q, t.text(lang, "admin_import_responses"));
  page["action"] = c.href(base + "/import");
  page["skip_invalid"] = field(c.form, "skip_invalid") == "1";
  if (c.request.method() != http::verb::post)
    co_return render(c, 200, "admin_import_responses", page);

  const UploadedFile* file = uploaded(c.files, "file");
  const std::string extension = file ? extension_of(file->filename) : "";
  if (!file || (extension != ".xlsx" && extension != ".csv")) {
    const char* key = file ? "admin_error_responses_type" : "admin_error_no_file";
    show_errors(page, json::array({error_item("file", t.text(lang, key))}));
    co_return render(c, 422, "admin_import_responses", page);
  }

  // Checking every row as a submission takes a while for thousands of rows: off the io threads
  // and off the writer, which then only stores what was accepted.
  struct Checked {
    std::optional<Error> unreadable;
    interop::ResponseImportPlan plan;
  };
  auto checked = std::make_shared<Checked>();
  interop::ResponseImportOptions options{.skip_invalid = field(c.form, "skip_invalid") == "1",
                                         .today = clock::today_utc(),
                                         .file_digest = interop::content_digest(file->data)};
  UniqueFunction<bool()> work = [checked, q, campaign, options, bytes = file->data,
                                 csv = extension == ".csv"] {
    auto book = interop::read_response_workbook(bytes, csv);
    if (!book || book->sheets.empty()) {
      checked->unreadable = book ? Error::invalid("no sheet") : book.error();
      return true;
    }
    checked->plan = interop::prepare_response_import(campaign, *q, book->sheets.front(), options);
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done) co_return message(c, 503, "http.503");
  if (checked->unreadable) {
    show_errors(
        page,
        json::array({error_item("file", t.format(lang, "admin_error_unreadable",
                                                 {{"reason", checked->unreadable->message}}))}));
    co_return render(c, 422, "admin_import_responses", page);
  }

  interop::ResponseImportPlan& plan = checked->plan;
  if (plan.storable && !plan.accepted.empty()) {
    store::AuditEntry entry =
        audit_entry(c, "responses_import", m.id, m.slug + "/" + campaign.slug,
                    "file=" + file->filename + " rows=" + std::to_string(plan.report.rows));
    auto counted = std::make_shared<interop::ResponseImportPlan>(std::move(plan));
    // The writer may run a job twice (a failed batch is replayed job by job): counts start over.
    store::Writer::Work save = [counted, entry](store::Store& s) {
      counted->report.stored = counted->report.already_stored = 0;
      interop::store_response_import(s, *counted);
      store::audit(s, entry);
    };
    bool written = co_await m_app.write(std::move(save));
    if (!written) co_return message(c, 503, "http.503");
    plan = std::move(*counted);
  } else if (plan.storable) {
    plan.report.committed = true;  // nothing to store
  }

  const interop::ResponseImportReport& report = plan.report;
  json rejected = json::array();
  std::size_t listed = 0, more = 0;
  for (const auto& row : report.rejected) {
    for (const auto& issue : row.issues) {
      if (listed == max_listed_rejections) {
        ++more;
        continue;
      }
      ++listed;
      rejected.push_back({{"row", row.row},
                          {"question", issue.question},
                          {"message", answer_issue_text(t, lang, *q, issue)}});
    }
  }
  json ignored = json::array();
  for (const auto& note : report.ignored)
    ignored.push_back(note.column.empty() ? note.name : note.column);
  const bool refused = !report.rejected.empty() && !report.committed;
  page["report"] = {{"file", file->filename},
                    {"summary", t.format(lang, "admin_import_summary",
                                         {{"rows", report.rows},
                                          {"stored", report.stored},
                                          {"already", report.already_stored},
                                          {"rejected", report.rejected.size()}})},
                    {"refused", refused},
                    {"rejected", rejected},
                    {"has_rejected", !rejected.empty()},
                    {"more_rejected",
                     more ? t.format(lang, "admin_import_more", {{"count", more}}) : std::string()},
                    {"ignored", ignored},
                    {"has_ignored", !ignored.empty()}};
  co_return render(c, refused ? 422 : 200, "admin_import_responses", page);
}

}  // namespace needsmap::web
