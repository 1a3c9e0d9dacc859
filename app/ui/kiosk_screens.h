// Draws the client's screens from the KioskFlow state and turns taps into flow intents.
// Holds no SQL and no sockets: saving goes through the flow's saver, rendering through the
// background PreviewRenderer, frames come from the camera's own thread.
// One file per screen in app/ui/client/ (attract, concern, stage, colours, look, health, contact,
// consent, photos, preview, plan, saved); kiosk_screens.cpp holds the chrome and the dispatcher.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/core/consent_text.h"
#include "app/core/kiosk_flow.h"
#include "app/core/photo_check.h"
#include "app/core/preview_renderer.h"
#include "app/core/translations.h"
#include "app/core/treatment_plan.h"
#include "app/platform/camera_slot.h"
#include "app/ui/camera_feed.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/signature_pad.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class KioskScreens {
 public:
  using Clock = core::Clock;
  // The plan for a draft, with head office's prices when it has sent them.
  using PlanSource = std::function<core::TreatmentPlan(const core::ConsultationDraft&)>;
  using ConsentSource = std::function<core::ConsentText(const std::string& language)>;
  // The slot may be empty: the photo screen then says the camera is unavailable and why.
  // Finished previews arrive through `ui` (the frame loop's queue); without one the renderer
  // delivers them itself when the preview screen asks (tests, the bench).
  KioskScreens(SdlHost& host, core::KioskFlow& flow, core::Translations& tr,
               platform::CameraSlot& camera, ConsentSource consentText, PlanSource plan = {},
               core::UiQueue* ui = nullptr);

  // Draws one frame's UI (between host.beginFrame and host.endFrame).
  void draw(Clock::time_point now);
  const TapTargets& targets() const { return m_targets; }
  // True once the newest requested preview has been shown (tests wait on it).
  bool previewUpToDate() const { return m_previewShownGeneration == m_previewRequestedGeneration; }
  core::PreviewRenderer& renderer() { return m_renderer; }
  // The clinic's name on the welcome screen (empty: none shown).
  void setClinicName(std::string name) { m_clinicName = std::move(name); }
  std::uint64_t previewRequestedGeneration() const { return m_previewRequestedGeneration; }
  // The key of the line drawn along the preview photo's lower edge in the newest frame (how to
  // use the handles, or a calm word about the photo or the preview).
  const std::string& previewHintKey() const { return m_previewHintKey; }

 private:
  // Chrome shared by every step.
  void drawHeader(const std::string& titleKey);
  void drawFooter(bool showNext);
  void drawMessage();
  void drawIdleOverlay(int secondsLeft, Clock::time_point now);
  bool button(const std::string& name, const std::string& label, float w, float h,
              bool primary = false, bool selected = false);
  // A choice tile: a picture drawn in its upper part, the label along the bottom.
  bool tile(const std::string& name, const std::string& label, float w, float h, bool selected);
  float contentWidth() const;
  // Screens.
  void drawAttract(Clock::time_point now);
  void drawConcern();
  void drawStage();
  void drawColours();
  void drawLook();
  void drawHealth();
  void drawContact();
  void drawConsent();
  void drawPhotos(Clock::time_point now);
  void drawPreview();
  void drawPlan();
  void drawSaved(Clock::time_point now);
  // Helpers.
  void imageFit(const ImageTexture& texture, float maxW, float maxH, float* outX = nullptr,
                float* outY = nullptr, float* outScale = nullptr, float splitFraction = -1.0f,
                const ImageTexture* before = nullptr);
  void requestPreviewIfChanged();
  // The scar / patch marking tools over the preview photo; true while marking is on (a finger
  // then paints marks instead of moving the handles).
  // The photo the preview shows (front or top).
  const engine::RgbImage& previewPhotoInView() const;
  // Front | Top, when both photos were taken.
  void drawViewSwitch(float x, float y, float scale);
  bool drawMarking(float x, float y, float scale);
  void wipeImages();

  SdlHost& m_host;
  core::KioskFlow& m_flow;
  core::Translations& m_tr;
  ConsentSource m_consentText;
  PlanSource m_plan;
  TapTargets m_targets;
  OnScreenKeyboard m_keyboard;
  SignaturePad m_signaturePad;
  core::PreviewRenderer m_renderer;
  bool m_largeText = false;
  std::string m_clinicName;
  // Attract loop: before/after pairs of generated mannequins.
  std::vector<std::unique_ptr<ImageTexture>> m_attract;
  std::map<std::string, std::unique_ptr<ImageTexture>> m_lossIcons;
  // Contact: which field the keyboard types into.
  enum class Field { kName, kPhone, kEmail } m_field = Field::kName;
  // Photos.
  CameraFeed m_cameraFeed;
  ImageTexture m_frontThumb;
  ImageTexture m_topThumb;
  std::optional<Clock::time_point> m_countdownEnd;
  core::PhotoKind m_capturing = core::PhotoKind::kFront;
  std::string m_photoHint;
  // Preview.
  ImageTexture m_previewTexture;
  ImageTexture m_beforeTexture;
  std::shared_ptr<const engine::RgbImage> m_previewPhoto;  // the front photo
  std::uint64_t m_previewPhotoGeneration = 0;
  std::shared_ptr<const engine::RgbImage> m_previewTopPhoto;
  std::uint64_t m_previewTopPhotoGeneration = 0;
  core::PhotoKind m_previewView = core::PhotoKind::kFront;  // the view the textures show
  std::uint64_t m_previewViewSince = 0;  // first render generation requested for that view
  std::optional<engine::PreviewParams> m_previewRequestedParams;
  std::uint64_t m_previewRequestedGeneration = 0;
  std::uint64_t m_previewShownGeneration = 0;
  std::vector<engine::ControlPoint> m_shownControls;  // hairline of the preview on screen
  int m_dragging = -1;
  int m_outlineDrag = 0;  // 1: crown handle, 2: side handle
  std::uint64_t m_previewGuideGeneration = 0;
  float m_split = 1.0f;  // before/after divider: 1 = all "after"
  // Marking scars and patches on the preview photo.
  bool m_marking = false;
  bool m_painting = false;
  bool m_marksFull = false;
  engine::MarkStroke m_markStroke;  // the stroke under the finger, committed on release
  engine::MarkKind m_markKind = engine::MarkKind::kScar;  // what the finger paints
  double m_markPxPerMm = 0;         // the photo's scale, from the newest render
  bool m_hairHidesPigment = false;  // the newest render: keeping the hair, pigment hardly shows
  std::string m_previewHintKey;
  std::uint64_t m_markInvitePhotoGeneration = 0;
  // Saved / screen timing.
  core::Screen m_lastScreen = core::Screen::kAttract;
  Clock::time_point m_screenEnteredAt{};
};

}  // namespace smp::ui
