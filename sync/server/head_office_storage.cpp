#include "sync/server/head_office_storage.h"

#include "sync/server/postgres_server_storage.h"
#include "sync/server/sqlite_server_storage.h"

namespace smp::server {

bool isPostgresUri(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::unique_ptr<HeadOfficeStorage> openHeadOfficeStorage(const std::string& db,
                                                         const std::filesystem::path& blobFolder) {
  if (isPostgresUri(db)) return std::make_unique<PostgresServerStorage>(db, blobFolder);
  return std::make_unique<SqliteServerStorage>(db, blobFolder);
}

}  // namespace smp::server
