// ServerStorage on one SQLite file: blobs stored by content hash in their own table.
#pragma once

#include <filesystem>
#include <mutex>

#include "app/store/sqlite/sqlite_db.h"
#include "sync/server/server_storage.h"

namespace smp::server {

class SqliteServerStorage : public ServerStorage {
 public:
  explicit SqliteServerStorage(const std::filesystem::path& path);
  NewKiosk addKiosk(const std::string& clinic) override;
  std::optional<KioskIdentity> kioskForToken(const std::string& token) override;
  bool hasBlob(const std::string& sha256) override;
  void putBlob(const std::string& sha256, const std::string& bytes) override;
  PutResult putConsultation(const KioskIdentity& kiosk, const std::string& id,
                            std::int64_t kioskSeq, int revision, const std::string& sha256,
                            const std::string& recordJson, std::string& receivedAt) override;
  void forEachConsultation(const std::function<void(const StoredConsultation&)>& fn) override;

 private:
  // One connection serialised by a mutex: simple and correct; WAL keeps readers unblocked
  // for the export tool running beside the server.
  std::mutex m_mutex;
  sqlite::Database m_db;
};

}  // namespace smp::server
