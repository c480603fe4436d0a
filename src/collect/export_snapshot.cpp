#include "collect/export_snapshot.hpp"

namespace needsmap::collect {

ExportSnapshot::ExportSnapshot(store::Connection& c) : m_connection(c) {
  c.exec(c.dialect() == store::Dialect::postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                                 : "BEGIN");
}

ExportSnapshot::~ExportSnapshot() {
  try {
    m_connection.exec("ROLLBACK");
  } catch (const store::DatabaseError&) {
    // Nothing was written; a lost connection has ended the snapshot already.
  }
}

}  // namespace needsmap::collect
