// The analysis data the server keeps per campaign: the columnar dataset of its responses, and
// the respondents weighted to the municipality's population table. Both are built off the io
// threads, kept while nothing they rest on has changed, and shared read-only between requests.
#include "analysis/population.hpp"
#include "store/population.hpp"
#include "web/app.hpp"
#include "web/background.hpp"

namespace needsmap::web {

namespace asio = boost::asio;

namespace {

// Campaigns whose data is kept at most: each dataset is a few bytes per answer.
constexpr std::size_t max_cached_campaigns = 8;
// Responses noted for a cached dataset at most; beyond, it is read anew when next asked for.
constexpr std::size_t max_arrived_responses = 10'000;

// Response ids are random UUIDs: 64 bits of their hash tell them apart.
std::uint64_t id_hash(const std::string& id) {
  return std::hash<std::string>{}(id);
}

template <typename Cache>
void keep_at_most(Cache& cache, std::int64_t campaign_id) {
  if (cache.size() >= max_cached_campaigns && !cache.contains(campaign_id)) {
    cache.erase(cache.begin());
  }
}

// The weighted respondents, sharing ownership with their weighting.
WeightedData weighted(std::shared_ptr<const analysis::PopulationWeighting> weighting,
                      std::shared_ptr<const store::PopulationTable> population) {
  std::shared_ptr<const analysis::Dataset> data(weighting, &weighting->data);
  return {std::move(data), std::move(weighting), std::move(population)};
}

}  // namespace

analysis::Design WeightedData::design() const {
  return {.weights = data->weights(),
          .raking = weighting ? std::span<const analysis::MarginFactor>(weighting->rake.factors)
                              : std::span<const analysis::MarginFactor>()};
}

void App::note_stored_response(const store::ResponseRecord& record) {
  std::lock_guard lock(m_dataset_mutex);
  auto cached = m_datasets.find(record.campaign_id);
  if (cached == m_datasets.end()) return;  // nothing to keep current
  if (cached->second.arrived.size() >= max_arrived_responses) {
    m_datasets.erase(cached);  // quicker to read everything again
    return;
  }
  cached->second.arrived.push_back(record);
}

asio::awaitable<std::shared_ptr<const analysis::Dataset>> App::dataset_of(
    const CampaignContext& context) {
  const std::int64_t campaign_id = context.campaign.id;
  const auto responses = static_cast<std::size_t>(reader().count_responses(campaign_id));
  {
    std::lock_guard lock(m_dataset_mutex);
    auto cached = m_datasets.find(campaign_id);
    if (cached != m_datasets.end()) {
      if (auto current = brought_up_to_date(cached->second, responses)) co_return current;
    }
  }
  auto built = std::make_shared<CachedDataset>();
  UniqueFunction<bool()> work = [built, database = m_config.database, campaign_id,
                                 q = context.questionnaire] {
    auto store = store::Store::open(database, store::Connection::Mode::read_only);
    if (!store) return false;
    built->dataset = std::make_shared<const analysis::Dataset>(analysis::build_dataset(
        **store, campaign_id, *q,
        [&](const store::ResponseRecord& r) { built->ids.insert(id_hash(r.id)); }));
    return true;
  };
  bool done = co_await off_the_io_threads(m_background, std::move(work));
  if (!done || !built->dataset) co_return nullptr;
  std::lock_guard lock(m_dataset_mutex);
  keep_at_most(m_datasets, campaign_id);
  // Responses that arrived while it was built may be in it or not: their ids tell.
  auto previous = m_datasets.find(campaign_id);
  if (previous != m_datasets.end()) built->arrived = std::move(previous->second.arrived);
  m_datasets[campaign_id] = std::move(*built);
  co_return m_datasets[campaign_id].dataset;
}

// The cached dataset with the responses this server stored since appended, when together they
// are every stored response; null when it must be built anew.
std::shared_ptr<const analysis::Dataset> App::brought_up_to_date(CachedDataset& cached,
                                                                 std::size_t responses) {
  std::vector<const store::ResponseRecord*> missing;
  for (const auto& r : cached.arrived) {
    if (!cached.ids.contains(id_hash(r.id))) missing.push_back(&r);
  }
  if (cached.dataset->rows() + missing.size() != responses) return nullptr;
  if (!missing.empty()) {
    // Readers may hold the old dataset: the new rows go into a copy.
    auto grown = std::make_shared<analysis::Dataset>(*cached.dataset);
    for (const auto* r : missing) {
      grown->append(nlohmann::json::parse(r->answers, nullptr, false));
      cached.ids.insert(id_hash(r->id));
    }
    cached.dataset = std::move(grown);
  }
  cached.arrived.clear();
  return cached.dataset;
}

asio::awaitable<std::expected<WeightedData, WeightingProblem>> App::weighted_data_of(
    const CampaignContext& context, bool raked) {
  std::shared_ptr<const analysis::Dataset> data = co_await dataset_of(context);
  if (!data) co_return std::unexpected(WeightingProblem{"http.503", ""});
  if (!raked) co_return WeightedData{data, nullptr, nullptr};
  auto table = store::load_population(reader(), context.municipality.id);
  if (!table) co_return std::unexpected(WeightingProblem{"api.no_margins", ""});
  auto population = std::make_shared<const store::PopulationTable>(std::move(*table));
  const std::int64_t campaign_id = context.campaign.id;
  {
    std::lock_guard lock(m_dataset_mutex);
    auto cached = m_weightings.find(campaign_id);
    if (cached != m_weightings.end() && cached->second.dataset == data &&
        cached->second.population_updated_at == population->updated_at) {
      co_return weighted(cached->second.weighting, population);
    }
  }
  auto result = std::make_shared<std::shared_ptr<const analysis::PopulationWeighting>>();
  auto failure = std::make_shared<std::string>();
  UniqueFunction<bool()> work = [result, failure, data, population] {
    std::vector<analysis::MarginRow> margins;
    for (const auto& m : population->margins)
      margins.push_back({m.variable, m.category, m.population});
    try {
      *result = std::make_shared<const analysis::PopulationWeighting>(
          analysis::weight_to_population(*data, margins));
    } catch (const std::invalid_argument& e) {
      *failure = e.what();
    }
    return true;
  };
  bool done = co_await off_the_io_threads(m_background, std::move(work));
  if (!done) co_return std::unexpected(WeightingProblem{"http.503", ""});
  if (!*result) co_return std::unexpected(WeightingProblem{"api.cannot_weight", *failure});
  std::lock_guard lock(m_dataset_mutex);
  keep_at_most(m_weightings, campaign_id);
  m_weightings[campaign_id] = {data, population->updated_at, *result};
  co_return weighted(*result, population);
}

}  // namespace needsmap::web
