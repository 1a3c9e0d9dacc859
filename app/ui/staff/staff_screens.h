// Staff mode's screens: the corner that opens it, then one screen at a time (PIN, records,
// record detail, edit, sync health, settings, team), each in its own file in this folder,
// drawing StaffMode's state and views and turning taps into StaffMode's actions.
#pragma once

#include <chrono>
#include <optional>

#include "app/core/staff_mode.h"
#include "app/core/translations.h"
#include "app/platform/camera_slot.h"
#include "app/ui/camera_feed.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/staff/edit_screen.h"
#include "app/ui/staff/record_detail_screen.h"
#include "app/ui/staff/settings_screen.h"
#include "app/ui/staff/staff_context.h"
#include "app/ui/staff/sync_health_screen.h"
#include "app/ui/staff/team_screen.h"
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
  // The record detail screen's pictures as drawn in the last frame (see RecordDetailScreen);
  // empty on every other screen.
  std::vector<Rect> detailPictures() const;

 private:
  // Called when StaffMode moved to another screen: each screen starts fresh.
  void entered(core::StaffScreen screen);

  core::StaffMode& m_staff;
  TapTargets m_targets;
  OnScreenKeyboard m_keyboard;
  CameraFeed m_cameraFeed;
  StaffContext m_context;
  std::optional<Clock::time_point> m_cornerSince;
  core::StaffScreen m_shown = core::StaffScreen::kClosed;
  RecordDetailScreen m_detail;
  EditScreen m_edit;
  SyncHealthScreen m_syncHealth;
  SettingsScreen m_settings;
  TeamScreen m_team;
};

}  // namespace smp::ui
