// The client's path through the kiosk as a state machine. The UI draws screen() and draft() and
// calls the intent methods; no ImGui here, so tests and `demo` drive it without a window.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/core/consultation_draft.h"
#include "sync/protocol/consultation.h"

namespace smp::core {

enum class Screen { kWelcome, kIntake, kPhoto, kPreview, kSaved };

const char* screenName(Screen screen);

class KioskFlow {
 public:
  using Saver = std::function<protocol::ConsultationRecord(const ConsultationDraft&)>;
  explicit KioskFlow(Saver saver);

  Screen screen() const { return m_screen; }
  const ConsultationDraft& draft() const { return m_draft; }
  // A calm message for the client about the last intent that could not go ahead; empty if none.
  const std::string& message() const { return m_message; }
  int stepNumber() const;  // 1-based among the client's steps (intake .. preview)
  int stepCount() const { return 3; }
  const std::string& savedId() const { return m_savedId; }
  // Changes whenever a new photo is captured, so views know to re-upload and re-render.
  std::uint64_t photoGeneration() const { return m_photoGeneration; }

  void start();
  void setName(std::string name);
  void setConcern(std::string concern);
  void setConsent(bool given);
  bool next();  // intake -> photo, validating
  void back();
  void capturePhoto(engine::RgbImage frame, HeadGuide guide);
  void retake();
  void setHairline(engine::HairlineStyle style);
  void setDensity(double perCm2);
  bool save();    // preview -> saved only after the store's commit returned
  void finish();  // saved -> welcome, wiping the draft
  void reset();   // idle timeout or staff: wipe everything and return to welcome

 private:
  Saver m_saver;
  Screen m_screen = Screen::kWelcome;
  ConsultationDraft m_draft;
  std::string m_message;
  std::string m_savedId;
  std::uint64_t m_photoGeneration = 0;
};

}  // namespace smp::core
