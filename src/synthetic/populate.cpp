#include "synthetic/populate.hpp"

#include <algorithm>
#include <cmath>

#include "collect/collect.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/database.hpp"
#include "store/population.hpp"

namespace needsmap::synthetic {

namespace {

// An open web survey hears most in its first days, then less and less.
std::string answer_day(const Days& days, Random& random) {
  double u = random.unit();
  auto offset = static_cast<std::int64_t>(
      std::floor(static_cast<double>(days.last - days.first + 1) * std::pow(u, 1.3)));
  return clock::format_date((days.first + std::min(offset, days.last - days.first)) *
                            clock::seconds_per_day);
}

}  // namespace

Days answer_days(const store::Campaign& campaign, const std::string& today) {
  std::int64_t now = clock::parse_utc(today).value_or(0) / clock::seconds_per_day;
  Days days{.first = now - 27, .last = now};
  if (campaign.closes_at) days.last = std::min(now, *campaign.closes_at / clock::seconds_per_day);
  if (campaign.opens_at) days.first = *campaign.opens_at / clock::seconds_per_day;
  if (!campaign.opens_at && campaign.closes_at) days.first = days.last - 27;
  days.last = std::max(days.last, days.first);  // a campaign not open yet: its first day
  return days;
}

PopulateReport populate(store::Store& store, const store::Campaign& campaign,
                        const questionnaire::Questionnaire& q, const PopulateOptions& options,
                        const std::function<void(std::uint64_t done)>& progress) {
  PopulateReport report;
  auto population = store::load_population(store, campaign.municipality_id);
  report.population_table = population.has_value();
  ResponseGenerator generator(q, profile_shares(options.profile, q, population));
  Days days = answer_days(campaign, options.today);

  for (std::uint64_t done = 0; done < options.count;) {
    std::uint64_t batch = std::min(options.batch, options.count - done);
    store::Transaction transaction(store.connection());
    for (std::uint64_t i = done; i < done + batch; ++i) {
      // Each response draws from its own stream: the n-th is the same whatever the batches.
      Random random(mix_seed(options.seed, i));
      std::string day = answer_day(days, random);
      GeneratedResponse response = generator.generate(random, day, report.counts);
      auto outcome = store.insert_response(
          store::ResponseRecord{.id = needsmap::random::uuid_v4(),
                                .campaign_id = campaign.id,
                                .submission_id = response.submission_id,
                                .submitted_on = collect::submission_date(campaign, day),
                                .mode = "import",
                                .language = response.language,
                                .answers = response.answers.dump()});
      (outcome.created ? report.stored : report.already_stored) += 1;
    }
    transaction.commit();
    done += batch;
    if (progress) progress(done);
  }
  return report;
}

}  // namespace needsmap::synthetic
