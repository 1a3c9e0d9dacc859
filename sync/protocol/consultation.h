// The consultation record as it travels from kiosk to head office (protocol version 1).
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace smp::protocol {

inline constexpr int kProtocolVersion = 1;
// Bodies larger than these are refused with 413 by the server and never sent by the client.
inline constexpr std::size_t kMaxRecordBytes = 256u << 10;
inline constexpr std::size_t kMaxBlobBytes = 32u << 20;

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Why the client came: the first intake question.
inline constexpr std::string_view kConcerns[] = {
    "pattern-baldness", "diffuse-thinning", "alopecia", "scar", "after-chemotherapy", "other"};
bool isKnownConcern(std::string_view concern);

struct BlobRef {
  std::string role;    // "front", "top", "preview", "signature"
  std::string sha256;  // content address
  std::uint64_t size = 0;
  std::string mime;  // "image/jpeg" or "image/png"
};

struct ConsultationRecord {
  std::string id;             // UUID made on the kiosk
  std::int64_t kioskSeq = 0;  // per-kiosk sequence number: orders records despite kiosk clocks
  int revision = 1;
  std::string createdAt;  // kiosk clock, ISO 8601 UTC: informative only
  std::string clientName;
  std::string concern;
  nlohmann::json intake = nlohmann::json::object();  // further answers, free-form
  std::string consentTextSha256;  // hash of the exact consent text the client agreed to
  std::string consentedAt;
  std::vector<BlobRef> photos;
  std::vector<BlobRef> previews;
  nlohmann::json previewParams = nlohmann::json::object();

  nlohmann::json toJson() const;
  // Throws ProtocolError naming the field that is missing, of the wrong type or invalid.
  static ConsultationRecord fromJson(const nlohmann::json& json);
  // sha256 of the canonical JSON (sorted keys, no whitespace).
  std::string contentSha256() const;
  // Every blob sha256 the record names, photos first.
  std::vector<std::string> blobHashes() const;
};

bool isUuid(std::string_view text);
std::string newUuid();  // version 4, from libsodium's CSPRNG
// `bytes` random bytes from libsodium's CSPRNG as lowercase hex (tokens, ids, session cookies).
std::string randomHex(std::size_t bytes);
std::string nowIso8601Utc();
// "2026-11-21T10:00:00Z" for a time point, and back (nullopt unless exactly that shape).
std::string iso8601Utc(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> parseIso8601Utc(std::string_view text);

// What the server answers to a stored or already-present consultation.
struct Ack {
  std::string id;
  std::string sha256;
  std::string status;  // "stored" or "duplicate"
  std::string receivedAt;
  nlohmann::json toJson() const;
  static Ack fromJson(const nlohmann::json& json);
};

}  // namespace smp::protocol
