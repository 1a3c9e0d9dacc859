// The client's self-consultation as a state machine: attract, ten steps, saved. The UI draws
// screen() and draft() and calls the intent methods; tests and `demo` drive it without a window.
// Time comes in as a parameter so idle handling is testable with an injected clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/core/consultation_draft.h"
#include "sync/protocol/consultation.h"

namespace smp::core {

enum class Screen {
  kAttract,
  kConcern,
  kStage,
  kColours,
  kLook,
  kHealth,
  kContact,
  kConsent,
  kPhotos,
  kPreview,
  kPlan,
  kSaved
};

const char* screenName(Screen screen);

using Clock = std::chrono::steady_clock;

struct IdleTimeouts {
  std::chrono::seconds warnAfter{60};   // no touch for this long: "Are you still there?"
  std::chrono::seconds resetAfter{20};  // then this long to answer (WCAG 2.2.1: at least 20 s)
};

class KioskFlow {
 public:
  using Saver = std::function<protocol::ConsultationRecord(const ConsultationDraft&)>;
  explicit KioskFlow(Saver saver, IdleTimeouts idle = {});

  Screen screen() const { return m_screen; }
  const ConsultationDraft& draft() const { return m_draft; }
  // Translation key of a calm message about the last intent that could not go ahead.
  const std::string& message() const { return m_message; }
  const std::string& messageDetail() const { return m_messageDetail; }
  int stepNumber() const;  // 1..10 from "concern" to "plan", 0 elsewhere
  static constexpr int kStepCount = 10;
  const std::string& savedId() const { return m_savedId; }
  std::uint64_t photoGeneration() const { return m_photoGeneration; }
  // Counts top photos taken (the preview of the top view restarts on a new one).
  std::uint64_t topPhotoGeneration() const { return m_topPhotoGeneration; }

  // Navigation.
  void start(Clock::time_point now);
  bool next();  // validates the current step
  void back();
  void setLanguage(const std::string& language);
  // The language each new client starts in (a clinic setting). Unknown languages are ignored.
  void setDefaultLanguage(const std::string& language);
  // Staff changed the idle timeouts; a warning already on screen keeps counting from the
  // last touch with the new values.
  void setIdleTimeouts(IdleTimeouts idle) { m_idle = idle; }
  const std::string& defaultLanguage() const { return m_defaultLanguage; }

  // Answers.
  void setConcern(const std::string& concern);
  void setLossStage(const std::string& stage);
  void setHairColour(engine::HairColour colour);
  void setFitzpatrick(int type);
  void setHairline(engine::HairlineStyle style);
  void setDensityChoice(const std::string& choice);
  void setHealthAnswer(const std::string& question, bool yes);
  void setName(std::string name);
  void setPhone(std::string phone);
  void setEmail(std::string email);
  // `textSha256`: the consent text on screen (protocol::consentTextSha256), kept with the record.
  void setConsent(bool given, const std::string& textSha256 = {});
  void setMarketingConsent(bool given);
  void addSignatureStroke(Stroke stroke);
  void clearSignature();
  void capturePhoto(PhotoKind kind, engine::RgbImage frame, HeadGuide guide);
  void retakePhoto(PhotoKind kind);
  // Preview controls.
  void setPreviewDensity(double perCm2);
  void setPreviewSession(int stage);
  void setPreviewMode(engine::PreviewMode mode);
  void setPreviewYears(double years);
  // Which photo the preview shows: the front (always there) or the top (once taken). Ignored
  // for the top while there is no top photo. The handles and marks below act on this view.
  void setPreviewView(PhotoKind view);
  PhotoKind previewView() const { return m_draft.previewView; }
  void setHairlineControls(std::vector<engine::ControlPoint> controls);
  // Strokes of a finger on the photo in view (photo pixels): scars and patches to fill, scalp
  // the automatic zone missed, or took by mistake (MarkKind). A stroke outside the photo is
  // clipped to it, a long one thinned to the engine's limit; beyond the limit of strokes it is
  // refused (false). Retaking a photo clears its marks.
  bool addMark(engine::MarkStroke stroke);
  void undoMark();
  void clearMarks();
  // The marks on the photo in view.
  const std::vector<engine::MarkStroke>& marksInView() const;
  // Back to what the kiosk proposed for the view: no marks, no scalp edits, the hairline where
  // it was placed.
  void resetToAutomatic();
  // Something was changed by hand in the view (a mark, a scalp edit, a dragged hairline).
  bool adjustedByHand() const;
  // A client who came to hide a scar is led to mark it (on either photo): true until they have.
  bool invitesScarMarking() const;
  // Adjusts the head outline on the front photo (the scalp region is re-proposed from it).
  void setGuide(HeadGuide guide);
  std::uint64_t guideGeneration() const { return m_guideGeneration; }

  bool save();    // plan -> saved, only after the store's commit returned
  void finish();  // saved -> attract, wiping the draft
  void reset();   // wipe everything and return to the attract screen

  // Idle handling: every touch calls touched(); tick() each frame. Returns the seconds left
  // while "Are you still there?" is showing.
  void touched(Clock::time_point now);
  std::optional<int> idleWarning(Clock::time_point now) const;
  void tick(Clock::time_point now);
  void needMoreTime(Clock::time_point now);
  int timeExtensions() const { return m_extensions; }

 private:
  std::string validateStep() const;
  void setMessage(std::string key, std::string detail = {});

  Saver m_saver;
  IdleTimeouts m_idle;
  Screen m_screen = Screen::kAttract;
  ConsultationDraft m_draft;
  std::string m_defaultLanguage = "en";
  std::string m_message;
  std::string m_messageDetail;
  std::string m_savedId;
  std::uint64_t m_photoGeneration = 0;
  std::uint64_t m_topPhotoGeneration = 0;
  // The edits of the view on screen, and the photo they are drawn on (null: none yet).
  const std::optional<std::vector<engine::ControlPoint>>& hairlineControlsInView() const;
  std::vector<engine::MarkStroke>& marksRef();
  std::optional<std::vector<engine::ControlPoint>>& hairlineControlsRef();
  const engine::RgbImage* photoInView() const;
  std::uint64_t m_guideGeneration = 0;
  Clock::time_point m_lastTouch{};
  int m_extensions = 0;
};

}  // namespace smp::core
