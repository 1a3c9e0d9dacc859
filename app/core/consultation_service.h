// The one way a consultation is saved, used by the touchscreen flow and by `smp-kiosk demo`:
// render the preview, encode photos, preview and signature (EXIF-free), and save all in one
// transaction with the consent text the client read, in their language.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/core/consent_text.h"
#include "app/core/consultation_draft.h"
#include "app/store/kiosk_store.h"

namespace smp::core {

// Photos are stored at most this size: enough for staff review, small enough to sync.
inline constexpr int kStoredPhotoMaxWidth = 1600;
inline constexpr int kStoredPhotoMaxHeight = 1600;

// A staff re-render in three steps, so the slow middle one can run off the UI thread: what it
// needs from the store (read on the UI thread), the render (pure: no store), the new revision
// (written on the UI thread).
struct RerenderJob {
  std::string id;
  nlohmann::json storedParams;
  std::optional<engine::RgbImage> newFront;  // a retake, or
  std::vector<std::uint8_t> storedFront;     // the stored front photo's bytes
};
struct RerenderedRevision {
  std::string id;
  store::BlobData preview;
  std::optional<store::BlobData> front;  // set for a retake
  nlohmann::json previewParams;
};
// Throws what decoding or rendering throws; touches no store, so any thread may run it.
RerenderedRevision renderRevision(const RerenderJob& job);

class ConsultationService {
 public:
  // Loads the consent text of every shipped language from assetsDir/consent.
  ConsultationService(store::KioskStore& store, const std::filesystem::path& assetsDir,
                      std::string kioskId);

  // The consent text a client reads in `language`: head office's published text when its config
  // has one for that language, else the one this release ships (English when neither exists).
  ConsentText consent(const std::string& language);

  // Throws std::invalid_argument naming what is missing; store errors pass through.
  protocol::ConsultationRecord save(const ConsultationDraft& draft);

  // Staff: re-renders a saved consultation's preview with its stored parameters, optionally
  // from a new front photo (a retake), and saves both as a new revision.
  protocol::ConsultationRecord rerender(const std::string& id,
                                        const std::optional<engine::RgbImage>& newFront,
                                        const std::string& actor);
  RerenderJob prepareRerender(const std::string& id, std::optional<engine::RgbImage> newFront);
  protocol::ConsultationRecord commitRerender(const RerenderedRevision& revision,
                                              const std::string& actor);

 private:
  store::KioskStore& m_store;
  std::map<std::string, ConsentText> m_consents;  // shipped, by language
  // Head office's texts, parsed from the stored config only when it changes (the consent
  // screen asks every frame).
  std::string m_configSeen;
  std::map<std::string, ConsentText> m_published;
  std::string m_kioskId;
};

}  // namespace smp::core
