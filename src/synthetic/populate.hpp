// Filling a campaign with generated responses, stored as imported responses are: mode "import",
// a date kept as precisely as the campaign allows, in batches of one transaction each.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "questionnaire/model.hpp"
#include "store/store.hpp"
#include "synthetic/generator.hpp"
#include "synthetic/profile.hpp"

namespace needsmap::synthetic {

struct PopulateOptions {
  std::uint64_t count{0};
  std::uint64_t seed{0};
  Profile profile{Profile::web_skewed};
  std::string today;  // YYYY-MM-DD: the last day answers may carry
  std::uint64_t batch{1000};
};

struct PopulateReport {
  std::uint64_t stored{0};
  std::uint64_t already_stored{0};  // the same seed ran before: same submission ids
  GeneratorCounts counts;
  bool population_table{false};  // the municipality has one
};

// The days answers are spread over: the campaign's window, up to today; the last four weeks when
// it has none. As unix days, first and last included.
struct Days {
  std::int64_t first{0};
  std::int64_t last{0};
};
Days answer_days(const store::Campaign& campaign, const std::string& today);

// Stores options.count generated responses; `progress` hears of each stored batch.
PopulateReport populate(store::Store& store, const store::Campaign& campaign,
                        const questionnaire::Questionnaire& q, const PopulateOptions& options,
                        const std::function<void(std::uint64_t done)>& progress = {});

}  // namespace needsmap::synthetic
