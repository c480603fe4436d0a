#include "store/proposals.hpp"

namespace needsmap::store {

namespace {

const char* columns =
    "id, municipality_id, coalesce(organization_id, ''), coalesce(service_id, ''), proposed_by,"
    " proposed_at, fields, status, coalesce(decided_by, ''), decided_at, coalesce(decisions, ''),"
    " coalesce(response_id, '')";

Proposal read(const Statement& s) {
  return {.id = s.integer(0),
          .municipality_id = s.integer(1),
          .organization_id = s.text(2),
          .service_id = s.text(3),
          .proposed_by = s.text(4),
          .proposed_at = s.integer(5),
          .fields = s.text(6),
          .pending = s.text(7) == "pending",
          .decided_by = s.text(8),
          .decided_at = s.optional_integer(9),
          .decisions = s.text(10),
          .response_id = s.text(11)};
}

void bind_text_or_null(Statement& s, int index, const std::string& value) {
  if (value.empty()) {
    s.bind_null(index);
  } else {
    s.bind(index, value);
  }
}

}  // namespace

std::int64_t add_proposal(Store& store, const Proposal& p) {
  Statement& s = store.connection().prepare(
      "INSERT INTO registry_proposals (municipality_id, organization_id, service_id, proposed_by,"
      " proposed_at, fields, response_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
  s.bind(1, p.municipality_id);
  bind_text_or_null(s, 2, p.organization_id);
  bind_text_or_null(s, 3, p.service_id);
  s.bind(4, p.proposed_by).bind(5, p.proposed_at).bind(6, p.fields);
  bind_text_or_null(s, 7, p.response_id);
  s.step();
  std::int64_t id = s.integer(0);
  s.run();
  return id;
}

std::optional<Proposal> find_proposal(Store& store, std::int64_t municipality_id, std::int64_t id) {
  Statement& s = store.connection().prepare(std::string("SELECT ") + columns +
                                            " FROM registry_proposals WHERE municipality_id = $1"
                                            " AND id = $2");
  s.bind(1, municipality_id).bind(2, id);
  std::optional<Proposal> found;
  if (s.step()) found = read(s);
  s.run();
  return found;
}

std::vector<Proposal> list_proposals(Store& store, std::int64_t municipality_id) {
  Statement& s = store.connection().prepare(
      std::string("SELECT ") + columns +
      " FROM registry_proposals WHERE municipality_id = $1"
      " ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END, proposed_at DESC, id DESC");
  s.bind(1, municipality_id);
  std::vector<Proposal> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

void close_proposal(Store& store, std::int64_t id, const std::string& decided_by,
                    std::int64_t decided_at, const std::string& decisions) {
  store.connection()
      .prepare(
          "UPDATE registry_proposals SET status = 'closed', decided_by = $2, decided_at = $3,"
          " decisions = $4 WHERE id = $1")
      .bind(1, id)
      .bind(2, decided_by)
      .bind(3, decided_at)
      .bind(4, decisions)
      .run();
}

std::vector<std::string> proposal_responses(Store& store, std::int64_t municipality_id) {
  Statement& s = store.connection().prepare(
      "SELECT response_id FROM registry_proposals WHERE municipality_id = $1 AND response_id IS"
      " NOT NULL ORDER BY response_id");
  s.bind(1, municipality_id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

}  // namespace needsmap::store
