// Heartbeat mapping and config validation.
#include "sync/protocol/messages.h"

#include "sync/protocol/consultation.h"
#include "sync/protocol/json_fields.h"
#include "sync/protocol/sha256.h"

namespace smp::protocol {

using nlohmann::json;

json Heartbeat::toJson() const {
  return {{"app_version", appVersion},
          {"pending", pending},
          {"oldest_pending_age_seconds", oldestPendingAgeSeconds},
          {"quarantined", quarantined},
          {"free_disk_bytes", freeDiskBytes},
          {"failed_pins_24h", failedPins24h},
          {"pin_lockouts_24h", pinLockouts24h}};
}

Heartbeat Heartbeat::fromJson(const json& j) {
  if (!j.is_object()) throw ProtocolError("expected a JSON object");
  Heartbeat h;
  if (!j.contains("app_version") || !j["app_version"].is_string() ||
      j["app_version"].get<std::string>().size() > 40) {
    throw ProtocolError("field 'app_version' must be a string of at most 40 characters");
  }
  h.appVersion = j["app_version"].get<std::string>();
  h.pending = intField(j, "pending", 0, 100'000'000);
  h.oldestPendingAgeSeconds = intField(j, "oldest_pending_age_seconds", -1, 100LL * 365 * 86400);
  h.quarantined = intField(j, "quarantined", 0, 100'000'000);
  h.freeDiskBytes = intField(j, "free_disk_bytes", -1, INT64_MAX);
  if (j.contains("failed_pins_24h")) h.failedPins24h = intField(j, "failed_pins_24h", 0, 1'000'000);
  if (j.contains("pin_lockouts_24h"))
    h.pinLockouts24h = intField(j, "pin_lockouts_24h", 0, 1'000'000);
  return h;
}

std::string consentTextSha256(const std::string& version, const std::string& text) {
  return sha256Hex("version: " + version + "\n" + text);
}

std::optional<ConsentFile> parseConsentFile(const std::string& bytes) {
  const auto eol = bytes.find('\n');
  if (bytes.rfind("version: ", 0) != 0 || eol == std::string::npos || eol + 1 >= bytes.size())
    return std::nullopt;
  return ConsentFile{bytes.substr(9, eol - 9), bytes.substr(eol + 1)};
}

void validateConfig(const json& c) {
  if (!c.is_object()) throw ProtocolError("config must be a JSON object");
  if (!c.contains("languages") || !c["languages"].is_array() || c["languages"].empty()) {
    throw ProtocolError("config field 'languages' must be a non-empty array of language codes");
  }
  for (const auto& l : c["languages"]) {
    if (!l.is_string() || l.get<std::string>().size() < 2 || l.get<std::string>().size() > 8) {
      throw ProtocolError("config field 'languages' holds a value that is not a language code");
    }
  }
  if (!c.contains("consent_texts") || !c["consent_texts"].is_object()) {
    throw ProtocolError("config field 'consent_texts' must map languages to {version, text}");
  }
  for (const auto& [lang, t] : c["consent_texts"].items()) {
    if (!t.is_object() || !t.contains("version") || !t["version"].is_string() ||
        !t.contains("text") || !t["text"].is_string() || t["text"].get<std::string>().empty()) {
      throw ProtocolError("config consent text '" + lang +
                          "' needs a string 'version' and a non-empty 'text'");
    }
    const std::string version = t["version"].get<std::string>();
    if (version.empty() || version.size() > 64 ||
        version.find_first_of("\r\n") != std::string::npos) {
      throw ProtocolError("config consent text '" + lang +
                          "': the version is one line of 1 to 64 characters");
    }
    if (t["text"].get<std::string>().size() > 64 * 1024) {
      throw ProtocolError("config consent text '" + lang + "' is longer than 64 KiB");
    }
  }
  if (!c.contains("price_list") || !c["price_list"].is_array()) {
    throw ProtocolError("config field 'price_list' must be an array of {item, min, max, currency}");
  }
  for (const auto& p : c["price_list"]) {
    if (!p.is_object() || !p.contains("item") || !p["item"].is_string() || !p.contains("min") ||
        !p["min"].is_number() || !p.contains("max") || !p["max"].is_number() ||
        !p.contains("currency") || !p["currency"].is_string() || p["min"].get<double>() < 0 ||
        p["max"].get<double>() < p["min"].get<double>()) {
      throw ProtocolError("config price list entries need item, currency and 0 <= min <= max");
    }
  }
  if (!c.contains("idle_timeouts") || !c["idle_timeouts"].is_object()) {
    throw ProtocolError("config field 'idle_timeouts' must hold warning_seconds and reset_seconds");
  }
  const auto& t = c["idle_timeouts"];
  intField(t, "warning_seconds", 15, 3600);
  // WCAG 2.2.1: at least 20 s to respond to the warning.
  intField(t, "reset_seconds", 20, 600);
  // How long a kiosk keeps its readable copy after head office acknowledged it (optional).
  if (c.contains("retention_days")) intField(c, "retention_days", 1, 3650);
}

}  // namespace smp::protocol
