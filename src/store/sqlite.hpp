// The SQLite backend: one connection, cached prepared statements.
#pragma once

#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct sqlite3;

namespace needsmap::store {

class SqliteConnection final : public Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& path, Mode mode);
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::sqlite; }
  void exec(std::string_view sql) override;
  Statement& prepare(const std::string& sql) override;
  void begin() override;

 private:
  explicit SqliteConnection(sqlite3* db) : m_db(db) {}
  [[noreturn]] void fail(const std::string& what) const;
  sqlite3* m_db;
  std::unordered_map<std::string, std::unique_ptr<Statement>> m_statements;
};

// `$1`, `$2` … (the PostgreSQL spelling the store's SQL uses) as SQLite's `?1`, `?2` …; text in
// quotes is left alone.
std::string sqlite_parameters(std::string_view sql);

}  // namespace needsmap::store
