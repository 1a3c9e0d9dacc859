// Builds the staff screens' views from the store: the records list and the open record.
#include "app/core/staff_views.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/core/kiosk_commands.h"
#include "app/core/scales.h"
#include "app/core/staff_mode.h"
#include "app/imageio/image_io.h"

namespace smp::core {
namespace {

std::string fixed(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// A stored JSON value as text, whatever its type: records come from older versions too.
std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

double number(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

RecordRow rowFor(const store::ConsultationSummary& s) {
  RecordRow row;
  row.id = s.id;
  row.purged = s.syncState == "purged";
  row.sealed = s.sealed;
  if (!row.purged) {
    row.clientName = s.clientName;
    row.phone = s.phone;
  }
  row.when = s.createdAt.substr(0, 16);
  if (row.when.size() > 10) row.when[10] = ' ';
  row.flagged = s.healthFlags > 0;
  row.syncKey = "staff.sync_" + s.syncState;
  row.quarantined = s.syncState == "quarantined";
  if (!s.staffStatus.empty()) row.statusKey = "staff.status_" + s.staffStatus;
  return row;
}

// Everything but the images, from the stored record.
void fillText(RecordDetailView& v, const protocol::ConsultationRecord& r) {
  const nlohmann::json& in = r.intake.is_object() ? r.intake : nlohmann::json::object();
  v.id = r.id;
  v.revision = r.revision;
  v.clientName = r.clientName;
  v.concernKey = "concern." + r.concern;
  v.stage = stageName(text(in, "loss_stage"));
  v.phone = text(in, "phone");
  v.email = text(in, "email");
  const std::string hairline = text(in, "desired_hairline");
  const std::string density = text(in, "desired_density");
  v.hairlineKey = hairline.empty() ? "" : "hairline." + hairline;
  v.densityKey = density.empty() ? "" : "density." + density;
  const nlohmann::json& p = r.previewParams;
  v.preview.reset();
  if (p.is_object() && p.contains("density_per_cm2")) {
    const double years = number(p, "years_since_session");
    v.preview =
        PreviewSummary{fixed(number(p, "density_per_cm2"), 0),
                       fixed(number(p, "dot_diameter_mm"), 2), fixed(number(p, "session_stage"), 0),
                       fixed(number(p, "dot_count"), 0), years > 0 ? fixed(years, 0) : ""};
  }
  v.consentedAt = r.consentedAt;
  v.consentHashShort = r.consentTextSha256.substr(0, 12);
  const auto marketing = in.find("marketing_photo_consent");
  v.marketingConsent = marketing != in.end() && marketing->is_boolean() && marketing->get<bool>();
  v.healthFlagKeys.clear();
  if (const auto flags = in.find("health_flags"); flags != in.end() && flags->is_array()) {
    for (const auto& f : *flags) {
      if (f.is_string()) v.healthFlagKeys.push_back("health." + f.get<std::string>());
    }
  }
  v.statusKey.clear();
  v.statusNote.clear();
  if (const auto s = in.find("staff_status"); s != in.end() && s->is_object()) {
    v.statusKey = "staff.status_" + text(*s, "status");
    v.statusNote = text(*s, "note");
  }
}

}  // namespace

const std::vector<RecordRow>& StaffMode::records() {
  const store::ChangeStamp stamp = m_store.changeStamp();
  if (m_rowsQuery == m_query && m_rowsStamp == stamp) return m_rows;
  m_rows.clear();
  for (const auto& s : m_store.listConsultations(m_query)) m_rows.push_back(rowFor(s));
  m_rowsQuery = m_query;
  m_rowsStamp = stamp;
  return m_rows;
}

const RecordDetailView* StaffMode::openRecordView() {
  if (m_openId.empty()) {
    m_detail.reset();
    return nullptr;
  }
  const store::ChangeStamp stamp = m_store.changeStamp();
  if (m_detail && m_detail->id == m_openId && m_detailStamp == stamp) return &*m_detail;
  const auto record = m_store.loadRecord(m_openId);
  if (!record) {
    m_detail.reset();
    return nullptr;
  }
  const bool sameImages =
      m_detail && m_detail->id == record->id && m_detail->revision == record->revision;
  if (!sameImages) m_detail.emplace();
  fillText(*m_detail, *record);
  m_detail->keptUntil = keptUntil(m_store, m_store.acknowledgedAt(m_openId));
  m_detail->headOffice.clear();
  for (const auto& f : m_store.followUps(m_openId)) {
    std::string when = f.at.substr(0, 16);
    if (when.size() > 10) when[10] = ' ';
    m_detail->headOffice.push_back({"staff.follow_up_" + f.status, f.note, f.author, when});
  }
  if (!sameImages) {
    auto load = [&](const protocol::BlobRef& ref) {
      const auto bytes = m_store.loadBlob(ref.sha256);
      if (!bytes) return;
      try {
        m_detail->images[ref.role] = imageio::decodeRgb(*bytes, ref.role);
      } catch (const std::exception&) {
        // A damaged image is shown as missing; the record itself stays readable.
      }
    };
    for (const auto& p : record->photos) load(p);
    for (const auto& p : record->previews) load(p);
  }
  m_detailStamp = stamp;
  return &*m_detail;
}

}  // namespace smp::core
