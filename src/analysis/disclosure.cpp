#include "analysis/disclosure.hpp"

#include <algorithm>

namespace needsmap::analysis {

namespace {

// The cell to hide next to the one hidden cell of a relation: the smallest non-zero count, as
// that costs the reader the least; a zero only when nothing else is left.
Cell* complement_for(const Relation& relation) {
  Cell* best = nullptr;
  auto better = [](const Cell* candidate, const Cell* current) {
    if (!current) return true;
    bool candidate_zero = candidate->count == 0, current_zero = current->count == 0;
    if (candidate_zero != current_zero) return !candidate_zero;
    return candidate->count < current->count;
  };
  for (Cell* c : relation) {
    if (!c->hidden && better(c, best)) best = c;
  }
  return best;
}

}  // namespace

void suppress(const std::vector<Cell*>& cells, const std::vector<Relation>& relations,
              std::int64_t k) {
  for (Cell* c : cells) {
    if (c->count > 0 && c->count < k) c->hidden = true;
  }
  // Each pass hides at least one more cell or ends, so this stops within cells.size() passes.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Relation& relation : relations) {
      auto hidden =
          std::count_if(relation.begin(), relation.end(), [](const Cell* c) { return c->hidden; });
      if (hidden != 1) continue;
      if (Cell* c = complement_for(relation)) {
        c->hidden = true;
        changed = true;
      }
    }
  }
}

}  // namespace needsmap::analysis
