// The administration at /admin: sign-in, municipalities and their campaigns, users and the audit
// log. Every route asks access::allowed() before it shows or changes anything.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/monitoring.hpp"
#include "analysis/open_answers.hpp"
#include "plan/priorities.hpp"
#include "registry/editing.hpp"
#include "store/proposals.hpp"
#include "web/admin_session.hpp"
#include "web/forms.hpp"
#include "web/http_server.hpp"

namespace needsmap::web {

class App;
struct CampaignContext;
struct WeightedData;
struct PlanAnalysis;

class Admin {
 public:
  explicit Admin(App& app);

  // `target.segments` starts with "admin".
  boost::asio::awaitable<Response> handle(Request& request, const Target& target,
                                          const std::string& language,
                                          const std::string& client_address);

 private:
  using json = nlohmann::json;
  struct Context;  // one request: who, in which language, with which form

  boost::asio::awaitable<Response> sign_in_page(Context& c);
  boost::asio::awaitable<Response> sign_in(Context& c, const std::string& client_address);
  boost::asio::awaitable<Response> sign_out(Context& c);
  boost::asio::awaitable<Response> password(Context& c);
  Response home(Context& c);
  Response entry_saved(Context& c, const CampaignContext& context);
  Response municipality(Context& c, const store::Municipality& m);
  Response campaign(Context& c, const store::Municipality& m, const store::Campaign& campaign,
                    const json& errors = json::array());
  boost::asio::awaitable<Response> campaign_status(Context& c, const store::Municipality& m,
                                                   store::Campaign campaign);
  boost::asio::awaitable<Response> campaign_settings(Context& c, const store::Municipality& m,
                                                     store::Campaign campaign);
  boost::asio::awaitable<Response> new_campaign(Context& c, const store::Municipality& m);
  boost::asio::awaitable<Response> export_responses(Context& c, const store::Municipality& m,
                                                    const store::Campaign& campaign);
  boost::asio::awaitable<Response> users(Context& c, const store::Municipality& m);
  Response audit_log(Context& c, const store::Municipality& m);
  // admin_imports.cpp
  boost::asio::awaitable<Response> questionnaires(Context& c, const store::Municipality& m);
  boost::asio::awaitable<Response> import_responses(Context& c, const store::Municipality& m,
                                                    const store::Campaign& campaign);
  // The stored questionnaire versions as table rows, each with a link to a new survey using it.
  json stored_questionnaire_rows(Context& c, const store::Municipality& m);
  // admin_population.cpp
  boost::asio::awaitable<Response> population(Context& c, const store::Municipality& m);
  // admin_resources.cpp
  Response resources(Context& c, const store::Municipality& m);
  // admin_groups.cpp
  boost::asio::awaitable<Response> groups(Context& c, const store::Municipality& m);
  boost::asio::awaitable<Response> group_profiles(Context& c, const store::Municipality& m,
                                                  const store::Campaign& campaign);
  // admin_open_answers.cpp
  boost::asio::awaitable<Response> open_answers(Context& c, const store::Municipality& m,
                                                const store::Campaign& campaign);
  boost::asio::awaitable<Response> open_question(Context& c, const store::Municipality& m,
                                                 const store::Campaign& campaign,
                                                 const std::string& name);
  // The campaign's open answers and their words, gathered off the io threads and kept while no
  // response has come in; null when the server is too busy.
  boost::asio::awaitable<std::shared_ptr<const analysis::OpenAnswers>> open_answers_of(
      const store::Campaign& campaign, std::shared_ptr<const questionnaire::Questionnaire> q);
  // admin_analysis.cpp
  // The data of the analysis pages, weighted when asked and possible; when it is not possible the
  // page gets `weighting_problem` and unweighted data; none when the server is too busy.
  boost::asio::awaitable<std::optional<WeightedData>> analysis_data(Context& c,
                                                                    const CampaignContext& context,
                                                                    bool raked, json& page);
  // admin_plan.cpp
  // The gap analysis and priorities of a citizens' campaign whose data has the unmet-need
  // question and rows; null when the server is too busy.
  boost::asio::awaitable<std::shared_ptr<const PlanAnalysis>> plan_analysis(
      const CampaignContext& context, const WeightedData& citizens,
      const plan::PriorityWeights& weights);
  boost::asio::awaitable<Response> plan(Context& c, const store::Municipality& m,
                                        const store::Campaign& campaign);
  boost::asio::awaitable<Response> analysis(Context& c, const store::Municipality& m,
                                            const store::Campaign& campaign);
  // admin_publish.cpp
  boost::asio::awaitable<Response> publish(Context& c, const store::Municipality& m,
                                           const store::Campaign& campaign);
  // The draft Programme drawn from the published results: `file` is programme.docx or .pdf.
  boost::asio::awaitable<Response> programme_file(Context& c, const store::Municipality& m,
                                                  const store::Campaign& campaign,
                                                  const std::string& file);
  // The campaign's results report in every language it is published in, as the JSON stored by
  // store::publish_results; null when the server is too busy.
  boost::asio::awaitable<std::shared_ptr<const std::string>> results_documents(
      const store::Municipality& m, const store::Campaign& campaign,
      std::shared_ptr<const questionnaire::Questionnaire> q, std::string published_on);
  // admin_results.cpp
  boost::asio::awaitable<Response> results(Context& c, const store::Municipality& m,
                                           const store::Campaign& campaign);
  Response preview(Context& c, const store::Municipality& m, const store::Campaign& campaign);
  Response poster(Context& c, const store::Municipality& m, const store::Campaign& campaign);
  // The campaign's monitoring figures, made off the io threads (or cached); none when the server
  // is too busy.
  boost::asio::awaitable<std::optional<analysis::Monitor>> monitor_of(
      const store::Campaign& campaign, std::shared_ptr<const questionnaire::Questionnaire> q);

  // admin_registry.cpp: /admin/m/{m}/registry/… (`rest` after "registry")
  boost::asio::awaitable<Response> registry(Context& c, const store::Municipality& m,
                                            std::span<const std::string> rest);
  Response registry_list(Context& c, const store::Municipality& m);
  // frame() for a registry page, with the links back to the municipality and the registry.
  json registry_frame(Context& c, const store::Municipality& m, const std::string& title);
  // A record's form (an empty id: a new record of `organization_id`), its history and children.
  boost::asio::awaitable<Response> registry_record(Context& c, const store::Municipality& m,
                                                   registry::RecordKind kind, std::string id,
                                                   const std::string& organization_id);
  json registry_options(Context& c, const registry::Registry& r, const std::string& field,
                        const std::string& organization_id, const registry::Values& values);
  json registry_fields(Context& c, const registry::Registry& r, registry::RecordKind kind,
                       const std::string& organization_id, const registry::Values& values,
                       const json& field_errors);
  json registry_errors(Context& c, const std::vector<registry::FieldError>& errors);
  json registry_history(Context& c, const registry::Registry& r, const std::string& id);
  // Writes the changes with their history and an audit entry (and, into a registry without
  // one, the bundled taxonomy); false when the server is too busy.
  boost::asio::awaitable<bool> save_registry(Context& c, const store::Municipality& m,
                                             std::vector<registry::Change> changes,
                                             const std::string& action, const std::string& object);
  // admin_proposals.cpp
  boost::asio::awaitable<Response> propose(Context& c, const store::Municipality& m,
                                           const std::string& organization_id);
  Response proposals(Context& c, const store::Municipality& m, const json& errors = json::array());
  // Answers to the municipality's providers' surveys not yet made into proposals.
  std::vector<store::ResponseRecord> survey_answers(const store::Municipality& m);
  // A coordinator makes a survey answer into a proposal about an organisation (and service).
  boost::asio::awaitable<Response> proposal_from_answer(Context& c, const store::Municipality& m);
  boost::asio::awaitable<Response> proposal(Context& c, const store::Municipality& m,
                                            const std::string& number);
  json proposal_errors(Context& c, const std::vector<registry::FieldError>& errors);
  // Stores a pending proposal by the signed-in user (made from `response_id`, if any) with its
  // audit entry; its number, none when the server is too busy.
  boost::asio::awaitable<std::optional<std::int64_t>> save_proposal(
      Context& c, const store::Municipality& m, const std::string& organization_id,
      const std::string& service_id, const json& fields, const std::string& response_id);
  // Writes, with a provider contact's answer to the providers' questionnaire, the proposal it
  // makes about its organisation (and service), and the audit entry of it.
  std::function<void(store::Store&, const store::ResponseRecord&)> proposal_with_answer(
      Context& c, const store::Municipality& m, const std::string& organization_id,
      const std::string& service_id);
  // A proposal's value as a reader wants it: a checkbox group's values by their labels.
  std::string proposal_shown(Context& c, const registry::Registry& r, const std::string& field,
                             const std::string& value);
  // Who proposed it: a provider contact, or a survey answer a coordinator attached.
  std::string proposer(Context& c, const store::Proposal& p);

  Response render(Context& c, unsigned status, const std::string& name, json page);
  Response forbidden(Context& c);
  Response message(Context& c, unsigned status, const std::string& key);
  json frame(Context& c, const std::string& title);
  // The campaign's questionnaire; null if it cannot be loaded (a broken stored version).
  std::shared_ptr<const questionnaire::Questionnaire> questionnaire_of(
      const store::Campaign& campaign);
  // frame() for a page of one campaign, with the links back to it and to its municipality.
  json campaign_frame(Context& c, const store::Municipality& m, const store::Campaign& campaign,
                      const questionnaire::Questionnaire& q, const std::string& title);
  // An audit entry for the signed-in user, to be written in the same transaction as the change.
  store::AuditEntry audit_entry(Context& c, std::string action,
                                std::optional<std::int64_t> municipality_id, std::string object,
                                std::string details = "");
  boost::asio::awaitable<std::string> login_source_key();

  App& m_app;
  const plan::Responsibilities m_responsibilities;  // who is responsible for each service by law
  const plan::ServiceNeeds m_users_needs;           // what each service gives, in the users' words
  std::mutex m_key_mutex;
  std::string m_login_source_key;
  struct CachedMonitor {
    std::chrono::steady_clock::time_point built;
    std::int64_t responses{0};
    analysis::Monitor monitor;
  };
  std::mutex m_monitor_mutex;
  std::map<std::int64_t, CachedMonitor> m_monitors;
  struct CachedOpenAnswers {
    std::int64_t responses{0};
    std::shared_ptr<const analysis::OpenAnswers> answers;
  };
  std::mutex m_open_answers_mutex;
  std::map<std::int64_t, CachedOpenAnswers> m_open_answers;  // by campaign id
};

}  // namespace needsmap::web
