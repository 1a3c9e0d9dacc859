// The kiosk's main loop: the runtime from core, the window and its screens, paced to 60 Hz.
#include "app/ui/kiosk_app.h"

#include <iostream>

#include "app/core/kiosk_runtime.h"
#include "app/ui/kiosk_window.h"
#include "app/ui/needs_staff_screen.h"

namespace smp::ui {

namespace {

// Shows the "needs staff" screen until the window closes (or maxFrames); exit code 4.
int runNeedsStaff(const KioskAppOptions& options, const std::string& reason) {
  std::cerr << "smp-kiosk: needs staff: " << reason << "\n";
  SdlHost host(options.window, options.assetsDir);
  long frames = 0;
  while (host.pumpEvents()) {
    host.beginFrame();
    drawNeedsStaffScreen(host, reason);
    host.endFrame();
    if (options.maxFrames && ++frames >= *options.maxFrames) break;
    SDL_Delay(100);  // a static screen: 10 frames a second is plenty
  }
  return 4;
}

}  // namespace

int runKioskApp(const KioskAppOptions& options) {
  std::unique_ptr<core::KioskRuntime> opened;
  try {
    opened = std::make_unique<core::KioskRuntime>(
        core::KioskRuntimeOptions{options.dataDir, options.assetsDir, options.serverOverride});
  } catch (const core::KioskUnavailable& e) {
    // Never recreate over existing data: stop taking consultations and call staff.
    return runNeedsStaff(options, e.what());
  }
  core::KioskRuntime& kiosk = *opened;

  // --camera wins for this run; otherwise the camera staff chose in settings.
  platform::CameraSlot camera =
      platform::CameraSlot::open(options.camera.empty() ? kiosk.cameraSpec() : options.camera);
  if (!camera.available()) std::cerr << "smp-kiosk: camera unavailable: " << camera.error() << "\n";

  SdlHost host(options.window, options.assetsDir);
  if (!host.setUiScale(kiosk.uiScalePercent())) {
    std::cerr << "smp-kiosk: the UI scale chosen in settings does not fit this "
              << host.screenWidth() << "x" << host.screenHeight()
              << " screen; fitting the layout to the screen instead\n";
  }
  KioskWindow window(host, kiosk, camera);
  long frames = 0;
  while (host.pumpEvents()) {
    const auto frameStart = KioskWindow::Clock::now();
    host.beginFrame();
    window.draw(frameStart, core::StaffMode::Clock::now());
    host.endFrame();
    if (options.maxFrames && ++frames >= *options.maxFrames) break;
    // Pace to ~60 Hz where the renderer has no vsync (software and dummy drivers).
    const auto spent = KioskWindow::Clock::now() - frameStart;
    if (spent < std::chrono::milliseconds(16)) {
      SDL_Delay(static_cast<Uint32>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::milliseconds(16) - spent)
                                        .count()));
    }
  }
  return 0;
}

}  // namespace smp::ui
