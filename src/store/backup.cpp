#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "core/progress.hpp"
#include "store/copy.hpp"

namespace needsmap::store {

namespace fs = std::filesystem;

namespace {

// The files SQLite may keep beside a database. A stale -wal or -journal would be replayed into a
// new file given the same name, so none may be left where a backup or a restore is put.
constexpr const char* companions[] = {"-wal", "-journal", "-shm"};

struct SqliteClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteClose>;

struct StatementFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

Error sqlite_error(sqlite3* db, const std::string& what) {
  return Error::io(what + ": " + sqlite3_errmsg(db));
}

Result<SqliteHandle> open_sqlite(const std::string& path, bool writable) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) {
    return std::unexpected(
        Error::io("cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))));
  }
  // A server may hold a lock for a moment: wait rather than fail.
  sqlite3_busy_timeout(raw, 10000);
  return db;
}

Result<void> exec(sqlite3* db, const char* sql, const std::string& what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return std::unexpected(Error::io(what + ": " + text));
  }
  return {};
}

// The first column of every row of `sql`, as text.
Result<std::vector<std::string>> first_column(sqlite3* db, const char* sql,
                                              const std::string& what) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, what));
  }
  std::unique_ptr<sqlite3_stmt, StatementFinalize> statement(raw);
  std::vector<std::string> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(raw, 0);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  if (rc != SQLITE_DONE) return std::unexpected(sqlite_error(db, what));
  return out;
}

Result<int> schema_version_of(sqlite3* db, const std::string& path) {
  auto rows = first_column(db, "PRAGMA user_version", "cannot read " + path);
  if (!rows) return std::unexpected(rows.error());
  return rows->empty() ? 0 : std::atoi(rows->front().c_str());
}

Result<void> check_integrity(sqlite3* db, const std::string& path) {
  auto rows = first_column(db, "PRAGMA integrity_check(20)", "cannot check " + path);
  if (!rows) return std::unexpected(rows.error());
  if (rows->size() == 1 && rows->front() == "ok") return {};
  std::string problems;
  for (const std::string& row : *rows) problems += (problems.empty() ? "" : "; ") + row;
  return std::unexpected(Error::io(path + " is damaged (PRAGMA integrity_check): " + problems));
}

// Copies every page of `source` into `target`, a step at a time, with a progress bar. When the
// caller holds a read transaction on `source`, every step reads the same snapshot: the copy is
// consistent, and it never has to start over however often a server commits meanwhile (in WAL
// mode the server's writes go on beside the snapshot).
Result<void> copy_pages(sqlite3* source, sqlite3* target, const std::string& label,
                        int pages_per_step = BackupOptions{}.pages_per_step) {
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  if (!backup) return std::unexpected(sqlite_error(target, "cannot start the copy"));
  std::optional<ProgressBar> progress;
  std::uint64_t shown = 0;
  auto busy_since = std::chrono::steady_clock::now();
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, pages_per_step);
    if (rc == SQLITE_OK || rc == SQLITE_DONE) {
      auto total = static_cast<std::uint64_t>(sqlite3_backup_pagecount(backup));
      auto done = total - static_cast<std::uint64_t>(sqlite3_backup_remaining(backup));
      if (!progress) progress.emplace(label, total);
      if (done > shown) progress->advance(done - shown);
      shown = std::max(shown, done);
      if (rc == SQLITE_DONE) break;
      busy_since = std::chrono::steady_clock::now();
    } else if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
               std::chrono::steady_clock::now() - busy_since < std::chrono::seconds(60)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } else {
      break;
    }
  }
  progress.reset();
  int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finished != SQLITE_OK) {
    int code = rc != SQLITE_DONE ? rc : finished;
    return std::unexpected(Error::io(std::string("the copy failed: ") + sqlite3_errstr(code) +
                                     ": " + sqlite3_errmsg(target)));
  }
  return {};
}

Result<void> sync(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    std::string message = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return std::unexpected(Error::io("cannot write " + path + " to disk: " + message));
  }
  ::close(fd);
  return {};
}

void remove_with_companions(const std::string& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
  for (const char* suffix : companions) fs::remove(path + suffix, ignored);
}

// A file written under a name of its own beside its destination, which becomes the destination
// only when it is complete. Removed (with anything SQLite left beside it) unless published.
class PartialFile {
 public:
  static Result<PartialFile> create(const fs::path& destination) {
    std::string name = destination.string() + ".partial-XXXXXX";
    // mkstemp: a new file that only its owner can read — a backup holds every answer.
    int fd = ::mkstemp(name.data());
    if (fd < 0) {
      return std::unexpected(Error::io("cannot create a file beside " + destination.string() +
                                       ": " + std::strerror(errno)));
    }
    ::close(fd);
    return PartialFile(std::move(name));
  }
  PartialFile(PartialFile&& other) noexcept : m_path(std::exchange(other.m_path, {})) {}
  PartialFile& operator=(PartialFile&&) = delete;
  ~PartialFile() {
    if (!m_path.empty()) remove_with_companions(m_path);
  }

  const std::string& path() const { return m_path; }

  // Moves the file, on disk, to `destination`; an existing file there is replaced only when
  // `replace` is true.
  Result<void> publish(const fs::path& destination, bool replace) {
    std::error_code ec;
    if (fs::exists(m_path + "-wal", ec)) {
      return std::unexpected(Error::internal(m_path + "-wal is left: the file is not complete"));
    }
    if (auto synced = sync(m_path, O_RDONLY); !synced) return synced;
    int rc = replace ? std::rename(m_path.c_str(), destination.c_str())
                     : ::renameat2(AT_FDCWD, m_path.c_str(), AT_FDCWD, destination.c_str(),
                                   RENAME_NOREPLACE);
    if (rc != 0 && !replace && (errno == EINVAL || errno == ENOSYS)) {
      // A file system without RENAME_NOREPLACE: link() refuses an existing name as well.
      rc = ::link(m_path.c_str(), destination.c_str());
      if (rc == 0) ::unlink(m_path.c_str());
    }
    if (rc != 0) {
      if (errno == EEXIST) {
        return std::unexpected(
            Error::conflict(destination.string() + " was created meanwhile; it was left as it is"));
      }
      return std::unexpected(Error::io("cannot rename " + m_path + " to " + destination.string() +
                                       ": " + std::strerror(errno)));
    }
    remove_with_companions(m_path);  // a -shm that SQLite may have left
    m_path.clear();
    fs::path directory = destination.parent_path();
    return sync(directory.empty() ? "." : directory.string(), O_RDONLY | O_DIRECTORY);
  }

 private:
  explicit PartialFile(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

Result<void> no_leftover_companions(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"-wal", "-journal"}) {
    if (fs::exists(path + suffix, ec)) {
      return std::unexpected(Error::conflict(
          path + suffix + " is left from an earlier SQLite database of that name; move it away " +
          "first (SQLite would replay it into the new file)"));
    }
  }
  return {};
}

// The tables of the database (SQLite's own and the schema-version bookkeeping left out).
std::set<std::string> user_tables(Connection& c) {
  Statement& s = c.prepare(
      c.dialect() == Dialect::sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> "
            "'sqlite_'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'needsmap_schema'");
  std::set<std::string> tables;
  while (s.step()) tables.insert(s.text(0));
  return tables;
}

// Rows per table, for every table of the schema the database has (an older one has fewer).
std::vector<CopiedTable> count_tables(Connection& c) {
  std::set<std::string> present = user_tables(c);
  std::vector<CopiedTable> counts;
  for (const TableSpec& table : Store::tables()) {
    std::string name(table.name);
    if (present.contains(name))
      counts.push_back({name, static_cast<std::uint64_t>(count_rows(c, name))});
  }
  return counts;
}

// Refuses a target that holds anything: rows in needsmap's tables, or tables of something else.
Result<void> check_empty(Connection& c, const std::string& location) {
  std::set<std::string> known;
  for (const TableSpec& table : Store::tables()) known.insert(std::string(table.name));
  const std::string advice =
      "; restore only into an empty database: a file that does not exist yet, or a new "
      "PostgreSQL database (createdb)";
  for (const std::string& table : user_tables(c)) {
    if (!known.contains(table)) {
      return std::unexpected(Error::conflict("cannot restore into " + printable_location(location) +
                                             ": it holds a table " + table +
                                             " that is not needsmap's" + advice));
    }
  }
  for (const CopiedTable& table : count_tables(c)) {
    if (table.rows > 0) {
      return std::unexpected(Error::conflict("cannot restore into " + printable_location(location) +
                                             ": it already holds data (table " + table.name + ")" +
                                             advice));
    }
  }
  return {};
}

Result<void> check_destination(const std::string& location, const std::string& out,
                               bool overwrite) {
  if (is_postgres_url(out)) {
    return std::unexpected(
        Error::invalid("a backup is a file: --out must name a file, not a database (pg_dump makes "
                       "PostgreSQL's own backups)"));
  }
  std::error_code ec;
  fs::file_status status = fs::status(out, ec);
  if (fs::exists(status)) {
    if (!fs::is_regular_file(status)) {
      return std::unexpected(Error::invalid(out + " exists and is not a file"));
    }
    if (!overwrite) {
      return std::unexpected(Error::conflict(
          out + " already exists; choose another name, or add --force to replace it"));
    }
    if (!is_postgres_url(location) && fs::equivalent(location, out, ec)) {
      return std::unexpected(Error::invalid("the backup cannot replace the database itself"));
    }
  }
  return no_leftover_companions(out);
}

Result<void> backup_sqlite(const std::string& location, const std::string& partial,
                           int pages_per_step) {
  std::error_code ec;
  if (!fs::is_regular_file(location, ec)) {
    return std::unexpected(Error::not_found("no database file " + location));
  }
  auto source = open_sqlite(location, false);
  if (!source) return std::unexpected(source.error());
  // The read transaction the whole copy runs in: it starts with the first read.
  if (auto begun = exec(source->get(), "BEGIN; SELECT count(*) FROM sqlite_master",
                        "cannot read " + location);
      !begun) {
    return begun;
  }
  auto version = schema_version_of(source->get(), location);
  if (!version) return std::unexpected(version.error());
  if (*version == 0) {
    return std::unexpected(
        Error::invalid(location + " is not a needsmap database (it has no needsmap schema)"));
  }
  auto target = open_sqlite(partial, true);
  if (!target) return std::unexpected(target.error());
  return copy_pages(source->get(), target->get(), "backing up", pages_per_step);
}

Result<void> backup_postgres(const std::string& location, const std::string& partial) {
  auto from = Store::open(location, Connection::Mode::read_only);
  if (!from) return std::unexpected(from.error());
  auto to = Store::open(partial);
  if (!to) return std::unexpected(to.error());
  auto copied = copy_database(**from, **to);
  if (!copied) return std::unexpected(copied.error());
  return {};
}

// Makes the finished copy one self-contained file and checks it.
Result<BackupReport> finish_backup(const std::string& partial) {
  {
    auto db = open_sqlite(partial, true);
    if (!db) return std::unexpected(db.error());
    // The copy carries over the source's WAL mode; a backup is a single file.
    if (auto mode = exec(db->get(), "PRAGMA journal_mode = DELETE", "cannot finish the backup");
        !mode) {
      return std::unexpected(mode.error());
    }
    if (auto checked = check_integrity(db->get(), "the backup"); !checked) {
      return std::unexpected(checked.error());
    }
  }
  auto store = Store::open(partial, Connection::Mode::read_only);
  if (!store) return std::unexpected(store.error());
  BackupReport report;
  report.schema_version = (*store)->schema_version();
  report.tables = count_tables((*store)->connection());
  return report;
}

Result<BackupReport> backup(const std::string& location, const std::string& out,
                            const BackupOptions& options) {
  if (auto checked = check_destination(location, out, options.overwrite); !checked) {
    return std::unexpected(checked.error());
  }
  auto partial = PartialFile::create(out);
  if (!partial) return std::unexpected(partial.error());
  auto filled = is_postgres_url(location)
                    ? backup_postgres(location, partial->path())
                    : backup_sqlite(location, partial->path(), options.pages_per_step);
  if (!filled) return std::unexpected(filled.error());
  auto report = finish_backup(partial->path());
  if (!report) return report;
  if (auto published = partial->publish(out, options.overwrite); !published) {
    return std::unexpected(published.error());
  }
  return report;
}

// The backup's schema version, once it is known to be a needsmap backup this build can restore.
Result<int> inspect_backup(const std::string& backup) {
  if (is_postgres_url(backup)) {
    return std::unexpected(Error::invalid(
        "--from names a backup file made by `needsmap backup`, not a database (to copy a "
        "database into another, use `needsmap db copy`)"));
  }
  std::error_code ec;
  if (!fs::is_regular_file(backup, ec)) {
    return std::unexpected(Error::not_found("no backup file " + backup));
  }
  auto db = open_sqlite(backup, false);
  if (!db) return std::unexpected(db.error());
  auto version = schema_version_of(db->get(), backup);
  if (!version) {
    return std::unexpected(
        Error::invalid(backup + " is not a needsmap backup (" + version.error().message + ")"));
  }
  if (*version == 0) {
    return std::unexpected(
        Error::invalid(backup + " is not a needsmap backup (it has no needsmap schema)"));
  }
  if (*version > Store::known_schema_version()) {
    return std::unexpected(Error::conflict(
        backup + " was made by a newer needsmap (schema version " + std::to_string(*version) +
        "; this needsmap knows " + std::to_string(Store::known_schema_version()) +
        "): restore it with that version of needsmap or a newer one"));
  }
  return version;
}

Result<void> check_backup_integrity(const std::string& backup) {
  auto db = open_sqlite(backup, false);
  if (!db) return std::unexpected(db.error());
  return check_integrity(db->get(), backup);
}

// A copy of the backup at the current schema, in a new file at `path`: the schema change made
// and the rows copied.
Result<RestoreReport> copy_and_migrate(const std::string& backup, const std::string& path,
                                       const std::string& label) {
  {
    auto source = open_sqlite(backup, false);
    if (!source) return std::unexpected(source.error());
    auto target = open_sqlite(path, true);
    if (!target) return std::unexpected(target.error());
    if (auto copied = copy_pages(source->get(), target->get(), label); !copied) {
      return std::unexpected(copied.error());
    }
  }
  // Counted on the one connection that writes, whose closing checkpoints and removes the WAL.
  auto store = Store::open(path);
  if (!store) return std::unexpected(store.error());
  auto change = (*store)->migrate();
  if (!change) return std::unexpected(change.error());
  return RestoreReport{*change, count_tables((*store)->connection())};
}

// Into a new SQLite file: the backup's pages, written beside it and renamed into place.
Result<RestoreReport> restore_into_new_file(const std::string& backup,
                                            const std::string& location) {
  if (auto clean = no_leftover_companions(location); !clean) {
    return std::unexpected(clean.error());
  }
  auto partial = PartialFile::create(location);
  if (!partial) return std::unexpected(partial.error());
  auto report = copy_and_migrate(backup, partial->path(), "restoring");
  if (!report) return report;
  if (auto published = partial->publish(location, false); !published) {
    return std::unexpected(published.error());
  }
  return report;
}

// Into an existing, empty database (PostgreSQL, or an SQLite file that exists): copy_database, in
// one transaction. An older backup is first brought to the current schema in a temporary copy.
Result<RestoreReport> restore_by_copy(const std::string& backup, int version, Store& target) {
  std::optional<PartialFile> staged;
  std::string source_path = backup;
  if (version < Store::known_schema_version()) {
    auto made = PartialFile::create(fs::temp_directory_path() / "needsmap-restore");
    if (!made) return std::unexpected(made.error());
    staged.emplace(std::move(*made));
    auto migrated = copy_and_migrate(backup, staged->path(), "migrating the backup");
    if (!migrated) return std::unexpected(migrated.error());
    source_path = staged->path();
  }
  auto source = Store::open(source_path, Connection::Mode::read_only);
  if (!source) return std::unexpected(source.error());
  auto copied = copy_database(**source, target);
  if (!copied) return std::unexpected(copied.error());
  return RestoreReport{{version, Store::known_schema_version()}, std::move(*copied)};
}

Result<RestoreReport> restore(const std::string& backup, const std::string& location) {
  auto version = inspect_backup(backup);
  if (!version) return std::unexpected(version.error());
  std::error_code ec;
  bool new_file = !is_postgres_url(location) && !fs::exists(location, ec);
  std::unique_ptr<Store> target;
  if (!new_file) {
    // A database that holds data is refused before the whole backup is read.
    auto opened = Store::open(location);
    if (!opened) return std::unexpected(opened.error());
    target = std::move(*opened);
    if (auto empty = check_empty(target->connection(), location); !empty) {
      return std::unexpected(empty.error());
    }
  }
  if (auto checked = check_backup_integrity(backup); !checked) {
    return std::unexpected(checked.error());
  }
  return new_file ? restore_into_new_file(backup, location)
                  : restore_by_copy(backup, *version, *target);
}

}  // namespace

Result<BackupReport> backup_database(const std::string& location, const std::string& out,
                                     const BackupOptions& options) {
  try {
    return backup(location, out, options);
  } catch (const DatabaseError& e) {
    return std::unexpected(Error::io(std::string("the backup failed: ") + e.what()));
  }
}

Result<RestoreReport> restore_database(const std::string& backup, const std::string& location) {
  try {
    return restore(backup, location);
  } catch (const DatabaseError& e) {
    return std::unexpected(
        Error::io(std::string("the restore failed; nothing was restored: ") + e.what()));
  }
}

}  // namespace needsmap::store
