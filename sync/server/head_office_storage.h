// Everything a head office keeps, whichever database holds it: the sync API's storage and the
// web application's, plus where the photos are. SQLite (one file, for one clinic or a small
// chain) and PostgreSQL (several servers, many kiosks) implement it; `openHeadOfficeStorage`
// picks one from the --db argument.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sync/server/office_storage.h"
#include "sync/server/server_storage.h"

namespace smp::server {

class HeadOfficeStorage : public ServerStorage, public OfficeStorage {
 public:
  // The folder that holds the photos and previews (blob_store.h).
  virtual const std::filesystem::path& blobFolder() const = 0;
  // "SQLite FILE" or "PostgreSQL DATABASE on HOST": for log lines, never with a password.
  virtual std::string describe() const = 0;
};

// Why this config cannot be published, or nullopt: a consent text that changed under a version
// head office already holds (a new text is a new version; the old one stays readable).
std::optional<std::string> consentVersionClash(ServerStorage& storage,
                                               const nlohmann::json& config);

// True for a libpq URI (postgresql://… or postgres://…); anything else is a SQLite file.
bool isPostgresUri(const std::string& db);

// Opens (creating and migrating as needed) the head office named by `db`. Throws
// std::runtime_error with a message a person can act on.
std::unique_ptr<HeadOfficeStorage> openHeadOfficeStorage(const std::string& db,
                                                         const std::filesystem::path& blobFolder);

}  // namespace smp::server
