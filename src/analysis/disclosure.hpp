// Disclosure control: counts shown to anyone below analyst, or published, must not reveal a small
// group. A count of 1 to k-1 is hidden (primary suppression); and where a total is shown, hiding
// one cell of it is not enough — the total minus the others gives it back — so a second cell of
// the same total is hidden too (complementary suppression), as statistical offices do it.
#pragma once

#include <cstdint>
#include <vector>

namespace needsmap::analysis {

struct Cell {
  std::int64_t count{0};
  bool hidden{false};
};

// Cells whose last one is the sum of the others: a table row with its total, or a column.
using Relation = std::vector<Cell*>;

// Hides every cell of `cells` with 0 < count < k, then, as long as a relation has exactly one
// hidden cell, hides the smallest other cell of that relation (non-zero ones first). `relations`
// may share cells (rows and columns of one table); every cell they name must be in `cells`.
void suppress(const std::vector<Cell*>& cells, const std::vector<Relation>& relations,
              std::int64_t k);

}  // namespace needsmap::analysis
