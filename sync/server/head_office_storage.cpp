#include "sync/server/head_office_storage.h"

#include "sync/protocol/messages.h"
#include "sync/server/postgres_server_storage.h"
#include "sync/server/sqlite_server_storage.h"

namespace smp::server {

void ServerStorage::keepConsentTextsOf(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("consent_texts") ||
      !config["consent_texts"].is_object())
    return;
  for (const auto& [language, t] : config["consent_texts"].items()) {
    if (t.is_object() && t.value("version", nlohmann::json()).is_string() &&
        t.value("text", nlohmann::json()).is_string()) {
      keepConsentText(language, t["version"].get<std::string>(), t["text"].get<std::string>());
    }
  }
}

std::optional<std::string> consentVersionClash(ServerStorage& storage,
                                               const nlohmann::json& config) {
  if (!config.contains("consent_texts") || !config["consent_texts"].is_object())
    return std::nullopt;
  const auto kept = storage.consentTexts();
  for (const auto& [language, t] : config["consent_texts"].items()) {
    const std::string version = t.value("version", ""), text = t.value("text", "");
    const std::string sha = protocol::consentTextSha256(version, text);
    for (const auto& k : kept) {
      if (k.language == language && k.version == version && k.sha256 != sha) {
        return "the consent text for '" + language + "' changed but keeps version '" + version +
               "': a changed text needs a new version (the one signed before stays readable)";
      }
    }
  }
  return std::nullopt;
}

bool isPostgresUri(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::unique_ptr<HeadOfficeStorage> openHeadOfficeStorage(const std::string& db,
                                                         const std::filesystem::path& blobFolder) {
  if (isPostgresUri(db)) return std::make_unique<PostgresServerStorage>(db, blobFolder);
  // A head office that could not be opened (a blob folder it cannot create, say) leaves no
  // empty database behind to be mistaken for a real one on the next try.
  std::error_code ec;
  const bool existed = std::filesystem::exists(db, ec);
  try {
    return std::make_unique<SqliteServerStorage>(db, blobFolder);
  } catch (...) {
    if (!existed) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(db + suffix, ec);
    }
    throw;
  }
}

}  // namespace smp::server
