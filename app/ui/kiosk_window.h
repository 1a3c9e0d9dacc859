// One frame of the kiosk: the results other threads posted, then the staff screens or the
// client's, then the error banner. The one place where an error that escaped an action (a full
// disk, a damaged file) becomes a banner instead of ending the program mid-consultation.
#pragma once

#include "app/core/kiosk_runtime.h"
#include "app/platform/camera_slot.h"
#include "app/ui/error_banner.h"
#include "app/ui/kiosk_screens.h"
#include "app/ui/sdl_host.h"
#include "app/ui/staff/staff_screens.h"

namespace smp::ui {

class KioskWindow {
 public:
  using Clock = KioskScreens::Clock;
  KioskWindow(SdlHost& host, core::KioskRuntime& kiosk, platform::CameraSlot& camera);

  // Between host.beginFrame() and host.endFrame(). `wall` is the wall clock (staff lockouts
  // and idle logout survive restarts); `now` the steady clock of the client's flow.
  void draw(Clock::time_point now, core::StaffMode::Clock::time_point wall);

  const ErrorBanner& banner() const { return m_banner; }
  // Every tap target on screen this frame: the banner's, and the screen's below the banner.
  TapTargets targets() const;

 private:
  SdlHost& m_host;
  core::KioskRuntime& m_kiosk;
  KioskScreens m_screens;
  StaffScreens m_staffScreens;
  ErrorBanner m_banner;
};

}  // namespace smp::ui
