// One interface over the two databases needsmap runs on: SQLite (embedded, the default) and
// PostgreSQL (for several servers). SQL is written once, with numbered parameters `$1`, `$2` …;
// what differs between the two (schema DDL, the schema version) is asked of dialect().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace needsmap::store {

enum class Dialect { sqlite, postgres };

// A `postgresql://` (or `postgres://`) URL names a PostgreSQL database; anything else is a file.
bool is_postgres_url(std::string_view location);

// The location as it may be printed: a PostgreSQL URL loses its password.
std::string printable_location(std::string_view location);

class Statement {
 public:
  virtual ~Statement() = default;

  virtual Statement& bind(int index, std::string_view value) = 0;
  virtual Statement& bind(int index, std::int64_t value) = 0;
  virtual Statement& bind(int index, double value) = 0;
  virtual Statement& bind_null(int index) = 0;
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true when there is one. Errors end the request (exception).
  virtual bool step() = 0;
  // Runs a statement to its end, e.g. one that returns no rows.
  void run() {
    while (step()) {
    }
  }

  virtual std::string text(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual bool is_null(int column) const = 0;
  // The current row's shape.
  virtual int column_count() const = 0;
  virtual std::string column_name(int column) const = 0;
  std::optional<std::int64_t> optional_integer(int column) const {
    return is_null(column) ? std::nullopt : std::optional(integer(column));
  }
};

// Thrown for database failures a request cannot recover from (disk full, a lost connection,
// a bug in SQL). User input never causes one: it is validated before it reaches the store.
class DatabaseError : public std::runtime_error {
 public:
  // `code`: SQLite's extended result code, or PostgreSQL's five-character SQLSTATE.
  DatabaseError(const std::string& message, std::string code)
      : std::runtime_error(message), m_code(std::move(code)) {}
  const std::string& code() const { return m_code; }

 private:
  std::string m_code;
};

class Connection {
 public:
  enum class Mode { read_write, read_only };

  // Opens a database file (created when missing) or connects to a `postgresql://` URL.
  static Result<std::unique_ptr<Connection>> open(const std::string& location, Mode mode);
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters (schema changes, transaction control).
  virtual void exec(std::string_view sql) = 0;
  // A cached prepared statement, reset and unbound, valid until the next prepare() of the same
  // SQL. Not re-entrant for the same SQL text. On PostgreSQL a statement must be stepped to its
  // end before another one runs on the same connection.
  virtual Statement& prepare(const std::string& sql) = 0;
  // Starts a transaction that will write (SQLite takes its write lock at once).
  virtual void begin() = 0;
  // False when the connection was lost (PostgreSQL) and must be reopened.
  virtual bool usable() const { return true; }

 protected:
  Connection() = default;
};

// Runs a transaction: begins at construction, rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& m_connection;
  bool m_done{false};
};

}  // namespace needsmap::store
