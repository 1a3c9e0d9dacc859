// The setup screens of a kiosk's first start (core::KioskSetup): head office's address and the
// enrolment code typed on the on-screen keyboard or read from a QR code held up to the camera,
// the first admin (name and PIN twice), the camera check, and "start the kiosk".
#pragma once

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "app/core/kiosk_setup.h"
#include "app/core/translations.h"
#include "app/platform/camera_slot.h"
#include "app/platform/qr_reader.h"
#include "app/ui/camera_feed.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class SetupScreen {
 public:
  SetupScreen(SdlHost& host, core::KioskSetup& setup, core::Translations& tr,
              platform::CameraSlot& camera);
  ~SetupScreen();

  // One frame, between host.beginFrame() and host.endFrame().
  void draw();
  const TapTargets& targets() const { return m_targets; }
  // Tests: waits (bounded) for a QR read in flight to finish, so the next frame sees it.
  void waitForQrRead();

 private:
  void drawConnect(float x, float width);
  void drawScanner(float x, float width);
  void drawChecking(float x);
  void drawAdmin(float x, float width);
  void drawCamera(float x, float width);
  // The keyboard (or keypad) `draw` makes, anchored to the bottom of the screen: text above it
  // can grow (a message, a longer address) without pushing keys off the screen.
  void drawKeyboardAtBottom(float x, const std::function<void()>& draw);
  void scanForQrCode();
  std::string problemText() const;
  bool button(const std::string& name, const std::string& label, float w, float h,
              bool primary = false, bool selected = false);

  SdlHost& m_host;
  core::KioskSetup& m_setup;
  core::Translations& m_tr;
  platform::CameraSlot& m_cameraSlot;
  CameraFeed m_camera;
  TapTargets m_targets;
  OnScreenKeyboard m_keyboard;
  int m_field = 0;  // which text field has the keyboard
  core::KioskSetup::Step m_shownStep = core::KioskSetup::Step::kConnect;
  std::uint64_t m_checksSeen = 0;
  float m_keyboardHeight = 480;  // measured each frame
  std::string m_adminProblem;
  std::vector<platform::CameraChoice> m_cameraChoices;
  std::string m_cameraMessage;
  // ZBar takes tens of milliseconds a frame: reads run off the UI thread, one at a time.
  platform::QrReader m_qrReader;
  std::future<std::optional<std::string>> m_qrRead;
  std::uint64_t m_qrFrameSequence = 0;
  bool m_foreignQrCode = false;  // the last code read was not an enrolment link
};

}  // namespace smp::ui
