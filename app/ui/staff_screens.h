// Staff mode screens: PIN pad, records (search, filters), record detail (photos, answers,
// consent, onboarded/booked, erase), sync health and settings. Draws StaffMode's state.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/core/staff_mode.h"
#include "app/core/translations.h"
#include "app/platform/camera_slot.h"
#include "app/ui/camera_feed.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class StaffScreens {
 public:
  using Clock = core::StaffMode::Clock;
  // The camera slot is shared with the client screens; settings switch it.
  StaffScreens(SdlHost& host, core::StaffMode& staff, core::Translations& tr,
               platform::CameraSlot& camera);

  // Watches the top-left corner for the long press that opens staff mode (call every frame,
  // after host.beginFrame, while staff mode is closed).
  void watchCorner(Clock::time_point now);
  void draw(Clock::time_point now);
  const TapTargets& targets() const { return m_targets; }

 private:
  bool button(const std::string& name, const std::string& label, float w, float h,
              bool primary = false, bool selected = false);
  void drawTabs();
  void drawPin(Clock::time_point now);
  void drawRecords();
  void drawDetail();
  void drawEdit();
  void drawSyncHealth(Clock::time_point now);
  // Settings (staff_settings_screen.cpp).
  void drawSettings();
  void drawSettingsEditor();
  void drawUiScaleChoice();
  void drawIdleTimeouts();
  void drawCameraChoice(float width);
  void drawTeam();
  void drawReenrol();
  void drawLiveCamera(float maxW, float maxH);  // the camera's latest frame, or why there is none
  void loadRecordImages();

  SdlHost& m_host;
  core::StaffMode& m_staff;
  core::Translations& m_tr;
  TapTargets m_targets;
  OnScreenKeyboard m_keyboard;
  std::optional<Clock::time_point> m_cornerSince;
  std::string m_note;
  bool m_noteEditing = false;
  bool m_retaking = false;
  CameraFeed m_cameraFeed;
  bool m_reenrolling = false;
  // Settings: which text is being edited on the keyboard, the idle values being adjusted, the
  // cameras found when the screen opened.
  enum class SettingsEditor { kNone, kClinicName, kServer };
  SettingsEditor m_settingsEditor = SettingsEditor::kNone;
  std::string m_settingsText;
  bool m_settingsLoaded = false;
  int m_idleWarn = 60;
  int m_idleReset = 20;
  std::vector<platform::CameraChoice> m_cameraChoices;
  std::string m_cameraMessage;
  std::string m_token;      // the re-enrolment token being typed
  int m_teamField = 0;      // 0 name, 1 PIN, 2 PIN again
  int m_editField = 0;      // 0 name, 1 phone, 2 email
  std::string m_imagesFor;  // record whose images are loaded
  std::map<std::string, std::unique_ptr<ImageTexture>> m_images;  // by role
};

}  // namespace smp::ui
