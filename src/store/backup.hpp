// Backing up a needsmap database while its servers run, and restoring a backup into an empty
// database. A backup is always one SQLite file, whichever database it was made from, so there is
// one format and one way back for both.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/copy.hpp"
#include "store/store.hpp"

namespace needsmap::store {

struct BackupOptions {
  bool overwrite{false};  // replace an existing file at the destination
  // SQLite: pages the online backup copies per step (the progress bar moves once a step).
  int pages_per_step{1024};
};

struct BackupReport {
  int schema_version{0};
  std::vector<CopiedTable> tables;  // rows in the backup, table by table
};

// Writes a consistent snapshot of `location` (an SQLite file or a `postgresql://` URL) to the
// file `out`. SQLite is read with its online backup API inside one read transaction, so writers
// go on meanwhile; PostgreSQL is read in one REPEATABLE READ snapshot (copy_database). The file
// is written beside `out` under another name, checked (PRAGMA integrity_check) and only then
// renamed into place: `out` is never a half-written backup.
Result<BackupReport> backup_database(const std::string& location, const std::string& out,
                                     const BackupOptions& options = {});

struct RestoreReport {
  SchemaChange schema;              // from: the backup's schema version; to: the restored one's
  std::vector<CopiedTable> tables;  // rows restored, table by table
};

// Restores the backup file `backup` into `location`, which must be empty: a file that does not
// exist yet (or an empty one), or an empty PostgreSQL database. Either all of it arrives or
// nothing does. A backup made by an older needsmap is migrated to the current schema; one made
// by a newer needsmap is refused.
Result<RestoreReport> restore_database(const std::string& backup, const std::string& location);

}  // namespace needsmap::store
