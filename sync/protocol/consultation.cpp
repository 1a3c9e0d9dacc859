// JSON mapping with field-by-field validation: bad input names the field and what was expected.
#include "sync/protocol/consultation.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

#include "sync/protocol/json_fields.h"
#include "sync/protocol/sha256.h"

namespace smp::protocol {
namespace {

using nlohmann::json;

json blobsToJson(const std::vector<BlobRef>& blobs) {
  json arr = json::array();
  for (const auto& b : blobs) {
    arr.push_back({{"role", b.role}, {"sha256", b.sha256}, {"size", b.size}, {"mime", b.mime}});
  }
  return arr;
}

std::vector<BlobRef> blobsFromJson(const json& j, const char* name) {
  const json& arr = field(j, name);
  if (!arr.is_array()) throw ProtocolError(std::string("field '") + name + "' must be an array");
  if (arr.size() > 16) throw ProtocolError(std::string("field '") + name + "' has over 16 entries");
  std::vector<BlobRef> out;
  for (const json& e : arr) {
    BlobRef b;
    b.role = stringField(e, "role", 32);
    b.sha256 = stringField(e, "sha256", 64);
    if (!isSha256Hex(b.sha256)) {
      throw ProtocolError(std::string("field '") + name + "': '" + b.sha256 +
                          "' is not a lowercase hex sha256");
    }
    b.size = static_cast<std::uint64_t>(intField(e, "size", 1, kMaxBlobBytes));
    b.mime = stringField(e, "mime", 32);
    if (b.mime != "image/jpeg" && b.mime != "image/png") {
      throw ProtocolError(std::string("field '") + name + "': mime '" + b.mime +
                          "' must be image/jpeg or image/png");
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

bool isKnownConcern(std::string_view concern) {
  return std::find(std::begin(kConcerns), std::end(kConcerns), concern) != std::end(kConcerns);
}

json ConsultationRecord::toJson() const {
  return {{"protocol", kProtocolVersion},
          {"id", id},
          {"kiosk_seq", kioskSeq},
          {"revision", revision},
          {"created_at", createdAt},
          {"client_name", clientName},
          {"concern", concern},
          {"intake", intake},
          {"consent_text_sha256", consentTextSha256},
          {"consented_at", consentedAt},
          {"photos", blobsToJson(photos)},
          {"previews", blobsToJson(previews)},
          {"preview_params", previewParams}};
}

ConsultationRecord ConsultationRecord::fromJson(const json& j) {
  const auto version = intField(j, "protocol", 0, 1000);
  if (version != kProtocolVersion) {
    throw ProtocolError("protocol version " + std::to_string(version) +
                        " is not supported; this side speaks version " +
                        std::to_string(kProtocolVersion));
  }
  ConsultationRecord r;
  r.id = stringField(j, "id", 36);
  if (!isUuid(r.id)) throw ProtocolError("field 'id': '" + r.id + "' is not a UUID");
  r.kioskSeq = intField(j, "kiosk_seq", 1, INT64_MAX);
  r.revision = static_cast<int>(intField(j, "revision", 1, 1'000'000));
  r.createdAt = stringField(j, "created_at", 40);
  r.clientName = stringField(j, "client_name", 200);
  if (r.clientName.empty()) throw ProtocolError("field 'client_name' is empty");
  r.concern = stringField(j, "concern", 40);
  if (!isKnownConcern(r.concern)) {
    throw ProtocolError("field 'concern': '" + r.concern + "' is not a known concern");
  }
  r.intake = field(j, "intake");
  if (!r.intake.is_object()) throw ProtocolError("field 'intake' must be an object");
  r.consentTextSha256 = stringField(j, "consent_text_sha256", 64);
  if (!isSha256Hex(r.consentTextSha256)) {
    throw ProtocolError("field 'consent_text_sha256' is not a lowercase hex sha256");
  }
  r.consentedAt = stringField(j, "consented_at", 40);
  r.photos = blobsFromJson(j, "photos");
  if (r.photos.empty())
    throw ProtocolError("field 'photos' is empty: a consultation needs a photo");
  r.previews = blobsFromJson(j, "previews");
  r.previewParams = field(j, "preview_params");
  if (!r.previewParams.is_object()) throw ProtocolError("field 'preview_params' must be an object");
  return r;
}

std::string ConsultationRecord::contentSha256() const { return sha256Hex(toJson().dump()); }

std::vector<std::string> ConsultationRecord::blobHashes() const {
  std::vector<std::string> out;
  for (const auto& b : photos) out.push_back(b.sha256);
  for (const auto& b : previews) out.push_back(b.sha256);
  return out;
}

bool isUuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string randomHex(std::size_t bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
  return hex;
}

std::string newUuid() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string nowIso8601Utc() { return iso8601Utc(std::chrono::system_clock::now()); }

std::string iso8601Utc(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::optional<std::chrono::system_clock::time_point> parseIso8601Utc(std::string_view text) {
  std::tm tm{};
  char zone = 0;
  const std::string s(text.substr(0, 32));
  if (s.size() != 20 ||
      std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &zone) != 7 ||
      zone != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

json Ack::toJson() const {
  return {{"id", id}, {"sha256", sha256}, {"status", status}, {"received_at", receivedAt}};
}

Ack Ack::fromJson(const json& j) {
  Ack a;
  a.id = stringField(j, "id", 36);
  a.sha256 = stringField(j, "sha256", 64);
  a.status = stringField(j, "status", 16);
  a.receivedAt = stringField(j, "received_at", 40);
  if (a.status != "stored" && a.status != "duplicate") {
    throw ProtocolError("acknowledgement status '" + a.status + "' is not stored or duplicate");
  }
  return a;
}

}  // namespace smp::protocol
