// The kiosk's main loop: the runtime from core, the window and its screens, paced to 60 Hz.
#include "app/ui/kiosk_app.h"

#include <string>

#include "app/core/kiosk_runtime.h"
#include "app/core/kiosk_setup.h"
#include "app/ui/kiosk_window.h"
#include "app/ui/needs_staff_screen.h"
#include "app/ui/setup/setup_screen.h"
#include "sync/service/service_manager.h"

namespace smp::ui {

namespace {

// Shows the "needs staff" screen until the window closes (or maxFrames); exit code 4.
int runNeedsStaff(const KioskAppOptions& options, const std::string& reason) {
  service::logLine(service::LogLevel::kError, "smp-kiosk", "needs staff: " + reason);
  SdlHost host(options.window, options.assetsDir);
  service::ServiceManager systemd;
  bool announced = false;
  long frames = 0;
  while (host.pumpEvents()) {
    host.beginFrame();
    drawNeedsStaffScreen(host, reason);
    host.endFrame();
    // Ready and alive: the screen asking for staff is what this kiosk should show, and a
    // restart would only show it again.
    if (!announced) systemd.ready("needs staff: " + reason);
    announced = true;
    systemd.alive();
    if (options.maxFrames && ++frames >= *options.maxFrames) break;
    SDL_Delay(100);  // a static screen: 10 frames a second is plenty
  }
  return 4;
}

// The setup screens until the technician starts the kiosk (true) or the window closes (false).
bool runSetup(const KioskAppOptions& options, service::ServiceManager& systemd) {
  auto tr = core::Translations::load(options.assetsDir);
  core::UiQueue queue;
  core::KioskSetup setup(options.dataDir, queue);
  platform::CameraSlot camera =
      platform::CameraSlot::open(options.camera.empty() ? "v4l2" : options.camera);
  SdlHost host(options.window, options.assetsDir);
  SetupScreen screen(host, setup, tr, camera);
  bool announced = false;
  long frames = 0;
  while (host.pumpEvents()) {
    queue.runPosted();
    host.beginFrame();
    screen.draw();
    host.endFrame();
    if (!announced) systemd.ready("setting up: waiting for head office's address and code");
    announced = true;
    systemd.alive();
    if (setup.step() == core::KioskSetup::Step::kDone) return true;
    if (options.maxFrames && ++frames >= *options.maxFrames) return false;
    SDL_Delay(16);
  }
  return false;
}

}  // namespace

int runKioskApp(const KioskAppOptions& options) {
  service::ServiceManager systemd;
  // The first start of a kiosk, not enrolled and without staff: set up on the screen. A store
  // that cannot be opened is the "needs staff" screen's business, as below.
  bool setUp = false;
  try {
    setUp = core::needsSetup(options.dataDir);
  } catch (const std::exception&) {
  }
  if (setUp) {
    if (!runSetup(options, systemd)) return 0;
    service::logLine(service::LogLevel::kNotice, "smp-kiosk", "set up: starting the kiosk");
  }
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
  if (!camera.available()) {
    service::logLine(service::LogLevel::kWarning, "smp-kiosk",
                     "camera unavailable: " + camera.error());
  }

  SdlHost host(options.window, options.assetsDir);
  if (!host.setUiScale(kiosk.uiScalePercent())) {
    service::logLine(service::LogLevel::kWarning, "smp-kiosk",
                     "the UI scale chosen in settings does not fit this " +
                         std::to_string(host.screenWidth()) + "x" +
                         std::to_string(host.screenHeight()) +
                         " screen; fitting the layout to the screen instead");
  }
  KioskWindow window(host, kiosk, camera);
  // Under systemd: ready once the first frame is on the screen, and alive every frame after, so
  // a frame loop that hangs (a deadlock, a driver stuck) is restarted by the unit's watchdog.
  bool announced = false;
  long frames = 0;
  while (host.pumpEvents()) {
    const auto frameStart = KioskWindow::Clock::now();
    host.beginFrame();
    window.draw(frameStart, core::StaffMode::Clock::now());
    host.endFrame();
    if (!announced) systemd.ready("showing the attract screen");
    announced = true;
    systemd.alive();
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
