// The setup screens of a kiosk's first start, headless (SDL's dummy driver) against a real
// head-office server on 127.0.0.1: a code typed on the on-screen keyboard, a wrong one refused
// with words, the QR code read through the real camera pipeline (a still file as its source),
// the first admin, the camera check and "start". Screenshots go to build/<preset>/screens/.
#include <gtest/gtest.h>

#include <fstream>

#include "app/core/kiosk_settings.h"
#include "app/core/staff_accounts.h"
#include "app/imageio/image_io.h"
#include "app/ui/setup/setup_screen.h"
#include "sync/protocol/enrolment_code.h"
#include "tests/support/qr_image.h"
#include "tests/support/test_server.h"
#include "tests/ui/walk_support.h"

namespace smp::ui {
namespace {

using namespace std::chrono_literals;

class SetupWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    core::ensureDataDir(data.path());
    std::filesystem::create_directories(shots);
    tr = std::make_unique<core::Translations>(core::Translations::load(assets));
    host = std::make_unique<SdlHost>(WindowOptions{1920, 1080, false, "test"}, assets);
  }
  void start(const std::string& cameraSpec) {
    setup = std::make_unique<core::KioskSetup>(data.path(), queue);
    camera = std::make_unique<platform::CameraSlot>(platform::CameraSlot::open(cameraSpec));
    ASSERT_TRUE(camera->waitForFirstFrame(10'000)) << camera->error();
    screen = std::make_unique<SetupScreen>(*host, *setup, *tr, *camera);
  }
  void frame(engine::RgbImage* capture = nullptr) {
    host->pumpEvents();
    queue.runPosted();
    host->beginFrame();
    screen->draw();
    host->endFrame(capture);
  }
  void tap(const std::string& name) {
    frame();
    const auto r = screen->targets().find(name);
    ASSERT_TRUE(r.has_value()) << "no target '" << name << "'";
    test::tapAt(*host, r->centerX(), r->centerY(), [this] { frame(); });
  }
  void type(const std::string& text) {
    for (char c : text) {
      if (c == '-') continue;  // the code is read without its dashes
      tap(std::string("key:") + static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  // One frame that does not run what background work posted: a check still shows "checking".
  void frameBeforeResults() {
    host->pumpEvents();
    host->beginFrame();
    screen->draw();
    host->endFrame(nullptr);
  }
  // Waits (bounded) for the check with head office, then draws its result.
  void settle() {
    ASSERT_TRUE(setup->waitForCheck(30s));
    frame();
    frame();
  }
  void screenshot(const std::string& name) {
    frame();
    engine::RgbImage img;
    frame(&img);
    imageio::saveRgb(shots / (name + ".png"), img);
    test::expectTouchableTargets(screen->targets(), name);
  }
  std::string newCode() {
    return server.storage().issueEnrolmentCode(kiosk.kioskId, 4'000'000'000)->code;
  }

  test::TempDir data;
  test::TestServer server;
  server::NewKiosk kiosk = server.storage().addKiosk("Leeds Headingley");
  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
  std::filesystem::path shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  core::UiQueue queue;
  std::unique_ptr<core::Translations> tr;
  std::unique_ptr<SdlHost> host;
  std::unique_ptr<core::KioskSetup> setup;
  std::unique_ptr<platform::CameraSlot> camera;
  std::unique_ptr<SetupScreen> screen;
};

TEST_F(SetupWalk, TypedCodeThenAdminThenCameraThenStart) {
  start("test");
  ASSERT_TRUE(core::needsSetup(data.path()));
  setup->serverUrl = server.url();  // the address is long; the keyboard types the code below
  tap("setup-field:1");
  type("K7QM2XRP9HDWTNB4");
  EXPECT_EQ(setup->code, "K7QM2XRP9HDWTNB4");
  tap("setup-connect");
  settle();
  ASSERT_TRUE(setup->problem());
  EXPECT_EQ(setup->problem()->problem(), core::SetupProblem::kCodeRefused);
  screenshot("28-setup-code-refused");
  // A slow head office: a frame shows "checking" before the refusal. The keyboard still comes
  // back on the code (CI once typed the next code into the address after a slow answer).
  setup->connect();
  frameBeforeResults();
  ASSERT_EQ(setup->step(), core::KioskSetup::Step::kChecking);
  settle();
  ASSERT_TRUE(setup->problem());
  EXPECT_EQ(setup->problem()->problem(), core::SetupProblem::kCodeRefused);

  setup->code.clear();
  const std::string code = newCode();
  type(code);
  EXPECT_EQ(protocol::normaliseEnrolmentCode(setup->code), protocol::normaliseEnrolmentCode(code))
      << setup->code;
  tap("setup-connect");
  settle();
  ASSERT_EQ(setup->step(), core::KioskSetup::Step::kAdmin)
      << (setup->problem() ? setup->problem()->what() : "");
  tap("setup-admin-field:0");
  type("DANA");
  tap("setup-admin-field:1");
  for (char c : std::string("4821")) tap(std::string("setup-pin:") + c);
  tap("setup-admin-field:2");
  for (char c : std::string("4812")) tap(std::string("setup-pin:") + c);
  tap("setup-admin-create");
  EXPECT_EQ(setup->step(), core::KioskSetup::Step::kAdmin) << "two different PINs";
  screenshot("29-setup-admin");
  EXPECT_TRUE(setup->pin.empty()) << "both PINs are typed again";
  tap("setup-admin-field:1");
  for (char c : std::string("4821")) tap(std::string("setup-pin:") + c);
  tap("setup-admin-field:2");
  for (char c : std::string("4821")) tap(std::string("setup-pin:") + c);
  tap("setup-admin-create");
  ASSERT_EQ(setup->step(), core::KioskSetup::Step::kCamera);
  screenshot("30-setup-camera");
  tap("setup-start");
  EXPECT_EQ(setup->step(), core::KioskSetup::Step::kDone);

  screen.reset();
  setup.reset();
  EXPECT_FALSE(core::needsSetup(data.path()));
  store::KioskStore store(core::databasePath(data.path()));
  const auto members = core::StaffAccounts(store).members();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "Dana");
  EXPECT_TRUE(members[0].admin);
  EXPECT_EQ(core::StaffAccounts(store)
                .checkPin(members[0].id, "4821", core::StaffAccounts::Clock::now())
                .result,
            core::PinCheck::kAccepted);
  EXPECT_EQ(store.setting(core::kSettingKioskId), kiosk.kioskId);
}

TEST_F(SetupWalk, AnUnreachableAddressPutsTheKeyboardBackOnTheAddress) {
  start("test");
  // Port 1 on loopback, where nothing listens: refused at once, usually before a frame could
  // show "checking".
  const std::string closed = "http://127.0.0.1:1";
  setup->serverUrl = closed;
  tap("setup-field:1");
  type(newCode());
  tap("setup-connect");
  settle();
  ASSERT_TRUE(setup->problem());
  EXPECT_EQ(setup->problem()->problem(), core::SetupProblem::kUnreachable);
  tap("key:x");
  EXPECT_EQ(setup->serverUrl, closed + "x") << "the keyboard types into the address to fix";
}

TEST_F(SetupWalk, AQrCodeHeldUpToTheCameraConnectsWithoutTyping) {
  const auto still = data / "held-up.png";
  imageio::saveRgb(still, test::qrCodeFrame(protocol::enrolmentLink(server.url(), newCode()), 1280,
                                            720, 7, 380, 60));
  start("file:" + still.string());
  screenshot("28-setup-connect");
  for (int i = 0; i < 50 && setup->step() == core::KioskSetup::Step::kConnect; ++i) {
    screen->waitForQrRead();
    frame();
  }
  ASSERT_NE(setup->step(), core::KioskSetup::Step::kConnect) << "the QR code was not read";
  EXPECT_EQ(setup->serverUrl, server.url());
  settle();
  ASSERT_EQ(setup->step(), core::KioskSetup::Step::kAdmin)
      << (setup->problem() ? setup->problem()->what() : "");
  EXPECT_EQ(setup->enrolled().clinic, "Leeds Headingley");
}

}  // namespace
}  // namespace smp::ui
