#include "store/sqlite.hpp"

#include <sqlite3.h>

namespace needsmap::store {

namespace {
void check_bind(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK) {
    throw DatabaseError(std::string("bind failed: ") + sqlite3_errmsg(sqlite3_db_handle(stmt)), rc);
  }
}
}  // namespace

Statement::~Statement() {
  sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view value) {
  check_bind(m_stmt, sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                                       SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(m_stmt, sqlite3_bind_int64(m_stmt, index, value));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check_bind(m_stmt, sqlite3_bind_double(m_stmt, index, value));
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(m_stmt, sqlite3_bind_null(m_stmt, index));
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = sqlite3_errmsg(sqlite3_db_handle(m_stmt));
  int code = sqlite3_extended_errcode(sqlite3_db_handle(m_stmt));
  sqlite3_reset(m_stmt);
  throw DatabaseError(message, code);
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(m_stmt, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}
double Statement::real(int column) const {
  return sqlite3_column_double(m_stmt, column);
}
bool Statement::is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, Mode mode) {
  sqlite3* db = nullptr;
  int flags =
      SQLITE_OPEN_NOMUTEX |
      (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return std::unexpected(Error::io("cannot open database " + path + ": " + message));
  }
  std::unique_ptr<Connection> c(new Connection(db));
  try {
    // Several processes (the server, the command line) may touch one file: wait, don't fail.
    sqlite3_busy_timeout(db, 10000);
    c->exec("PRAGMA foreign_keys = ON");
    if (mode == Mode::read_write) {
      c->exec("PRAGMA journal_mode = WAL");
      // FULL: a commit is on disk before we acknowledge it (Debian's default, made explicit).
      c->exec("PRAGMA synchronous = FULL");
      // Deleted drafts are overwritten, not left readable in free pages.
      c->exec("PRAGMA secure_delete = ON");
    }
  } catch (const DatabaseError& e) {
    return std::unexpected(Error::io("cannot set up database " + path + ": " + e.what()));
  }
  return c;
}

Connection::~Connection() {
  m_statements.clear();
  sqlite3_close_v2(m_db);
}

void Connection::fail(const std::string& what) const {
  throw DatabaseError(what + ": " + sqlite3_errmsg(m_db), sqlite3_extended_errcode(m_db));
}

void Connection::exec(std::string_view sql) {
  std::string s(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw DatabaseError(text, sqlite3_extended_errcode(m_db));
  }
}

Statement& Connection::prepare(const std::string& sql) {
  auto it = m_statements.find(sql);
  if (it == m_statements.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      fail("cannot prepare SQL");
    }
    it = m_statements.emplace(sql, std::unique_ptr<Statement>(new Statement(stmt))).first;
  }
  it->second->reset();
  return *it->second;
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(m_db);
}

Transaction::Transaction(Connection& c) : m_connection(c) {
  c.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!m_done) {
    try {
      m_connection.exec("ROLLBACK");
    } catch (const DatabaseError&) {
      // The transaction is already gone (e.g. SQLite rolled it back itself).
    }
  }
}

void Transaction::commit() {
  m_connection.exec("COMMIT");
  m_done = true;
}

}  // namespace needsmap::store
