// Proposed updates of the provider registry: what a provider contact (or an anonymous answer to
// the providers' questionnaire) says should change, kept until a coordinator decides field by
// field. The registry module gives the fields their meaning; this file only keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace needsmap::store {

struct Proposal {
  std::int64_t id{0};
  std::int64_t municipality_id{0};
  std::string organization_id;  // empty: not yet attached to an organisation
  std::string service_id;       // empty: the organisation's fields only
  std::string proposed_by;
  std::int64_t proposed_at{0};
  std::string fields;  // JSON object: question name → proposed value
  bool pending{true};
  std::string decided_by;
  std::optional<std::int64_t> decided_at;
  std::string decisions;    // JSON object: question name → "accepted" or "rejected"
  std::string response_id;  // the survey response it was made from; empty: a provider contact's
};

std::int64_t add_proposal(Store& store, const Proposal& proposal);
std::optional<Proposal> find_proposal(Store& store, std::int64_t municipality_id, std::int64_t id);
// The municipality's proposals, pending ones first, newest first within each.
std::vector<Proposal> list_proposals(Store& store, std::int64_t municipality_id);
void close_proposal(Store& store, std::int64_t id, const std::string& decided_by,
                    std::int64_t decided_at, const std::string& decisions);
// The ids of the survey responses proposals have been made from.
std::vector<std::string> proposal_responses(Store& store, std::int64_t municipality_id);

}  // namespace needsmap::store
