// Protocol v1 messages besides the consultation record: heartbeat and the head-office config.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace smp::protocol {

// Blobs travel in chunks of this size, each resumable from the server's received offset.
inline constexpr std::size_t kChunkBytes = 1u << 20;
// The most one request may carry towards a blob: the server refuses larger chunks (413) from
// their headers, so no connection can make it hold more than this in memory.
inline constexpr std::size_t kMaxChunkBytes = 4u << 20;
// Heartbeats are a handful of counters.
inline constexpr std::size_t kMaxHeartbeatBytes = 4096;
// The config carries consent texts in every language.
inline constexpr std::size_t kMaxConfigBytes = 1u << 20;

struct Heartbeat {
  std::string appVersion;
  std::int64_t pending = 0;
  std::int64_t oldestPendingAgeSeconds = -1;  // -1: nothing pending
  std::int64_t quarantined = 0;
  std::int64_t freeDiskBytes = -1;
  // Staff PIN guessing on the kiosk in the last 24 hours, so head office sees an attack on a
  // kiosk it cannot watch. Optional on the wire (kiosks before issue 10 omit them).
  std::int64_t failedPins24h = 0;
  std::int64_t pinLockouts24h = 0;

  nlohmann::json toJson() const;
  // Throws ProtocolError naming the bad field.
  static Heartbeat fromJson(const nlohmann::json& json);
};

// What head office decides for every kiosk: prices, consent texts, languages, idle timeouts.
// Throws ProtocolError naming the first field that is missing or malformed.
void validateConfig(const nlohmann::json& config);

// What a kiosk hashes for the consent text a client signs: "version: V\n" followed by the text,
// the same bytes as a consent file in assets/consent/. Head office keeps every text it published
// under this hash, so a record's consent_text_sha256 finds the text as signed.
std::string consentTextSha256(const std::string& version, const std::string& text);

struct ConsentFile {
  std::string version;
  std::string text;
};
// A consent file's bytes ("version: V\n" then the text), or nullopt when it is not one.
std::optional<ConsentFile> parseConsentFile(const std::string& bytes);

}  // namespace smp::protocol
