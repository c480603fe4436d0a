#include "store/copy.hpp"

#include "core/progress.hpp"

namespace needsmap::store {

std::int64_t count_rows(Connection& c, std::string_view table) {
  Statement& s = c.prepare("SELECT count(*) FROM " + std::string(table));
  s.step();
  std::int64_t n = s.integer(0);
  s.run();
  return n;
}

namespace {

// Ends the read-only snapshot the source was read in, however the copy ends.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& c) : m_connection(c) {
    // REPEATABLE READ: every table is read as of one moment, even while servers keep writing.
    c.exec(c.dialect() == Dialect::postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                            : "BEGIN");
  }
  ~ReadSnapshot() {
    try {
      m_connection.exec("ROLLBACK");
    } catch (const DatabaseError&) {
      // Nothing was written; a lost connection has ended the snapshot already.
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Connection& m_connection;
};

std::string insert_sql(std::string_view table, const Statement& row) {
  std::string columns, values;
  for (int i = 0; i < row.column_count(); ++i) {
    if (i) {
      columns += ", ";
      values += ", ";
    }
    columns += row.column_name(i);
    values += "$" + std::to_string(i + 1);
  }
  return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES (" + values + ")";
}

std::uint64_t copy_table(Connection& source, Connection& target, const TableSpec& table,
                         ProgressBar& progress) {
  Statement& rows = source.prepare("SELECT * FROM " + std::string(table.name) + " ORDER BY " +
                                   std::string(table.order_by));
  std::uint64_t copied = 0;
  std::string sql;
  while (rows.step()) {
    if (sql.empty()) sql = insert_sql(table.name, rows);
    // Every value travels as text (or NULL): both databases convert it to the column's type,
    // and nothing is lost to a floating-point or integer round trip.
    Statement& insert = target.prepare(sql);
    for (int i = 0; i < rows.column_count(); ++i) {
      if (rows.is_null(i)) {
        insert.bind_null(i + 1);
      } else {
        insert.bind(i + 1, rows.text(i));
      }
    }
    insert.run();
    ++copied;
    progress.advance();
  }
  if (table.identity_id && target.dialect() == Dialect::postgres && copied > 0) {
    // Rows came with their ids: new rows must be numbered after them.
    std::string name(table.name);
    target.exec("SELECT setval(pg_get_serial_sequence('" + name +
                "', 'id'), (SELECT max(id) FROM " + name + "))");
  }
  return copied;
}

}  // namespace

Result<std::vector<CopiedTable>> copy_database(Store& from, Store& to) {
  if (from.schema_version() != Store::known_schema_version()) {
    return std::unexpected(Error::conflict("the source database has schema version " +
                                           std::to_string(from.schema_version()) + ", not " +
                                           std::to_string(Store::known_schema_version()) +
                                           "; run `needsmap migrate` on it first"));
  }
  auto migrated = to.migrate();
  if (!migrated) return std::unexpected(migrated.error());

  Connection& source = from.connection();
  Connection& target = to.connection();
  ReadSnapshot snapshot(source);
  Transaction transaction(target);
  std::uint64_t total = 0;
  for (const TableSpec& table : Store::tables()) {
    if (count_rows(target, table.name) > 0) {
      return std::unexpected(Error::conflict("the target database already holds data (table " +
                                             std::string(table.name) +
                                             "); copy into an empty database"));
    }
    total += static_cast<std::uint64_t>(count_rows(source, table.name));
  }
  std::vector<CopiedTable> copied;
  {
    ProgressBar progress("copying", total);
    for (const TableSpec& table : Store::tables()) {
      progress.set_label("copying " + std::string(table.name));
      copied.push_back({std::string(table.name), copy_table(source, target, table, progress)});
    }
  }
  transaction.commit();
  return copied;
}

}  // namespace needsmap::store
