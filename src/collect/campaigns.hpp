// Setting campaigns up: questionnaire files into immutable versions, municipalities, the demo.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "questionnaire/loader.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

// The bundled questionnaires and catalogs below a share directory (the repository root).
struct ShareDir {
  std::filesystem::path root;
  std::filesystem::path catalogs() const { return root / "data" / "catalogs"; }
  std::filesystem::path questionnaires() const { return root / "questionnaires"; }
  std::filesystem::path templates() const { return root / "templates"; }
  std::filesystem::path i18n() const { return root / "i18n"; }
  std::filesystem::path static_files() const { return root / "static"; }
  std::filesystem::path hsds() const { return root / "data" / "hsds-3.0"; }
  std::filesystem::path registry_data() const { return root / "data" / "registry"; }
};

// Loads and checks a questionnaire file (resolving catalogs from `share`), and stores its
// resolved form as a version. Returns the version id. Errors list every problem found.
Result<std::int64_t> store_questionnaire_file(store::Store& store, const ShareDir& share,
                                              const std::filesystem::path& file);

std::string describe(const questionnaire::LoadErrors& errors);

struct CampaignSpec {
  std::string municipality;  // slug
  std::string slug;
  std::filesystem::path questionnaire;  // a file, or a bundled name such as "citizens"
  std::optional<std::int64_t> opens_at;
  std::optional<std::int64_t> closes_at;
  store::CampaignStatus status{store::CampaignStatus::draft};
  std::string contact;
  std::optional<std::int64_t> questionnaire_version{};  // a stored version instead (imported)
};

Result<store::Campaign> create_campaign(store::Store& store, const ShareDir& share,
                                        const CampaignSpec& spec);

// Municipality "demo" with one open campaign per bundled questionnaire, and its neighbour
// "susedna" with an open citizens campaign, in one district. Idempotent.
Result<void> install_demo(store::Store& store, const ShareDir& share);

}  // namespace needsmap::collect
