#include "sync/server/listing_fields.h"

#include <chrono>
#include <cstdio>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"

namespace smp::server {
namespace {

std::string stringAt(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string mondayOf(const std::string& isoDate) {
  if (isoDate.size() < 10 || isoDate[4] != '-' || isoDate[7] != '-') return {};
  for (const int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (isoDate[i] < '0' || isoDate[i] > '9') return {};
  using namespace std::chrono;
  const year_month_day date{year(std::stoi(isoDate.substr(0, 4))),
                            month(static_cast<unsigned>(std::stoi(isoDate.substr(5, 2)))),
                            day(static_cast<unsigned>(std::stoi(isoDate.substr(8, 2))))};
  if (!date.ok()) return {};
  const sys_days d{date};
  const year_month_day monday{d - days(weekday(d).iso_encoding() - 1)};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(monday.year()),
                static_cast<unsigned>(monday.month()), static_cast<unsigned>(monday.day()));
  return out;
}

ListingFields listingFieldsOf(const std::string& recordJson) {
  ListingFields f;
  nlohmann::json record;
  try {
    record = protocol::parseUntrustedJson(recordJson, protocol::kMaxRecordBytes);
  } catch (const protocol::ProtocolError&) {
    return f;
  }
  f.createdAt = stringAt(record, "created_at");
  f.createdWeek = mondayOf(f.createdAt);
  f.clientName = stringAt(record, "client_name");
  f.concern = stringAt(record, "concern");
  f.consentSha256 = stringAt(record, "consent_text_sha256");
  if (record.is_object() && record.contains("intake")) {
    const auto& intake = record["intake"];
    f.phone = stringAt(intake, "phone");
    f.email = stringAt(intake, "email");
    f.lossStage = stringAt(intake, "loss_stage");
    if (intake.is_object() && intake.contains("health_flags") && intake["health_flags"].is_array())
      f.healthFlagCount = static_cast<int>(intake["health_flags"].size());
  }
  return f;
}

}  // namespace smp::server
