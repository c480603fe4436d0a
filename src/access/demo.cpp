#include "access/demo.hpp"

#include "access/password.hpp"
#include "core/clock.hpp"
#include "store/accounts.hpp"

namespace needsmap::access {

std::vector<DemoAccount> install_demo_accounts(store::Store& store) {
  struct Spec {
    const char* email;
    const char* role;
    const char* municipality;  // "" for the whole republic
    const char* campaign;      // interviewers only
    const char* organization;  // provider contacts only: theirs in data/registry/demo.json
  };
  const std::vector<Spec> specs = {
      {"admin@demo.needsmap.example", "national_admin", "", "", ""},
      {"koordinator@demo.needsmap.example", "coordinator", "demo", "", ""},
      {"analiticar@demo.needsmap.example", "analyst", "demo", "", ""},
      {"anketar@demo.needsmap.example", "interviewer", "demo", "citizens", ""},
      {"koordinator@susedna.needsmap.example", "coordinator", "susedna", "", ""},
      // Установа за дневне услуге „Сунцокрет“ (демо)
      {"suncokret@demo.needsmap.example", "provider_contact", "demo", "",
       "9aef5318-5d48-509b-997f-602b28273c86"},
  };
  std::vector<DemoAccount> out;
  store::Transaction transaction(store.connection());
  store::lock_for_setup(store);
  std::int64_t now = clock::now_unix();
  auto republic = store::find_area(store, "demo-republika");
  for (const auto& spec : specs) {
    std::string where = *spec.municipality ? std::string(spec.municipality) : "all municipalities";
    if (*spec.campaign) where += "/" + std::string(spec.campaign);
    std::string password = random_password();
    std::string hash = hash_password(password);
    auto user = store::find_user_by_email(store, spec.email);
    std::int64_t id = 0;
    if (user) {
      id = user->id;
      store::set_password_hash(store, id, hash, now);
      out.push_back({spec.email, spec.role, where, password});
      continue;
    }
    id = store::create_user(store, {0, spec.email, hash, "", false, now, now}).value();
    store::RoleGrant grant{
        0, id, spec.role, std::nullopt, std::nullopt, std::nullopt, spec.organization};
    if (*spec.municipality) {
      auto m = store.find_municipality(spec.municipality);
      if (!m) throw std::runtime_error("the demo municipalities are missing");
      if (*spec.campaign) {
        auto c = store.find_campaign(spec.municipality, spec.campaign);
        if (!c) throw std::runtime_error("the demo campaigns are missing");
        grant.campaign_id = c->id;
      } else {
        grant.municipality_id = m->id;
      }
    } else if (republic) {
      grant.area_id = republic->id;
    }
    store::add_role(store, grant);
    out.push_back({spec.email, spec.role, where, password});
  }
  transaction.commit();
  return out;
}

}  // namespace needsmap::access
