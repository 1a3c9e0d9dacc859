// Kiosk operations that run without the UI: enrol, demo data, one sync pass, status.
// The CLI and the UI call the same functions.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/core/consent_text.h"
#include "app/store/kiosk_store.h"
#include "sync/client/sync_client.h"

namespace smp::core {

// Settings keys in the kiosk store.
inline constexpr const char* kSettingServerUrl = "server.url";
inline constexpr const char* kSettingToken = "server.token";
inline constexpr const char* kSettingKioskId = "kiosk.id";
inline constexpr const char* kSettingClinic = "kiosk.clinic";
inline constexpr const char* kSettingDefaultLanguage = "kiosk.default_language";  // en, es or fr
inline constexpr const char* kSettingCaFile = "server.ca_file";
inline constexpr const char* kSettingPinnedKey = "server.pinned_key";
inline constexpr const char* kSettingConfig = "headoffice.config";  // JSON from GET /v1/config
inline constexpr const char* kSettingConfigEtag = "headoffice.config_etag";

std::filesystem::path databasePath(const std::filesystem::path& dataDir);
// Creates the data directory (mode 0700: it holds health data) if needed.
void ensureDataDir(const std::filesystem::path& dataDir);

// Throws std::invalid_argument unless url is https://host[:port] (or http:// to this machine)
// without a path.
void validateServerUrl(const std::string& url);

// A token read from a file, or from stdin when `source` is "-": never from the command line,
// where ps and the shell history would keep it. Throws std::invalid_argument naming the source.
std::string readSecret(const std::string& source);

// TLS options for a head office with its own CA or a pinned key (both optional).
struct TlsOptions {
  std::string caFile;
  std::string pinnedPublicKey;  // "sha256//BASE64"
};

// Checks the token with the server (TLS as configured) and stores URL, token, TLS options,
// kiosk id and clinic.
sync::KioskInfo enroll(store::KioskStore& store, const std::string& serverUrl,
                       const std::string& token, const TlsOptions& tls = {});

// Stores what enroll checked: URL, token, TLS options, kiosk id and clinic (one transaction).
void storeEnrolment(store::KioskStore& store, const std::string& serverUrl,
                    const std::string& token, const TlsOptions& tls, const sync::KioskInfo& info);

// The server to talk to: the override if given, else the enrolled one.
sync::ServerEndpoint endpointFor(store::KioskStore& store, const std::string& serverOverride);

// Creates `count` complete consultations through ConsultationService. Photos come from photosDir
// (every .jpg/.png, in name order, cycled) or from the generated mannequin.
int createDemoConsultations(store::KioskStore& store, const std::filesystem::path& assetsDir,
                            int count, const std::optional<std::filesystem::path>& photosDir);

sync::SyncReport syncOnce(const std::filesystem::path& dataDir,
                          const sync::ServerEndpoint& endpoint);

nlohmann::json statusJson(store::KioskStore& store);

// Retention: purges the readable copy of every record head office acknowledged more than the
// config's retention_days before `now` (nothing when head office sets no limit). Returns how
// many were purged.
int applyRetention(store::KioskStore& store, std::chrono::system_clock::time_point now);
// The day ("2026-12-31") until which this kiosk keeps a record acknowledged at `acknowledgedAt`,
// or "" when there is no limit or it is not acknowledged yet.
std::string keptUntil(store::KioskStore& store, const std::string& acknowledgedAt);

}  // namespace smp::core
