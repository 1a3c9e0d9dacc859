// Flattens stored records into the export columns; CSV quoting per RFC 4180.
#include "sync/server/export.h"

namespace smp::server {
namespace {

using nlohmann::json;

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string hashesOf(const json& blobs, const char* separator) {
  std::string out;
  if (!blobs.is_array()) return out;
  for (const auto& b : blobs) {
    if (!out.empty()) out += separator;
    out += b.value("sha256", "");
  }
  return out;
}

json exportObject(const StoredConsultation& c) {
  const json& r = c.record;
  json photos = json::array(), previews = json::array();
  for (const auto& b : r.value("photos", json::array())) photos.push_back(b.value("sha256", ""));
  for (const auto& b : r.value("previews", json::array()))
    previews.push_back(b.value("sha256", ""));
  return {{"id", c.id},
          {"clinic", c.clinic},
          {"kiosk_id", c.kioskId},
          {"kiosk_seq", c.kioskSeq},
          {"revision", c.revision},
          {"created_at", r.value("created_at", "")},
          {"received_at", c.receivedAt},
          {"client_name", r.value("client_name", "")},
          {"concern", r.value("concern", "")},
          {"intake", r.value("intake", json::object())},
          {"consent_text_sha256", r.value("consent_text_sha256", "")},
          {"photo_sha256", photos},
          {"preview_sha256", previews},
          {"record_sha256", c.sha256}};
}

}  // namespace

int exportConsultations(ServerStorage& storage, ExportFormat format, std::ostream& out) {
  int count = 0;
  if (format == ExportFormat::kCsv) {
    out << "id,clinic,kiosk_id,kiosk_seq,revision,created_at,received_at,client_name,concern,"
           "intake_json,consent_text_sha256,photo_sha256,preview_sha256,record_sha256\r\n";
  }
  storage.forEachConsultation([&](const StoredConsultation& c) {
    const json o = exportObject(c);
    if (format == ExportFormat::kJsonl) {
      out << o.dump() << "\n";
    } else {
      const json& r = c.record;
      out << csvField(c.id) << ',' << csvField(c.clinic) << ',' << csvField(c.kioskId) << ','
          << c.kioskSeq << ',' << c.revision << ',' << csvField(o["created_at"]) << ','
          << csvField(c.receivedAt) << ',' << csvField(o["client_name"]) << ','
          << csvField(o["concern"]) << ',' << csvField(o["intake"].dump()) << ','
          << csvField(o["consent_text_sha256"]) << ','
          << csvField(hashesOf(r.value("photos", json::array()), ";")) << ','
          << csvField(hashesOf(r.value("previews", json::array()), ";")) << ','
          << csvField(c.sha256) << "\r\n";
    }
    ++count;
  });
  return count;
}

}  // namespace smp::server
