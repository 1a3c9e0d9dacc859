// smp-kiosk: the touchscreen kiosk and its headless operator commands (enroll, demo, sync, status).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "app/core/kiosk_commands.h"
#include "app/core/kiosk_setup.h"
#include "app/core/staff_accounts.h"
#include "app/platform/camera.h"
#include "app/ui/kiosk_app.h"
#include "app/ui/widget_gallery.h"
#include "sync/service/service_manager.h"

#ifndef SMP_DEFAULT_ASSETS_DIR
#define SMP_DEFAULT_ASSETS_DIR "assets"
#endif

namespace {

std::filesystem::path defaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "smp-kiosk";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".local" / "share" / "smp-kiosk";
  }
  return "smp-kiosk-data";
}

}  // namespace

int main(int argc, char** argv) {
  namespace core = smp::core;
  CLI::App app{"smp-kiosk: scalp micropigmentation consultation kiosk"};
  std::string dataDir = defaultDataDir().string(), server, windowed, camera,
              assets = smp::service::installedDataDir("smp-kiosk", SMP_DEFAULT_ASSETS_DIR).string(),
              token, photos;
  bool fullscreen = false;
  int count = 0;
  long maxFrames = 0;
  app.add_option("--data-dir", dataDir, "where the kiosk keeps its database")
      ->capture_default_str();
  app.add_option("--server", server, "head-office server URL (overrides the enrolled one)");
  auto* fs = app.add_flag("--fullscreen", fullscreen, "full screen, no cursor: for a real kiosk");
  app.add_option("--windowed", windowed, "window size WxH (default 1920x1080)")->excludes(fs);
  app.add_option("--camera", camera,
                 "v4l2, v4l2:/dev/videoN, test or file:PATH for this run (default: the camera "
                 "chosen in staff settings, else v4l2)");
  app.add_option("--assets", assets, "assets directory (fonts, consent texts)")
      ->capture_default_str();
  app.add_option("--max-frames", maxFrames, "quit after this many frames (smoke tests)")->group("");
  bool gallery = false;
  app.add_flag("--gallery", gallery,
               "developers: every widget of the kiosk in every state, on one screen");

  auto* enrollCmd = app.add_subcommand("enroll", "connect this kiosk to a head-office server");
  enrollCmd->add_option("--server", server, "server URL, e.g. http://127.0.0.1:8080")->required();
  std::string tokenSource, codeSource;
  auto* tokenOpt = enrollCmd->add_option(
      "--token-file", tokenSource,
      "file whose first line is the token printed by 'smp-server kiosk add', or - to read it "
      "from stdin (never on the command line: ps and shell history would keep it)");
  auto* codeOpt = enrollCmd->add_option(
      "--code-file", codeSource,
      "file whose first line is a one-time enrolment code ('smp-server kiosk add' or the Kiosks "
      "page), or - for stdin");
  tokenOpt->excludes(codeOpt);
  smp::core::TlsOptions tls;
  enrollCmd->add_option("--ca-file", tls.caFile, "PEM file of the head office's own CA (https)");
  enrollCmd->add_option("--pinned-key", tls.pinnedPublicKey,
                        "pin the server's public key: sha256//BASE64 (https)");
  auto* demoCmd = app.add_subcommand("demo", "create complete demo consultations without the UI");
  demoCmd->add_option("--count", count, "how many (1-100000)")
      ->required()
      ->check(CLI::Range(1, 100000));
  demoCmd->add_option("--photos", photos, "folder of .jpg/.png photos to use")
      ->check(CLI::ExistingDirectory);
  auto* syncCmd = app.add_subcommand("sync", "push the outbox to head office");
  bool once = false;
  syncCmd->add_flag("--once", once, "one pass; exit 0 only when everything is acknowledged")
      ->required();
  auto* staffCmd = app.add_subcommand("staff", "manage the staff who may enter staff mode");
  staffCmd->require_subcommand(1);
  std::string staffName, staffPin, staffId;
  bool staffAdmin = false;
  auto* staffAddCmd =
      staffCmd->add_subcommand("add", "add a staff member (the first must be --admin)");
  staffAddCmd->add_option("--name", staffName, "name shown on the PIN screen")->required();
  staffAddCmd
      ->add_option("--pin", staffPin,
                   "4-8 digits, or - to read it from stdin (keeps it out of history)")
      ->required();
  staffAddCmd->add_flag("--admin", staffAdmin, "may add and remove staff");
  auto* staffListCmd = staffCmd->add_subcommand("list", "one JSON line per staff member");
  auto* staffRemoveCmd = staffCmd->add_subcommand("remove", "remove a staff member");
  staffRemoveCmd->add_option("--id", staffId, "id from 'staff list'")->required();
  auto* statusCmd =
      app.add_subcommand("status", "print records, pending, oldest pending age, last sync");
  CLI11_PARSE(app, argc, argv);
  if (enrollCmd->parsed() && tokenSource.empty() && codeSource.empty()) {
    std::cerr << "smp-kiosk: error: enroll needs --code-file (a one-time enrolment code) or "
                 "--token-file (a kiosk token)\n";
    return 106;
  }

  try {
    core::ensureDataDir(dataDir);
    if (enrollCmd->parsed()) {
      smp::store::KioskStore store(core::databasePath(dataDir));
      const auto info =
          codeSource.empty()
              ? core::enroll(store, server, core::readSecret(tokenSource), tls)
              : core::enrollWithCode(store, server, core::readSecret(codeSource), tls);
      std::cout << nlohmann::json{{"kiosk_id", info.kioskId},
                                  {"clinic", info.clinic},
                                  {"server", server}}
                       .dump()
                << std::endl;
      return 0;
    }
    if (demoCmd->parsed()) {
      smp::store::KioskStore store(core::databasePath(dataDir));
      const int made = core::createDemoConsultations(
          store, assets, count,
          photos.empty() ? std::nullopt : std::optional<std::filesystem::path>(photos));
      std::cout << nlohmann::json{{"created", made}}.dump() << std::endl;
      return 0;
    }
    if (syncCmd->parsed()) {
      smp::sync::ServerEndpoint endpoint;
      {
        smp::store::KioskStore store(core::databasePath(dataDir));
        if (!server.empty()) core::validateServerUrl(server);
        endpoint = core::endpointFor(store, server);
      }
      const auto report = core::syncOnce(dataDir, endpoint);
      std::cout << nlohmann::json{{"result", smp::sync::outcomeName(report.outcome)},
                                  {"attempted", report.attempted},
                                  {"acknowledged", report.acknowledged},
                                  {"failed", report.failed},
                                  {"bytes_sent", report.bytesSent},
                                  {"follow_ups", report.followUpsReceived},
                                  {"message", report.message}}
                       .dump()
                << std::endl;
      if (report.outcome != smp::sync::PassOutcome::kAllAcknowledged) {
        std::cerr << "smp-kiosk: sync incomplete: " << report.message << "\n";
        return 3;
      }
      return 0;
    }
    if (staffAddCmd->parsed() || staffListCmd->parsed() || staffRemoveCmd->parsed()) {
      smp::store::KioskStore store(core::databasePath(dataDir));
      core::StaffAccounts accounts(store);
      if (staffAddCmd->parsed()) {
        if (staffPin == "-") std::getline(std::cin, staffPin);
        const auto m = accounts.add(staffName, staffPin, staffAdmin, "operator");
        std::cout << nlohmann::json{{"id", m.id}, {"name", m.name}, {"admin", m.admin}}.dump()
                  << std::endl;
      } else if (staffListCmd->parsed()) {
        for (const auto& m : accounts.members()) {
          std::cout << nlohmann::json{{"id", m.id}, {"name", m.name}, {"admin", m.admin}}.dump()
                    << "\n";
        }
      } else {
        accounts.remove(staffId, "operator");
        std::cout << nlohmann::json{{"id", staffId}, {"removed", true}}.dump() << std::endl;
      }
      return 0;
    }
    if (statusCmd->parsed()) {
      smp::store::KioskStore store(core::databasePath(dataDir));
      std::cout << core::statusJson(store).dump() << std::endl;
      return 0;
    }
    smp::ui::KioskAppOptions options;
    options.dataDir = dataDir;
    options.assetsDir = assets;
    options.serverOverride = server;
    if (!server.empty()) core::validateServerUrl(server);
    if (!camera.empty()) smp::platform::parseCameraSpec(camera);  // a typo is an error, now
    options.camera = camera;
    options.window.fullscreen = fullscreen;
    if (!windowed.empty()) {
      const auto x = windowed.find('x');
      const std::string w = windowed.substr(0, x);
      const std::string h = x == std::string::npos ? "" : windowed.substr(x + 1);
      const auto isNumber = [](const std::string& t) {
        return !t.empty() && t.size() <= 5 &&
               t.find_first_not_of("0123456789") == std::string::npos;
      };
      if (!isNumber(w) || !isNumber(h)) {
        throw std::invalid_argument("--windowed '" + windowed +
                                    "' must be WIDTHxHEIGHT, e.g. 1920x1080");
      }
      options.window.width = std::stoi(w);
      options.window.height = std::stoi(h);
      if (options.window.width < 800 || options.window.height < 600 ||
          options.window.width > 7680 || options.window.height > 4320) {
        throw std::invalid_argument("--windowed " + windowed +
                                    " is out of range: 800x600 to 7680x4320");
      }
    }
    if (maxFrames > 0) options.maxFrames = maxFrames;
    if (gallery) return smp::ui::runWidgetGallery(options.window, options.assetsDir, maxFrames);
    return smp::ui::runKioskApp(options);
  } catch (const std::exception& e) {
    std::cerr << "smp-kiosk: error: " << e.what() << "\n";
    return 1;
  }
}
