// What every staff screen draws with: the window, staff mode's state, the language, the tap
// targets of this frame, the one on-screen keyboard and the camera feed (retake, settings).
// Plus the pieces several staff screens share: the tab bar, notices and the live camera.
#pragma once

#include <chrono>
#include <string>

#include "app/core/notice.h"
#include "app/core/staff_mode.h"
#include "app/core/translations.h"
#include "app/ui/camera_feed.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"
#include "app/ui/widgets.h"

namespace smp::ui {

struct StaffContext {
  using Clock = core::StaffMode::Clock;
  SdlHost& host;
  core::StaffMode& staff;
  core::Translations& tr;
  TapTargets& targets;
  OnScreenKeyboard& keyboard;
  CameraFeed& camera;

  bool button(const std::string& name, const std::string& label, float w, float h,
              bool primary = false, bool selected = false) {
    return ui::button(targets, name, label, ImVec2(w, h),
                      primary ? ButtonKind::kPrimary : ButtonKind::kPlain, selected);
  }
  float width() const { return static_cast<float>(host.width()); }
  float height() const { return static_cast<float>(host.height()); }
};

// The tab bar across the top of every signed-in screen: records, sync health, settings, team
// (admins), who is signed in, and sign out.
void drawStaffTabs(StaffContext& c);

// A notice in its tone's colour (nothing when empty); the detail in small print below it.
void drawNotice(StaffContext& c, const core::Notice& notice, bool withDetail = true);

// The camera's newest frame fitted into maxW x maxH, or why there is none.
void drawLiveCamera(StaffContext& c, float maxW, float maxH);

}  // namespace smp::ui
