// The PostgreSQL backend over libpq: one connection, statements prepared once per connection and
// read row by row (single-row mode), so a long result streams in constant memory.
#pragma once

#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct pg_conn;

namespace needsmap::store {

class PostgresStatement;

class PostgresConnection final : public Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& url, Mode mode);
  ~PostgresConnection() override;

  Dialect dialect() const override { return Dialect::postgres; }
  void exec(std::string_view sql) override;
  Statement& prepare(const std::string& sql) override;
  void begin() override { exec("BEGIN"); }
  bool usable() const override;

  // Internal to the backend: the statement whose rows are being read, finished before any
  // other command is sent (libpq runs one command at a time per connection).
  void set_active(PostgresStatement* statement) { m_active = statement; }
  void finish_active();
  pg_conn* handle() { return m_conn; }

 private:
  explicit PostgresConnection(pg_conn* conn);
  pg_conn* m_conn;
  std::unordered_map<std::string, std::unique_ptr<PostgresStatement>> m_statements;
  PostgresStatement* m_active{nullptr};
};

}  // namespace needsmap::store
