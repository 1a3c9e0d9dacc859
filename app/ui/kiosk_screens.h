// Draws the client's screens from the KioskFlow state and turns taps into flow intents.
// Holds no SQL, no sockets: saving goes through the flow's saver, rendering through the
// background PreviewRenderer, frames come from the camera's own thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/core/kiosk_flow.h"
#include "app/core/preview_renderer.h"
#include "app/platform/camera.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class KioskScreens {
 public:
  using Clock = std::chrono::steady_clock;
  // camera may be null: the photo screen then says the camera is unavailable and why.
  KioskScreens(SdlHost& host, core::KioskFlow& flow, platform::Camera* camera,
               std::string cameraError);

  // Draws one frame's UI (between host.beginFrame and host.endFrame).
  void draw(Clock::time_point now);
  const TapTargets& targets() const { return m_targets; }
  // True once the newest requested preview has been shown (tests wait on it).
  bool previewUpToDate() const { return m_previewShownGeneration == m_previewRequestedGeneration; }
  core::PreviewRenderer& renderer() { return m_renderer; }
  std::uint64_t previewRequestedGeneration() const { return m_previewRequestedGeneration; }

 private:
  void drawWelcome();
  void drawIntake();
  void drawPhoto();
  void drawPreview();
  void drawSaved(Clock::time_point now);
  void drawHeader(const char* title);
  void drawMessage();
  bool button(const char* name, const char* label, float width, float height, bool primary = false);
  void imageFit(ImageTexture& texture, float maxW, float maxH, float* outX = nullptr,
                float* outY = nullptr, float* outScale = nullptr);
  void requestPreviewIfChanged();

  SdlHost& m_host;
  core::KioskFlow& m_flow;
  platform::Camera* m_camera;
  std::string m_cameraError;
  TapTargets m_targets;
  OnScreenKeyboard m_keyboard;
  core::PreviewRenderer m_renderer;
  ImageTexture m_cameraTexture;
  ImageTexture m_previewTexture;
  ImageTexture m_welcomeTexture;
  engine::RgbImage m_lastFrame;
  std::uint64_t m_frameSequence = 0;
  std::shared_ptr<const engine::RgbImage> m_previewPhoto;
  std::shared_ptr<const engine::GrayImage> m_previewMask;
  std::uint64_t m_previewPhotoGeneration = 0;
  std::optional<engine::PreviewParams> m_previewRequestedParams;
  std::uint64_t m_previewRequestedGeneration = 0;
  std::uint64_t m_previewShownGeneration = 0;
  core::Screen m_lastScreen = core::Screen::kWelcome;
  Clock::time_point m_screenEnteredAt{};
};

}  // namespace smp::ui
