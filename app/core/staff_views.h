// What the staff screens draw, ready to draw: flat strings and translation keys, decoded
// images, no JSON and no SQL. StaffMode builds them from the store and keeps them until the
// data under them changes, so a screen drawn 60 times a second does not query 60 times.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/image.h"

namespace smp::core {

// One row of the records list.
struct RecordRow {
  std::string id;
  bool purged = false;     // the kiosk's copy was removed after head office kept it
  bool sealed = false;     // name and phone unknown until head office sends the store key
  std::string clientName;  // empty when purged or sealed
  std::string phone;
  std::string when;  // "2026-11-21 10:04", kiosk time as stored
  bool flagged = false;
  std::string syncKey;  // "staff.sync_synced", "staff.sync_pending", ...
  bool quarantined = false;
  std::string statusKey;  // "staff.status_booked", or "" for none
};

// The parameters a preview was rendered with, in words for staff ("80/cm², 0.30 mm").
struct PreviewSummary {
  std::string densityPerCm2;  // "80"
  std::string dotDiameterMm;  // "0.30"
  std::string sessionStage;   // "2"
  std::string dotCount;       // "31204"
  std::string yearsAged;      // "5", or "" for the fresh result
};

// The open record on the detail screen.
struct RecordDetailView {
  std::string id;
  int revision = 0;
  std::string clientName;
  std::string concernKey;  // "concern.scar"
  std::string stage;       // "Norwood III", as clinicians write it, or "" if not chosen
  std::string phone;
  std::string email;
  std::string hairlineKey;  // "hairline.soft", or "" when the client skipped it
  std::string densityKey;   // "density.medium", or ""
  std::optional<PreviewSummary> preview;
  std::string consentedAt;
  std::string consentHashShort;  // the first 12 hex digits of the signed text's sha256
  std::string keptUntil;         // the day this kiosk removes its copy, or "" for no limit
  bool marketingConsent = false;
  std::vector<std::string> healthFlagKeys;  // "health.blood_thinners", ...
  std::string statusKey;                    // "staff.status_booked", or ""
  std::string statusNote;
  // Head office's follow-up, oldest first, as the last sync brought it.
  struct HeadOfficeNote {
    std::string statusKey;  // "staff.follow_up_booked"
    std::string note;
    std::string author;
    std::string when;  // "2026-12-03 14:05" (UTC, as head office wrote it)
  };
  std::vector<HeadOfficeNote> headOffice;
  // Decoded photos, previews and signature by role ("front", "preview", "top", "preview-top",
  // "signature"); a
  // damaged or missing image is simply absent: the record stays readable.
  std::map<std::string, engine::RgbImage> images;
};

// The settings screen's values, read together and kept until a setting changes.
struct SettingsView {
  std::string defaultLanguage;  // "en"
  std::string clinicName;       // as shown to clients (head office's unless set here)
  std::string headOfficeUrl;    // "" before enrolment
  int uiScalePercent = 0;       // 0: fit the display
  int idleWarnSeconds = 0;
  int idleResetSeconds = 0;
  bool idleTimeoutsAreLocal = false;  // set on this kiosk rather than by head office
  // What enrolment and head office set, read-only, in words: (translation key, value).
  std::vector<std::pair<std::string, std::string>> headOffice;
};

// A record head office refused so often that it waits for staff.
struct QuarantinedRow {
  std::string consultationId;
  int revision = 0;
  bool tombstone = false;
  std::string error;  // head office's words, shortened for one line
};

}  // namespace smp::core
