// What both head-office backends (SQLite, PostgreSQL) do the same way with the values they
// store: reading back JSON, naming upload part files, ETags, search patterns.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sync/server/blob_store.h"
#include "sync/server/server_storage.h"

namespace smp::server::storage {

// JSON this server wrote itself, read back with the same bounds as a request body (a restored or
// crafted database is outside input too): a discarded value when it is not readable.
nlohmann::json storedJson(const std::string& text);
// The same for a column that may be empty (NULL): null for empty or unreadable text.
nlohmann::json storedJsonOrNull(const std::string& text);

// A strong ETag from the config's text.
std::string etagOf(const std::string& configText);

std::int64_t nowUnixSeconds();

// The part file of one kiosk's upload of one blob: kiosk ids are UUID-like, hashes are hex.
std::string uploadName(const KioskIdentity& kiosk, const std::string& sha256);

// The startup check's comparison: the files `blobs` holds against the hashes the database
// names (sorted or not), listing at most `maxListed` of the missing and of the orphans.
BlobCheck compareBlobs(BlobStore& blobs, const std::vector<std::string>& named, int maxListed);

// A clinic manager's clinics, stored as a JSON array of strings.
std::vector<std::string> clinicsFrom(const std::string& json);

// `text` for LIKE '%text%' with its own % and _ taken literally (ESCAPE '\').
std::string likeLiteral(const std::string& text);

}  // namespace smp::server::storage
