// The one way a consultation is saved, used by the touchscreen flow and by `smp-kiosk demo`:
// render the preview, encode photos, preview and signature (EXIF-free), and save all in one
// transaction with the consent text the client read, in their language.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
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
  // Loads the consent text of every shipped language from assetsDir/consent.
  ConsultationService(store::KioskStore& store, const std::filesystem::path& assetsDir,
                      std::string kioskId);

  const ConsentText& consent(const std::string& language) const;

  // Throws std::invalid_argument naming what is missing; store errors pass through.
  protocol::ConsultationRecord save(const ConsultationDraft& draft);

  // Staff: re-renders a saved consultation's preview with its stored parameters, optionally
  // from a new front photo (a retake), and saves both as a new revision.
  protocol::ConsultationRecord rerender(const std::string& id,
                                        const std::optional<engine::RgbImage>& newFront,
                                        const std::string& actor);

 private:
  store::KioskStore& m_store;
  std::map<std::string, ConsentText> m_consents;
  std::string m_kioskId;
};

}  // namespace smp::core
