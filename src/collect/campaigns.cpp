#include "collect/campaigns.hpp"

#include "core/clock.hpp"

namespace needsmap::collect {

std::string describe(const questionnaire::LoadErrors& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += '\n';
    out += e.to_string();
  }
  return out;
}

Result<std::int64_t> store_questionnaire_file(store::Store& store, const ShareDir& share,
                                              const std::filesystem::path& file) {
  auto catalogs = questionnaire::load_catalogs(share.catalogs());
  if (!catalogs) return std::unexpected(Error::invalid(describe(catalogs.error())));
  auto q = questionnaire::load_questionnaire_file(file, *catalogs);
  if (!q) return std::unexpected(Error::invalid(describe(q.error())));
  return store.store_questionnaire_version(q->name(), q->version(), q->resolved().dump());
}

Result<store::Campaign> create_campaign(store::Store& store, const ShareDir& share,
                                        const CampaignSpec& spec) {
  auto municipality = store.find_municipality(spec.municipality);
  if (!municipality) {
    return std::unexpected(Error::not_found("no municipality '" + spec.municipality + "'"));
  }
  std::filesystem::path file = spec.questionnaire;
  if (!file.has_extension() && !file.has_parent_path()) {
    file = share.questionnaires() / (spec.questionnaire.string() + ".json");
  }
  auto version = store_questionnaire_file(store, share, file);
  if (!version) return std::unexpected(version.error());
  store::Campaign c;
  c.municipality_id = municipality->id;
  c.municipality_slug = municipality->slug;
  c.slug = spec.slug;
  c.questionnaire_version_id = *version;
  c.opens_at = spec.opens_at;
  c.closes_at = spec.closes_at;
  c.status = spec.status;
  c.contact = spec.contact;
  auto id = store.create_campaign(c);
  if (!id) return std::unexpected(id.error());
  c.id = *id;
  return c;
}

Result<void> install_demo(store::Store& store, const ShareDir& share) {
  store::Transaction transaction(store.connection());
  store.upsert_municipality(
      {0, "demo", "Демо општина", "", "Demo municipality", "Демо општина", "00000"});
  for (const char* name : {"citizens", "users", "stakeholders", "providers"}) {
    if (store.find_campaign("demo", name)) continue;
    CampaignSpec spec;
    spec.municipality = "demo";
    spec.slug = name;
    spec.questionnaire = name;
    spec.status = store::CampaignStatus::open;
    spec.contact = "socijalna.zastita@demo.example";
    auto created = create_campaign(store, share, spec);
    if (!created) return std::unexpected(created.error());
  }
  transaction.commit();
  return {};
}

}  // namespace needsmap::collect
