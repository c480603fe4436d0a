// An export reads as of one moment: every query it makes (the count of responses, a first pass
// for the widths of SPSS string variables, the rows) sees the same responses, even while servers
// keep accepting new ones.
#pragma once

#include "store/database.hpp"

namespace needsmap::collect {

// A read-only snapshot for as long as it lives. store::Transaction is not the right tool: it
// begins a write transaction, which on SQLite takes the one write lock and would hold up every
// submission for the length of the export. SQLite: a deferred BEGIN whose snapshot starts at the
// first read (in WAL mode, writers go on meanwhile). PostgreSQL: REPEATABLE READ READ ONLY.
// Ends with ROLLBACK: nothing was written. (The same idea as store/copy.cpp's ReadSnapshot.)
class ExportSnapshot {
 public:
  explicit ExportSnapshot(store::Connection& c);
  ~ExportSnapshot();
  ExportSnapshot(const ExportSnapshot&) = delete;
  ExportSnapshot& operator=(const ExportSnapshot&) = delete;

 private:
  store::Connection& m_connection;
};

}  // namespace needsmap::collect
