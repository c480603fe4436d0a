// Who the generated respondents are: the shares of the profile questions' choices (age_band, sex,
// settlement and any other single-choice question the population table has).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "questionnaire/model.hpp"
#include "store/population.hpp"

namespace needsmap::synthetic {

enum class Profile {
  web_skewed,  // as an open web survey reaches people: young, women and towns over-represented
  population,  // as the municipality's population table has it (uniform without one)
};

std::optional<Profile> parse_profile(std::string_view name);

// Question → choice → relative weight, for the questions whose shares the profile decides.
using ProfileShares = std::map<std::string, std::map<std::string, double>, std::less<>>;

ProfileShares profile_shares(Profile profile, const questionnaire::Questionnaire& q,
                             const std::optional<store::PopulationTable>& population);

}  // namespace needsmap::synthetic
