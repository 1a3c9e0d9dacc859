#include "sync/server/storage_common.h"

#include <cctype>
#include <chrono>
#include <set>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "sync/protocol/untrusted_json.h"

namespace smp::server::storage {

nlohmann::json storedJson(const std::string& text) {
  try {
    return protocol::parseUntrustedJson(text, protocol::kMaxConfigBytes);
  } catch (const protocol::ProtocolError&) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
}

nlohmann::json storedJsonOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  const nlohmann::json j = storedJson(text);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

// Built with append, not `"\"" + s`: GCC 12 at -O3 reports a false -Wrestrict overlap for the
// operator+ form once it is inlined.
std::string etagOf(const std::string& configText) {
  std::string etag;
  etag.reserve(34);
  etag.push_back('"');
  etag.append(protocol::sha256Hex(configText), 0, 32);
  etag.push_back('"');
  return etag;
}

std::int64_t nowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string uploadName(const KioskIdentity& kiosk, const std::string& sha256) {
  std::string name = kiosk.kioskId + "-" + sha256;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '_';
  }
  return name;
}

BlobCheck compareBlobs(BlobStore& blobs, const std::vector<std::string>& named, int maxListed) {
  BlobCheck check;
  std::set<std::string> files;
  blobs.forEach([&](const std::string& sha) {
    files.insert(sha);
    return true;
  });
  check.files = static_cast<std::int64_t>(files.size());
  for (const auto& sha : named) {
    ++check.named;
    if (files.erase(sha) == 0) {
      ++check.missingCount;
      if (static_cast<int>(check.missing.size()) < maxListed) check.missing.push_back(sha);
    }
  }
  // What is left has no row. A file put in place by an upload that has not recorded its row
  // yet can show here for a moment; the check runs at startup, before uploads arrive.
  check.orphanCount = static_cast<std::int64_t>(files.size());
  for (const auto& sha : files) {
    if (static_cast<int>(check.orphans.size()) >= maxListed) break;
    check.orphans.push_back(sha);
  }
  return check;
}

std::vector<std::string> clinicsFrom(const std::string& json) {
  std::vector<std::string> out;
  try {
    const auto j = protocol::parseUntrustedJson(json, 64 * 1024);
    if (!j.is_array()) return out;
    for (const auto& c : j)
      if (c.is_string()) out.push_back(c.get<std::string>());
  } catch (const protocol::ProtocolError&) {
  }
  return out;
}

std::string likeLiteral(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace smp::server::storage
