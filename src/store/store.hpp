// The needsmap database: schema, migrations and every query. SQL lives here and nowhere else.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace needsmap::store {

struct Municipality {
  std::int64_t id{0};
  std::string slug;
  std::string name_cyrl;  // the official name in Serbian (or Macedonian) Cyrillic
  std::string name_latn;  // derived when not given
  std::string name_en;
  std::string name_mk;
  std::string statistical_code;
  std::optional<std::int64_t> area_id;  // the district (or republic) it belongs to
  std::int64_t min_cell_size{5};        // groups smaller than this are not shown
};

struct QuestionnaireVersion {
  std::int64_t id{0};
  std::string name;
  std::string version;
  std::string content;  // resolved questionnaire JSON
};

enum class CampaignStatus { draft, open, closed };
std::string_view to_string(CampaignStatus status);
std::optional<CampaignStatus> campaign_status_from_string(std::string_view s);

struct Campaign {
  std::int64_t id{0};
  std::int64_t municipality_id{0};
  std::string municipality_slug;
  std::string slug;
  std::int64_t questionnaire_version_id{0};
  std::optional<std::int64_t> opens_at;   // unix seconds; none: open as soon as status is open
  std::optional<std::int64_t> closes_at;  // unix seconds; none: until closed by hand
  CampaignStatus status{CampaignStatus::draft};
  std::string contact;  // whom respondents may ask, shown on the introduction page
  // Anonymity settings, fixed once the campaign has answers (the database refuses a change).
  std::int64_t min_cell_size{5};
  std::string date_precision{"day"};  // "day" or "month": how precisely submitted_on is kept
};

// Whether a campaign takes answers now.
enum class Availability { open, not_yet_open, closed, draft };
Availability availability(const Campaign& campaign, std::int64_t now);

// A response as stored. Deliberately holds no time, address or client detail: only the date.
struct ResponseRecord {
  std::string id;  // random UUID, returned to the client
  std::int64_t campaign_id{0};
  std::string submission_id;  // the client's idempotency key
  std::string submitted_on;   // YYYY-MM-DD
  std::string mode;           // web, api, interview, paper
  std::string language;
  std::string answers;  // JSON object
};

struct InsertOutcome {
  std::string id;
  bool created{false};  // false: the submission_id was already stored; id is the first one's
};

struct Draft {
  std::int64_t campaign_id{0};
  std::string answers;  // JSON object
  std::int64_t page{0};
  std::string language;
  std::int64_t furthest_page{0};  // counted once in the monitoring's page reach
};

// A table of the schema, for work over all of them (copying a database).
struct TableSpec {
  std::string_view name;
  std::string_view order_by;  // a stable order of its rows
  bool identity_id{false};    // an `id` numbered by the database
};

struct SchemaChange {
  int from{0};
  int to{0};
};

class Store {
 public:
  // `location`: an SQLite file (created when missing) or a `postgresql://` URL.
  static Result<std::unique_ptr<Store>> open(const std::string& location,
                                             Connection::Mode mode = Connection::Mode::read_write);

  // Creates or upgrades the schema; safe to call on every start. Refuses a database whose schema
  // is newer than this build knows.
  // `up_to` stops at an older version, for tests of a migration over existing rows.
  Result<SchemaChange> migrate(std::optional<int> up_to = std::nullopt);
  int schema_version();
  static int known_schema_version();
  // Every table, parents before the tables that refer to them.
  static std::span<const TableSpec> tables();

  Connection& connection() { return *m_connection; }

  // Municipalities
  std::int64_t upsert_municipality(const Municipality& m);
  std::optional<Municipality> find_municipality(std::string_view slug);

  // Questionnaire versions: stored once; the same name and version with other content is refused.
  Result<std::int64_t> store_questionnaire_version(const std::string& name,
                                                   const std::string& version,
                                                   const std::string& content);
  std::optional<QuestionnaireVersion> find_questionnaire_version(std::int64_t id);
  // Every stored version, newest first.
  std::vector<QuestionnaireVersion> list_questionnaire_versions();

  // Campaigns
  Result<std::int64_t> create_campaign(const Campaign& c);
  std::optional<Campaign> find_campaign(std::string_view municipality, std::string_view slug);
  std::vector<Campaign> list_campaigns(std::optional<std::int64_t> municipality_id = std::nullopt);
  // The window, status and contact; the anonymity settings go through update_anonymity.
  void update_campaign(const Campaign& c);
  // Refused (conflict) once the campaign has answers.
  Result<void> update_anonymity(std::int64_t campaign_id, std::int64_t min_cell_size,
                                const std::string& date_precision);
  std::vector<Municipality> list_municipalities();

  // Responses
  InsertOutcome insert_response(const ResponseRecord& r);
  std::int64_t count_responses(std::int64_t campaign_id);
  bool has_response(std::int64_t campaign_id, const std::string& submission_id);
  void for_each_response(std::int64_t campaign_id,
                         const std::function<void(const ResponseRecord&)>& visit);

  // Drafts of unfinished questionnaires, keyed by a hash of the respondent's random token.
  void save_draft(const std::string& token_hash, const Draft& d, std::int64_t expires_at);
  std::optional<Draft> load_draft(const std::string& token_hash, std::int64_t now);
  void delete_draft(const std::string& token_hash);
  // Deletes expired drafts and counts each as a respondent who left at its furthest page; call
  // it inside a transaction.
  std::int64_t purge_expired_drafts(std::int64_t now);

 private:
  explicit Store(std::unique_ptr<Connection> c) : m_connection(std::move(c)) {}
  Campaign read_campaign(Statement& s);
  std::unique_ptr<Connection> m_connection;
};

}  // namespace needsmap::store
