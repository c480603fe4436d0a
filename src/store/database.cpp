#include "store/database.hpp"

#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace needsmap::store {

bool is_postgres_url(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string printable_location(std::string_view location) {
  std::string out(location);
  if (!is_postgres_url(location)) return out;
  // postgresql://user:password@host/… → postgresql://user@host/…
  std::size_t start = out.find("://") + 3;
  std::size_t at = out.find('@', start);
  std::size_t colon = out.find(':', start);
  if (at != std::string::npos && colon != std::string::npos && colon < at) {
    out.erase(colon, at - colon);
  }
  return out;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& location, Mode mode) {
  if (is_postgres_url(location)) return PostgresConnection::open(location, mode);
  return SqliteConnection::open(location, mode);
}

Transaction::Transaction(Connection& c) : m_connection(c) {
  c.begin();
}

Transaction::~Transaction() {
  if (!m_done) {
    try {
      m_connection.exec("ROLLBACK");
    } catch (const DatabaseError&) {
      // The transaction is already gone (SQLite rolled it back itself, or the connection is).
    }
  }
}

void Transaction::commit() {
  m_connection.exec("COMMIT");
  m_done = true;
}

}  // namespace needsmap::store
