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

asio::awaitable<std::shared_ptr<const analysis::Dataset>> App::dataset_of(
    const CampaignContext& context) {
  const std::int64_t campaign_id = context.campaign.id;
  const std::int64_t responses = reader().count_responses(campaign_id);
  {
    std::lock_guard lock(m_dataset_mutex);
    auto cached = m_datasets.find(campaign_id);
    if (cached != m_datasets.end() && cached->second.responses == responses) {
      co_return cached->second.dataset;
    }
  }
  auto built = std::make_shared<std::shared_ptr<const analysis::Dataset>>();
  UniqueFunction<bool()> work = [built, database = m_config.database, campaign_id,
                                 q = context.questionnaire] {
    auto store = store::Store::open(database, store::Connection::Mode::read_only);
    if (!store) return false;
    *built = std::make_shared<const analysis::Dataset>(
        analysis::build_dataset(**store, campaign_id, *q));
    return true;
  };
  bool done = co_await off_the_io_threads(m_background, std::move(work));
  if (!done || !*built) co_return nullptr;
  std::lock_guard lock(m_dataset_mutex);
  keep_at_most(m_datasets, campaign_id);
  m_datasets[campaign_id] = {responses, *built};
  co_return *built;
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
