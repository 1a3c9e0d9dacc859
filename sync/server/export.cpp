// Flattens stored records into the export columns; CSV quoting per RFC 4180.
#include "sync/server/export.h"

#include <sstream>
#include <string_view>

namespace smp::server {
namespace {

using nlohmann::json;

// A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula; a client's
// name from a kiosk must never do that on an analyst's machine, so such a cell starts with '.
std::string csvField(const std::string& raw) {
  const bool formula =
      !raw.empty() && std::string_view("=+-@\t\r").find(raw[0]) != std::string_view::npos;
  const std::string s = formula ? "'" + raw : raw;
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
          {"record_sha256", c.sha256},
          {"follow_up", c.followUp}};
}

}  // namespace

std::string exportHeader(ExportFormat format) {
  if (format == ExportFormat::kJsonl) return "";
  return "id,clinic,kiosk_id,kiosk_seq,revision,created_at,received_at,client_name,concern,"
         "intake_json,consent_text_sha256,photo_sha256,preview_sha256,record_sha256,follow_up\r\n";
}

std::string exportLine(const StoredConsultation& c, ExportFormat format) {
  const json o = exportObject(c);
  if (format == ExportFormat::kJsonl)
    return o.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  const json& r = c.record;
  std::ostringstream out;
  out << csvField(c.id) << ',' << csvField(c.clinic) << ',' << csvField(c.kioskId) << ','
      << c.kioskSeq << ',' << c.revision << ',' << csvField(o["created_at"]) << ','
      << csvField(c.receivedAt) << ',' << csvField(o["client_name"]) << ','
      << csvField(o["concern"]) << ','
      << csvField(o["intake"].dump(-1, ' ', false, json::error_handler_t::replace)) << ','
      << csvField(o["consent_text_sha256"]) << ','
      << csvField(hashesOf(r.value("photos", json::array()), ";")) << ','
      << csvField(hashesOf(r.value("previews", json::array()), ";")) << ',' << csvField(c.sha256)
      << ',' << csvField(c.followUp) << "\r\n";
  return out.str();
}

int exportConsultations(ServerStorage& storage, ExportFormat format, std::ostream& out) {
  int count = 0;
  out << exportHeader(format);
  storage.forEachConsultation([&](const StoredConsultation& c) {
    out << exportLine(c, format);
    ++count;
  });
  return count;
}

}  // namespace smp::server
