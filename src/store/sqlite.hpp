// A thin RAII layer over SQLite: one connection, cached prepared statements.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace needsmap::store {

class Statement {
 public:
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true when there is one. Errors end the request (exception).
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const {
    return is_null(column) ? std::nullopt : std::optional(integer(column));
  }

 private:
  friend class Connection;
  explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
  void reset();
  sqlite3_stmt* m_stmt;
};

// Thrown for database failures a request cannot recover from (disk full, corruption, a bug in
// SQL). User input never causes one: it is validated before it reaches the store.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, int code) : std::runtime_error(message), m_code(code) {}
  int code() const { return m_code; }

 private:
  int m_code;
};

class Connection {
 public:
  enum class Mode { read_write, read_only };

  static Result<std::unique_ptr<Connection>> open(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  // A cached prepared statement, reset and unbound, valid until the next prepare() of the same
  // SQL. Not re-entrant for the same SQL text.
  Statement& prepare(const std::string& sql);
  std::int64_t changes() const;

 private:
  explicit Connection(sqlite3* db) : m_db(db) {}
  [[noreturn]] void fail(const std::string& what) const;
  sqlite3* m_db;
  std::unordered_map<std::string, std::unique_ptr<Statement>> m_statements;
};

// Runs a transaction: BEGIN IMMEDIATE at construction, ROLLBACK unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  ~Transaction();
  void commit();

 private:
  Connection& m_connection;
  bool m_done{false};
};

}  // namespace needsmap::store
