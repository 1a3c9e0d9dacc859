// The one way a consultation is saved, used by the touchscreen flow and by `smp-kiosk demo`:
// render the preview, encode photo and preview (EXIF-free), and save all in one transaction.
#pragma once

#include <string>

#include "app/core/consent_text.h"
#include "app/core/consultation_draft.h"
#include "app/store/kiosk_store.h"

namespace smp::core {

// Photos are stored at most this size: enough for staff review, small enough to sync.
inline constexpr int kStoredPhotoMaxWidth = 1600;
inline constexpr int kStoredPhotoMaxHeight = 1600;

class ConsultationService {
 public:
  ConsultationService(store::KioskStore& store, ConsentText consent, std::string kioskId);

  // Throws std::invalid_argument naming what is missing; store errors pass through.
  protocol::ConsultationRecord save(const ConsultationDraft& draft);

 private:
  store::KioskStore& m_store;
  ConsentText m_consent;
  std::string m_kioskId;
};

}  // namespace smp::core
