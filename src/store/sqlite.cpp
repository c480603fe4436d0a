#include "store/sqlite.hpp"

#include <sqlite3.h>

namespace needsmap::store {

namespace {

std::string code_of(sqlite3* db) {
  return std::to_string(sqlite3_extended_errcode(db));
}

void check_bind(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK) {
    sqlite3* db = sqlite3_db_handle(stmt);
    throw DatabaseError(std::string("bind failed: ") + sqlite3_errmsg(db), code_of(db));
  }
}

class SqliteStatement final : public Statement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(m_stmt); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  using Statement::bind;
  Statement& bind(int index, std::string_view value) override;
  Statement& bind(int index, std::int64_t value) override;
  Statement& bind(int index, double value) override;
  Statement& bind_null(int index) override;
  bool step() override;
  std::string text(int column) const override;
  std::int64_t integer(int column) const override;
  double real(int column) const override;
  bool is_null(int column) const override;
  int column_count() const override { return sqlite3_column_count(m_stmt); }
  std::string column_name(int column) const override { return sqlite3_column_name(m_stmt, column); }
  void reset();

 private:
  sqlite3_stmt* m_stmt;
};

}  // namespace

Statement& SqliteStatement::bind(int index, std::string_view value) {
  check_bind(m_stmt, sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                                       SQLITE_TRANSIENT));
  return *this;
}

Statement& SqliteStatement::bind(int index, std::int64_t value) {
  check_bind(m_stmt, sqlite3_bind_int64(m_stmt, index, value));
  return *this;
}

Statement& SqliteStatement::bind(int index, double value) {
  check_bind(m_stmt, sqlite3_bind_double(m_stmt, index, value));
  return *this;
}

Statement& SqliteStatement::bind_null(int index) {
  check_bind(m_stmt, sqlite3_bind_null(m_stmt, index));
  return *this;
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = sqlite3_errmsg(sqlite3_db_handle(m_stmt));
  std::string code = code_of(sqlite3_db_handle(m_stmt));
  sqlite3_reset(m_stmt);
  throw DatabaseError(message, code);
}

std::string SqliteStatement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(m_stmt, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::int64_t SqliteStatement::integer(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}
double SqliteStatement::real(int column) const {
  return sqlite3_column_double(m_stmt, column);
}
bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

void SqliteStatement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

Result<std::unique_ptr<Connection>> SqliteConnection::open(const std::string& path, Mode mode) {
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
  std::unique_ptr<Connection> c(new SqliteConnection(db));
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

SqliteConnection::~SqliteConnection() {
  m_statements.clear();
  sqlite3_close_v2(m_db);
}

void SqliteConnection::fail(const std::string& what) const {
  throw DatabaseError(what + ": " + sqlite3_errmsg(m_db), code_of(m_db));
}

void SqliteConnection::exec(std::string_view sql) {
  std::string s(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw DatabaseError(text, code_of(m_db));
  }
}

Statement& SqliteConnection::prepare(const std::string& sql) {
  auto it = m_statements.find(sql);
  if (it == m_statements.end()) {
    std::string translated = sqlite_parameters(sql);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, translated.c_str(), static_cast<int>(translated.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      fail("cannot prepare SQL");
    }
    it = m_statements.emplace(sql, std::make_unique<SqliteStatement>(stmt)).first;
  }
  auto& statement = static_cast<SqliteStatement&>(*it->second);
  statement.reset();
  return statement;
}

void SqliteConnection::begin() {
  // IMMEDIATE takes the write lock now, so a transaction never fails half-way on a lock.
  exec("BEGIN IMMEDIATE");
}

std::string sqlite_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      c = '?';
    }
    out += c;
  }
  return out;
}

}  // namespace needsmap::store
