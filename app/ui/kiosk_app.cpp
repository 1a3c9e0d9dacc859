// The kiosk's main loop.
#include "app/ui/kiosk_app.h"

#include <atomic>
#include <iostream>
#include <mutex>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/kiosk_settings.h"
#include "app/core/staff_mode.h"
#include "app/core/store_outbox.h"
#include "app/core/translations.h"
#include "app/ui/kiosk_screens.h"
#include "app/ui/needs_staff_screen.h"
#include "app/ui/staff/staff_screens.h"
#include "sync/client/sync_worker.h"

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
  core::ensureDataDir(options.dataDir);
  const auto dbPath = core::databasePath(options.dataDir);
  std::optional<store::KioskStore> opened;
  try {
    opened.emplace(dbPath);
  } catch (const store::StoreError& e) {
    // Never recreate over existing data: stop taking consultations and call staff.
    return runNeedsStaff(options, e.what());
  }
  store::KioskStore& store = *opened;
  core::Translations tr = core::Translations::load(options.assetsDir);
  core::ConsultationService service(store, options.assetsDir,
                                    store.setting(core::kSettingKioskId).value_or(""));

  const sync::ServerEndpoint endpoint = core::endpointFor(store, options.serverOverride);
  if (endpoint.token.empty()) {
    std::cerr << "smp-kiosk: not enrolled yet: consultations are kept locally until you run "
                 "'smp-kiosk --data-dir "
              << options.dataDir.string() << " enroll --server URL --token TOKEN'\n";
  }
  sync::SyncWorker worker(
      endpoint, [dbPath] { return std::make_unique<core::StoreOutbox>(dbPath); },
      [](const sync::SyncReport& r) {
        if (r.attempted > 0 || r.outcome != sync::PassOutcome::kAllAcknowledged) {
          std::cerr << "smp-kiosk: sync " << sync::outcomeName(r.outcome) << ": " << r.message
                    << "\n";
        }
      });

  // Head office's config (pulled by the sync worker) sets prices; idle timeouts come from the
  // clinic's own settings or else from head office.
  auto config = [&store] { return core::headOfficeConfig(store); };
  core::KioskFlow flow(
      [&](const core::ConsultationDraft& draft) {
        auto record = service.save(draft);
        worker.wake();  // saved locally first; head office gets it as soon as it is reachable
        return record;
      },
      core::idleTimeouts(store));

  // --camera wins for this run; otherwise the camera staff chose in settings.
  platform::CameraSlot camera =
      platform::CameraSlot::open(options.camera.empty() ? core::cameraSpec(store) : options.camera);
  if (!camera.available()) std::cerr << "smp-kiosk: camera unavailable: " << camera.error() << "\n";

  SdlHost host(options.window, options.assetsDir);
  if (!host.setUiScale(core::uiScalePercent(store))) {
    std::cerr << "smp-kiosk: the UI scale chosen in settings does not fit this "
              << host.screenWidth() << "x" << host.screenHeight()
              << " screen; fitting the layout to the screen instead\n";
  }
  KioskScreens screens(
      host, flow, tr, camera,
      [&service](const std::string& lang) { return service.consent(lang).text; }, config);
  screens.setClinicName(core::clinicName(store));
  core::StaffMode staff(
      store, [&worker] { worker.wake(); }, &service);
  flow.setDefaultLanguage(staff.defaultLanguage());
  // Settings changed in staff mode take effect at once.
  staff.onSettingChanged([&](const std::string& key) {
    if (key == core::kSettingDefaultLanguage) flow.setDefaultLanguage(staff.defaultLanguage());
    if (key == core::kSettingClinicName) screens.setClinicName(core::clinicName(store));
    if (key == core::kSettingIdleWarn) flow.setIdleTimeouts(core::idleTimeouts(store));
    if (key == core::kSettingUiScale) host.setUiScale(core::uiScalePercent(store));
    if (key == core::kSettingServerUrl || key == core::kSettingToken) {
      worker.setEndpoint(core::endpointFor(store, options.serverOverride));
    }
  });
  StaffScreens staffScreens(host, staff, tr, camera);
  long frames = 0;
  while (host.pumpEvents()) {
    const auto frameStart = KioskScreens::Clock::now();
    const auto wallNow = core::StaffMode::Clock::now();
    host.beginFrame();
    if (!staff.active()) staffScreens.watchCorner(wallNow);  // a 3 s press on the top-left corner
    if (staff.active()) {
      flow.touched(frameStart);  // the client's session waits while staff help
      staffScreens.draw(wallNow);
    } else {
      screens.draw(frameStart);
    }
    host.endFrame();
    if (options.maxFrames && ++frames >= *options.maxFrames) break;
    // Pace to ~60 Hz where the renderer has no vsync (software and dummy drivers).
    const auto spent = KioskScreens::Clock::now() - frameStart;
    if (spent < std::chrono::milliseconds(16)) {
      SDL_Delay(static_cast<Uint32>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::milliseconds(16) - spent)
                                        .count()));
    }
  }
  return 0;
}

}  // namespace smp::ui
