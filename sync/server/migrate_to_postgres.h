// Moving a head office from its SQLite file to PostgreSQL (smp-server migrate): every kiosk
// (with its token hash), consultation with every revision, tombstone, erasure order, config,
// heartbeat, account, session, audit line and enrolment code, and every photo and preview
// (verified by its sha256 on the way). Safe to run again: what is already there is kept, so a
// run cut short is simply repeated.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace smp::server {

struct MigrationReport {
  struct Table {
    std::string name;
    std::int64_t source = 0;  // rows in the SQLite file
    std::int64_t target = 0;  // rows in PostgreSQL afterwards
  };
  std::vector<Table> tables;
  std::int64_t blobsCopied = 0;   // files written to the PostgreSQL head office's blob folder
  std::int64_t blobsPresent = 0;  // already there with the right bytes
  std::uint64_t blobBytes = 0;
  // Blobs the SQLite head office names whose file is missing or does not match its hash:
  // their rows are not copied (a startup check would call them missing); restore them from a
  // backup of the old blob folder and run the migration again.
  std::vector<std::string> badBlobs;
  bool complete() const;
};

// `blobFolder`: the PostgreSQL head office's folder (empty: the one its database names). The
// SQLite file is brought to the latest schema first. Throws std::runtime_error when either
// side cannot be opened.
MigrationReport migrateSqliteToPostgres(const std::filesystem::path& sqliteFile,
                                        const std::string& postgresUri,
                                        const std::filesystem::path& blobFolder);

}  // namespace smp::server
