#include "store/store.hpp"

#include <array>

#include "core/random.hpp"
#include "core/text.hpp"

namespace needsmap::store {

namespace {

// Each migration moves the schema one version up; never edit one that has shipped.
constexpr std::array<std::string_view, 1> migrations = {
    R"sql(
CREATE TABLE municipalities (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name_cyrl TEXT NOT NULL,
  name_latn TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  name_mk TEXT NOT NULL DEFAULT '',
  statistical_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE questionnaire_versions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  content TEXT NOT NULL,
  UNIQUE (name, version)
);

-- A version that a campaign uses never changes.
CREATE TRIGGER questionnaire_versions_immutable
BEFORE UPDATE ON questionnaire_versions
WHEN EXISTS (SELECT 1 FROM campaigns WHERE questionnaire_version_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'questionnaire version is used by a campaign');
END;

CREATE TRIGGER questionnaire_versions_undeletable
BEFORE DELETE ON questionnaire_versions
WHEN EXISTS (SELECT 1 FROM campaigns WHERE questionnaire_version_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'questionnaire version is used by a campaign');
END;

CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
  slug TEXT NOT NULL,
  questionnaire_version_id INTEGER NOT NULL REFERENCES questionnaire_versions (id),
  opens_at INTEGER,
  closes_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
  contact TEXT NOT NULL DEFAULT '',
  UNIQUE (municipality_id, slug)
);

-- Anonymous by construction: no address, agent, cookie, referrer or time of day; the date only.
-- `id` is a random UUID given to the client and needs no index of its own. Rows are stored in
-- arrival order (see docs/decisions/0008 on why, and on keeping access logs off).
CREATE TABLE responses (
  id TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  submission_id TEXT NOT NULL,
  submitted_on TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('web', 'api', 'interview', 'paper')),
  language TEXT NOT NULL,
  answers TEXT NOT NULL CHECK (json_valid(answers)),
  UNIQUE (campaign_id, submission_id)
);

CREATE TABLE drafts (
  token_hash TEXT PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  answers TEXT NOT NULL,
  page INTEGER NOT NULL,
  language TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX drafts_expiry ON drafts (expires_at);
)sql",
};

}  // namespace

std::string_view to_string(CampaignStatus status) {
  switch (status) {
    case CampaignStatus::draft:
      return "draft";
    case CampaignStatus::open:
      return "open";
    case CampaignStatus::closed:
      return "closed";
  }
  return "draft";
}

std::optional<CampaignStatus> campaign_status_from_string(std::string_view s) {
  if (s == "draft") return CampaignStatus::draft;
  if (s == "open") return CampaignStatus::open;
  if (s == "closed") return CampaignStatus::closed;
  return std::nullopt;
}

Availability availability(const Campaign& c, std::int64_t now) {
  if (c.status == CampaignStatus::draft) return Availability::draft;
  if (c.status == CampaignStatus::closed) return Availability::closed;
  if (c.opens_at && now < *c.opens_at) return Availability::not_yet_open;
  if (c.closes_at && now >= *c.closes_at) return Availability::closed;
  return Availability::open;
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, Connection::Mode mode) {
  auto connection = Connection::open(path, mode);
  if (!connection) return std::unexpected(connection.error());
  return std::unique_ptr<Store>(new Store(std::move(*connection)));
}

int Store::schema_version() {
  Statement& s = m_connection->prepare("PRAGMA user_version");
  s.step();
  int version = static_cast<int>(s.integer(0));
  s.run();
  return version;
}

void Store::migrate() {
  Transaction t(*m_connection);
  int version = schema_version();
  for (std::size_t v = static_cast<std::size_t>(version); v < migrations.size(); ++v) {
    m_connection->exec(migrations[v]);
  }
  if (static_cast<std::size_t>(version) < migrations.size()) {
    m_connection->exec("PRAGMA user_version = " + std::to_string(migrations.size()));
  }
  t.commit();
}

std::int64_t Store::upsert_municipality(const Municipality& m) {
  std::string latin = m.name_latn.empty() ? text::serbian_to_latin(m.name_cyrl) : m.name_latn;
  Statement& s = m_connection->prepare(
      "INSERT INTO municipalities (slug, name_cyrl, name_latn, name_en, name_mk, statistical_code)"
      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET name_cyrl = excluded.name_cyrl,"
      " name_latn = excluded.name_latn, name_en = excluded.name_en, name_mk = excluded.name_mk,"
      " statistical_code = excluded.statistical_code RETURNING id");
  s.bind(1, m.slug).bind(2, m.name_cyrl).bind(3, latin).bind(4, m.name_en).bind(5, m.name_mk);
  s.bind(6, m.statistical_code);
  s.step();
  std::int64_t id = s.integer(0);
  s.run();
  return id;
}

std::optional<Municipality> Store::find_municipality(std::string_view slug) {
  Statement& s = m_connection->prepare(
      "SELECT id, slug, name_cyrl, name_latn, name_en, name_mk, statistical_code"
      " FROM municipalities WHERE slug = ?");
  s.bind(1, slug);
  if (!s.step()) return std::nullopt;
  Municipality m{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
  s.run();  // finish the statement so this connection holds no read snapshot
  return m;
}

Result<std::int64_t> Store::store_questionnaire_version(const std::string& name,
                                                        const std::string& version,
                                                        const std::string& content) {
  Statement& find = m_connection->prepare(
      "SELECT id, content FROM questionnaire_versions WHERE name = ? AND version = ?");
  find.bind(1, name).bind(2, version);
  if (find.step()) {
    std::int64_t id = find.integer(0);
    bool same = find.text(1) == content;
    find.run();
    if (!same) {
      return std::unexpected(Error::conflict(
          "questionnaire " + name + " version " + version +
          " is already stored with different content; give the changed file a new version"));
    }
    return id;
  }
  Statement& insert = m_connection->prepare(
      "INSERT INTO questionnaire_versions (name, version, content) VALUES (?, ?, ?) RETURNING id");
  insert.bind(1, name).bind(2, version).bind(3, content);
  insert.step();
  std::int64_t id = insert.integer(0);
  insert.run();
  return id;
}

std::optional<QuestionnaireVersion> Store::find_questionnaire_version(std::int64_t id) {
  Statement& s = m_connection->prepare(
      "SELECT id, name, version, content FROM questionnaire_versions WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  QuestionnaireVersion v{s.integer(0), s.text(1), s.text(2), s.text(3)};
  s.run();
  return v;
}

namespace {
constexpr const char* campaign_columns =
    "SELECT c.id, c.municipality_id, m.slug, c.slug, c.questionnaire_version_id, c.opens_at,"
    " c.closes_at, c.status, c.contact FROM campaigns c"
    " JOIN municipalities m ON m.id = c.municipality_id";
}

Campaign Store::read_campaign(Statement& s) {
  Campaign c;
  c.id = s.integer(0);
  c.municipality_id = s.integer(1);
  c.municipality_slug = s.text(2);
  c.slug = s.text(3);
  c.questionnaire_version_id = s.integer(4);
  c.opens_at = s.optional_integer(5);
  c.closes_at = s.optional_integer(6);
  c.status = campaign_status_from_string(s.text(7)).value_or(CampaignStatus::draft);
  c.contact = s.text(8);
  return c;
}

Result<std::int64_t> Store::create_campaign(const Campaign& c) {
  if (c.opens_at && c.closes_at && *c.closes_at <= *c.opens_at) {
    return std::unexpected(Error::invalid("the campaign must close after it opens"));
  }
  Statement& exists =
      m_connection->prepare("SELECT 1 FROM campaigns WHERE municipality_id = ? AND slug = ?");
  exists.bind(1, c.municipality_id).bind(2, c.slug);
  if (exists.step()) {
    exists.run();
    return std::unexpected(Error::conflict("campaign " + c.slug + " already exists"));
  }
  Statement& s = m_connection->prepare(
      "INSERT INTO campaigns (municipality_id, slug, questionnaire_version_id, opens_at,"
      " closes_at, status, contact) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.bind(1, c.municipality_id).bind(2, c.slug).bind(3, c.questionnaire_version_id);
  s.bind(4, c.opens_at).bind(5, c.closes_at).bind(6, to_string(c.status)).bind(7, c.contact);
  s.step();
  std::int64_t id = s.integer(0);
  s.run();
  return id;
}

std::optional<Campaign> Store::find_campaign(std::string_view municipality, std::string_view slug) {
  Statement& s =
      m_connection->prepare(std::string(campaign_columns) + " WHERE m.slug = ? AND c.slug = ?");
  s.bind(1, municipality).bind(2, slug);
  if (!s.step()) return std::nullopt;
  Campaign c = read_campaign(s);
  s.run();
  return c;
}

std::vector<Campaign> Store::list_campaigns(std::optional<std::int64_t> municipality_id) {
  Statement& s = m_connection->prepare(std::string(campaign_columns) +
                                       " WHERE ?1 IS NULL OR c.municipality_id = ?1"
                                       " ORDER BY m.slug, c.slug");
  s.bind(1, municipality_id);
  std::vector<Campaign> out;
  while (s.step()) out.push_back(read_campaign(s));
  return out;
}

void Store::update_campaign(const Campaign& c) {
  Statement& s = m_connection->prepare(
      "UPDATE campaigns SET opens_at = ?, closes_at = ?, status = ?, contact = ? WHERE id = ?");
  s.bind(1, c.opens_at).bind(2, c.closes_at).bind(3, to_string(c.status)).bind(4, c.contact);
  s.bind(5, c.id);
  s.run();
}

InsertOutcome Store::insert_response(const ResponseRecord& r) {
  Statement& s = m_connection->prepare(
      "INSERT INTO responses (id, campaign_id, submission_id, submitted_on, mode, language,"
      " answers) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, submission_id) DO NOTHING");
  s.bind(1, r.id).bind(2, r.campaign_id).bind(3, r.submission_id).bind(4, r.submitted_on);
  s.bind(5, r.mode).bind(6, r.language).bind(7, r.answers);
  s.run();
  if (m_connection->changes() == 1) return {r.id, true};
  Statement& existing =
      m_connection->prepare("SELECT id FROM responses WHERE campaign_id = ? AND submission_id = ?");
  existing.bind(1, r.campaign_id).bind(2, r.submission_id);
  existing.step();
  std::string id = existing.text(0);
  existing.run();
  return {id, false};
}

std::int64_t Store::count_responses(std::int64_t campaign_id) {
  Statement& s = m_connection->prepare("SELECT count(*) FROM responses WHERE campaign_id = ?");
  s.bind(1, campaign_id);
  s.step();
  std::int64_t n = s.integer(0);
  s.run();
  return n;
}

bool Store::has_response(std::int64_t campaign_id, const std::string& submission_id) {
  Statement& s =
      m_connection->prepare("SELECT 1 FROM responses WHERE campaign_id = ? AND submission_id = ?");
  s.bind(1, campaign_id).bind(2, submission_id);
  bool found = s.step();
  s.run();
  return found;
}

void Store::for_each_response(std::int64_t campaign_id,
                              const std::function<void(const ResponseRecord&)>& visit) {
  Statement& s = m_connection->prepare(
      "SELECT id, campaign_id, submission_id, submitted_on, mode, language, answers"
      " FROM responses WHERE campaign_id = ? ORDER BY submitted_on, id");
  s.bind(1, campaign_id);
  while (s.step()) {
    visit(ResponseRecord{s.text(0), s.integer(1), s.text(2), s.text(3), s.text(4), s.text(5),
                         s.text(6)});
  }
}

void Store::save_draft(const std::string& token_hash, const Draft& d, std::int64_t expires_at) {
  Statement& s = m_connection->prepare(
      "INSERT INTO drafts (token_hash, campaign_id, answers, page, language, expires_at)"
      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET answers = "
      "excluded.answers,"
      " page = excluded.page, language = excluded.language, expires_at = excluded.expires_at");
  s.bind(1, token_hash).bind(2, d.campaign_id).bind(3, d.answers).bind(4, d.page);
  s.bind(5, d.language).bind(6, expires_at);
  s.run();
}

std::optional<Draft> Store::load_draft(const std::string& token_hash, std::int64_t now) {
  Statement& s = m_connection->prepare(
      "SELECT campaign_id, answers, page, language FROM drafts"
      " WHERE token_hash = ? AND expires_at > ?");
  s.bind(1, token_hash).bind(2, now);
  if (!s.step()) return std::nullopt;
  Draft d{s.integer(0), s.text(1), s.integer(2), s.text(3)};
  s.run();
  return d;
}

void Store::delete_draft(const std::string& token_hash) {
  Statement& s = m_connection->prepare("DELETE FROM drafts WHERE token_hash = ?");
  s.bind(1, token_hash);
  s.run();
}

std::int64_t Store::purge_expired_drafts(std::int64_t now) {
  Statement& s = m_connection->prepare("DELETE FROM drafts WHERE expires_at <= ?");
  s.bind(1, now);
  s.run();
  return m_connection->changes();
}

}  // namespace needsmap::store
