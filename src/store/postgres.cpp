#include "store/postgres.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace needsmap::store {

namespace {

std::string error_message(PGconn* conn) {
  std::string message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

// Throws the error a result carries, with its SQLSTATE.
[[noreturn]] void fail(PGconn* conn, PGresult* result, const std::string& what) {
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = error_message(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : (PQstatus(conn) == CONNECTION_OK ? "" : "08006");
  PQclear(result);
  throw DatabaseError(what + ": " + message, code);
}

// Reads and drops whatever the server still sends for the last command.
void drain(PGconn* conn) {
  while (PGresult* r = PQgetResult(conn)) PQclear(r);
}

void ignore_notice(void*, const char*) {
  // Notices ("table exists, skipping") are not errors; needsmap's own log says what matters.
}

}  // namespace

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresConnection& connection, std::string name)
      : m_connection(connection), m_name(std::move(name)) {}
  ~PostgresStatement() override { PQclear(m_row); }

  using Statement::bind;
  Statement& bind(int index, std::string_view value) override {
    slot(index) = std::string(value);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) override {
    slot(index) = std::to_string(value);
    return *this;
  }
  Statement& bind(int index, double value) override {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    slot(index) = buffer;
    return *this;
  }
  Statement& bind_null(int index) override {
    slot(index) = std::nullopt;
    return *this;
  }

  bool step() override {
    PGconn* conn = m_connection.handle();
    if (m_state == State::idle) send(conn);
    if (m_state == State::done) return false;
    PQclear(m_row);
    m_row = nullptr;
    PGresult* result = PQgetResult(conn);
    if (!result) return finished();
    switch (PQresultStatus(result)) {
      case PGRES_SINGLE_TUPLE:
        m_row = result;
        return true;
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
        PQclear(result);
        drain(conn);
        return finished();
      default:
        drain_after_error(conn, result);
    }
  }

  std::string text(int column) const override {
    return std::string(PQgetvalue(m_row, 0, column),
                       static_cast<std::size_t>(PQgetlength(m_row, 0, column)));
  }
  std::int64_t integer(int column) const override {
    const char* value = PQgetvalue(m_row, 0, column);
    std::int64_t out = 0;
    std::from_chars(value, value + PQgetlength(m_row, 0, column), out);
    return out;
  }
  double real(int column) const override {
    return std::strtod(PQgetvalue(m_row, 0, column), nullptr);
  }
  bool is_null(int column) const override { return PQgetisnull(m_row, 0, column) == 1; }
  int column_count() const override { return PQnfields(m_row); }
  std::string column_name(int column) const override { return PQfname(m_row, column); }

  // Back to unbound and unstarted; a command still running is read to its end first.
  void reset() {
    if (m_state == State::running) finish();
    m_state = State::idle;
    m_parameters.clear();
  }

  void finish() {
    if (m_state != State::running) return;
    drain(m_connection.handle());
    PQclear(m_row);
    m_row = nullptr;
    finished();
  }

 private:
  enum class State { idle, running, done };

  std::optional<std::string>& slot(int index) {
    auto i = static_cast<std::size_t>(index);
    if (m_parameters.size() < i) m_parameters.resize(i);
    return m_parameters[i - 1];
  }

  void send(PGconn* conn) {
    m_connection.finish_active();
    std::vector<const char*> values;
    values.reserve(m_parameters.size());
    for (const auto& p : m_parameters) values.push_back(p ? p->c_str() : nullptr);
    if (!PQsendQueryPrepared(conn, m_name.c_str(), static_cast<int>(values.size()), values.data(),
                             nullptr, nullptr, 0)) {
      m_state = State::done;
      fail(conn, nullptr, "cannot send query");
    }
    PQsetSingleRowMode(conn);
    m_state = State::running;
    m_connection.set_active(this);
  }

  bool finished() {
    m_state = State::done;
    m_connection.set_active(nullptr);
    return false;
  }

  [[noreturn]] void drain_after_error(PGconn* conn, PGresult* error) {
    // Keep the error, read the rest of the command's results, then report it.
    std::string message = PQresultErrorMessage(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    const char* state = PQresultErrorField(error, PG_DIAG_SQLSTATE);
    std::string code = state ? state : "";
    PQclear(error);
    drain(conn);
    finished();
    throw DatabaseError(message, code);
  }

  PostgresConnection& m_connection;
  std::string m_name;
  std::vector<std::optional<std::string>> m_parameters;
  PGresult* m_row{nullptr};
  State m_state{State::idle};
};

Result<std::unique_ptr<Connection>> PostgresConnection::open(const std::string& url, Mode mode) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = error_message(conn);
    PQfinish(conn);
    return std::unexpected(
        Error::io("cannot connect to database " + printable_location(url) + ": " + message));
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  std::unique_ptr<Connection> c(new PostgresConnection(conn));
  try {
    c->exec("SET client_encoding = 'UTF8'; SET synchronous_commit = on; SET TIME ZONE 'UTC'");
    if (mode == Mode::read_only) c->exec("SET default_transaction_read_only = on");
  } catch (const DatabaseError& e) {
    return std::unexpected(
        Error::io("cannot set up database " + printable_location(url) + ": " + e.what()));
  }
  return c;
}

PostgresConnection::PostgresConnection(pg_conn* conn) : m_conn(conn) {}

PostgresConnection::~PostgresConnection() {
  m_statements.clear();
  PQfinish(m_conn);
}

bool PostgresConnection::usable() const {
  return PQstatus(m_conn) == CONNECTION_OK;
}

void PostgresConnection::finish_active() {
  if (m_active) m_active->finish();
  m_active = nullptr;
}

void PostgresConnection::exec(std::string_view sql) {
  finish_active();
  std::string text(sql);
  PGresult* result = PQexec(m_conn, text.c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(m_conn, result, "SQL failed");
  // COMMIT of a transaction that failed is answered with ROLLBACK, not with an error.
  bool rolled_back = text == "COMMIT" && std::string_view(PQcmdStatus(result)) == "ROLLBACK";
  PQclear(result);
  if (rolled_back) throw DatabaseError("the transaction failed and was rolled back", "40000");
}

Statement& PostgresConnection::prepare(const std::string& sql) {
  auto it = m_statements.find(sql);
  if (it == m_statements.end()) {
    finish_active();
    std::string name = "needsmap_" + std::to_string(m_statements.size() + 1);
    PGresult* result = PQprepare(m_conn, name.c_str(), sql.c_str(), 0, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(m_conn, result, "cannot prepare SQL");
    PQclear(result);
    it = m_statements.emplace(sql, std::make_unique<PostgresStatement>(*this, std::move(name)))
             .first;
  }
  it->second->reset();
  return *it->second;
}

}  // namespace needsmap::store
