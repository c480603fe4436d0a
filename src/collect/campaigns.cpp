#include "collect/campaigns.hpp"

#include "store/accounts.hpp"

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
  Result<std::int64_t> version = spec.questionnaire_version.value_or(0);
  if (spec.questionnaire_version) {
    if (!store.find_questionnaire_version(*spec.questionnaire_version)) {
      return std::unexpected(Error::not_found("no questionnaire version " +
                                              std::to_string(*spec.questionnaire_version)));
    }
  } else {
    std::filesystem::path file = spec.questionnaire;
    if (!file.has_extension() && !file.has_parent_path()) {
      file = share.questionnaires() / (spec.questionnaire.string() + ".json");
    }
    version = store_questionnaire_file(store, share, file);
    if (!version) return std::unexpected(version.error());
  }
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
  store::lock_for_setup(store);
  // The demo's place in the hierarchy: a republic, a district, and two municipalities in it, so
  // the administration can show that one municipality never sees the other's data.
  std::int64_t republic =
      store::upsert_area(store, {0, std::nullopt, "republic", "demo-republika", "Република", ""});
  std::int64_t district =
      store::upsert_area(store, {0, republic, "district", "demo-okrug", "Демо округ", ""});
  struct DemoMunicipality {
    const char* slug;
    const char* cyrillic;
    const char* english;
    const char* code;
    std::vector<const char*> campaigns;
  };
  const std::vector<DemoMunicipality> municipalities = {
      {"demo",
       "Демо општина",
       "Demo municipality",
       "00000",
       {"citizens", "users", "stakeholders", "providers"}},
      {"susedna", "Суседна општина", "Neighbouring municipality", "00001", {"citizens"}},
  };
  for (const auto& d : municipalities) {
    store::Municipality m;
    m.slug = d.slug;
    m.name_cyrl = d.cyrillic;
    m.name_en = d.english;
    m.name_mk = d.cyrillic;
    m.statistical_code = d.code;
    m.area_id = district;
    store.upsert_municipality(m);
    for (const char* name : d.campaigns) {
      if (store.find_campaign(d.slug, name)) continue;
      CampaignSpec spec;
      spec.municipality = d.slug;
      spec.slug = name;
      spec.questionnaire = name;
      spec.status = store::CampaignStatus::open;
      spec.contact = "socijalna.zastita@" + std::string(d.slug) + ".example";
      auto created = create_campaign(store, share, spec);
      if (!created) return std::unexpected(created.error());
    }
  }
  transaction.commit();
  return {};
}

}  // namespace needsmap::collect
