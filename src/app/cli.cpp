#include "app/cli.hpp"

#include <fstream>
#include <sstream>

#include <iostream>
#include <stdexcept>

#include "collect/collect.hpp"
#include "core/clock.hpp"

namespace needsmap::cli {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int fail(const std::string& message) {
  std::cerr << "needsmap: " << message << '\n';
  return 1;
}

std::unique_ptr<store::Store> open_store(const std::string& location, bool migrate) {
  auto store = store::Store::open(location);
  if (!store) throw std::runtime_error(store.error().message);
  if (migrate) {
    auto migrated = (*store)->migrate();
    if (!migrated) throw std::runtime_error(migrated.error().message);
  }
  return std::move(*store);
}

std::pair<std::string, std::string> split_campaign(const std::string& value) {
  auto slash = value.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == value.size()) {
    throw std::runtime_error("--campaign must be MUNICIPALITY/CAMPAIGN, e.g. demo/citizens");
  }
  return {value.substr(0, slash), value.substr(slash + 1)};
}

OpenCampaign open_campaign(const std::string& database, const std::string& name) {
  auto [m, c] = split_campaign(name);
  OpenCampaign open{open_store(database), {}, nullptr};
  auto campaign = open.store->find_campaign(m, c);
  if (!campaign) throw std::runtime_error("no campaign " + name);
  open.campaign = std::move(*campaign);
  collect::QuestionnaireCache cache;
  auto q = cache.get(*open.store, open.campaign.questionnaire_version_id);
  if (!q) throw std::runtime_error(q.error().message);
  open.questionnaire = std::move(*q);
  return open;
}

std::optional<std::int64_t> parse_time_option(const std::string& value, const char* option) {
  if (value.empty()) return std::nullopt;
  auto parsed = clock::parse_utc(value);
  if (!parsed) {
    throw std::runtime_error(std::string(option) +
                             " must be a date (2025-11-10) or a time (2025-11-10T08:00Z)");
  }
  return parsed;
}

}  // namespace needsmap::cli
