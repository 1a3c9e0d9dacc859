// Walks the whole skeleton with injected finger taps under SDL's dummy video driver, saves a PNG
// of every screen, and checks the record that reached the store.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "app/ui/kiosk_screens.h"
#include "app/ui/needs_staff_screen.h"
#include "tests/support/temp_dir.h"

namespace smp::ui {
namespace {

class SkeletonWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    core::ensureDataDir(data.path());
    store = std::make_unique<store::KioskStore>(core::databasePath(data.path()));
    service = std::make_unique<core::ConsultationService>(
        *store, core::loadConsentText(assets, "en"), "kiosk-test");
    imageio::saveRgb(data / "face.png", core::samplePortrait(1280, 960, 4, 2));
    camera = std::make_unique<platform::Camera>(
        platform::parseCameraSpec("file:" + (data / "face.png").string()));
    ASSERT_TRUE(camera->waitForFirstFrame(10000)) << camera->lastError();
    host = std::make_unique<SdlHost>(WindowOptions{1920, 1080, false, "test"}, assets);
    screens = std::make_unique<KioskScreens>(*host, flow, camera.get(), "");
    std::filesystem::create_directories(shots);
  }

  void frame(engine::RgbImage* capture = nullptr) {
    host->pumpEvents();
    host->beginFrame();
    screens->draw(KioskScreens::Clock::now());
    host->endFrame(capture);
  }

  void pushFinger(Uint32 type, float x, float y) {
    SDL_Event e{};
    e.type = type;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 1;
    e.tfinger.x = x / static_cast<float>(host->width());
    e.tfinger.y = y / static_cast<float>(host->height());
    ASSERT_EQ(SDL_PushEvent(&e), 1);
  }

  // Taps the centre of a named target as the last frame drew it.
  void tap(const std::string& name) {
    frame();
    const auto r = screens->targets().find(name);
    ASSERT_TRUE(r.has_value()) << "no target '" << name << "' on screen "
                               << core::screenName(flow.screen());
    pushFinger(SDL_FINGERDOWN, r->centerX(), r->centerY());
    frame();
    pushFinger(SDL_FINGERUP, r->centerX(), r->centerY());
    frame();
    frame();
  }

  void type(const std::string& keys) {
    for (char c : keys) tap(std::string("key:") + c);
  }

  void screenshot(const std::string& name) {
    frame();
    engine::RgbImage img;
    frame(&img);
    imageio::saveRgb(shots / (name + ".png"), img);
    // Every touch target on a 1080p kiosk is at least 60 px tall.
    for (const auto& [target, rect] : screens->targets().all()) {
      EXPECT_GE(rect.h, 60.0f) << target << " on " << name;
    }
  }

  test::TempDir data;
  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
  std::filesystem::path shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  std::unique_ptr<store::KioskStore> store;
  std::unique_ptr<core::ConsultationService> service;
  core::KioskFlow flow{[this](const core::ConsultationDraft& d) { return service->save(d); }};
  std::unique_ptr<platform::Camera> camera;
  std::unique_ptr<SdlHost> host;
  std::unique_ptr<KioskScreens> screens;
};

TEST_F(SkeletonWalk, FromWelcomeToSavedRecord) {
  screenshot("01-welcome");
  tap("start");
  ASSERT_EQ(flow.screen(), core::Screen::kIntake);

  tap("next");  // nothing entered: stays, with a calm message
  EXPECT_EQ(flow.screen(), core::Screen::kIntake);
  EXPECT_EQ(flow.message(), "Please enter your name");
  type("sam");
  tap("key:space");
  type("lee");
  tap("key:backspace");
  type("e");
  EXPECT_EQ(flow.draft().clientName, "Sam Lee");
  tap("concern:scar");
  tap("consent");
  EXPECT_TRUE(flow.draft().consentGiven);
  screenshot("02-intake");
  tap("next");
  ASSERT_EQ(flow.screen(), core::Screen::kPhoto);

  screenshot("03-photo");
  tap("capture");
  ASSERT_EQ(flow.screen(), core::Screen::kPreview);
  tap("hairline:mature");
  EXPECT_EQ(flow.draft().preview.hairline, engine::HairlineStyle::kMature);
  for (int i = 0; i < 50 && !screens->previewUpToDate(); ++i) {
    screens->renderer().waitFor(screens->previewRequestedGeneration());
    frame();
  }
  ASSERT_TRUE(screens->previewUpToDate());
  screenshot("04-preview");

  tap("save");
  ASSERT_EQ(flow.screen(), core::Screen::kSaved) << flow.message();
  screenshot("05-saved");
  tap("done");
  EXPECT_EQ(flow.screen(), core::Screen::kWelcome);

  const auto ids = store->consultationIds();
  ASSERT_EQ(ids.size(), 1u);
  const auto record = store->loadRecord(ids[0]);
  EXPECT_EQ(record->clientName, "Sam Lee");
  EXPECT_EQ(record->concern, "scar");
  EXPECT_EQ(record->previewParams["hairline"], "mature");
  const auto photo = imageio::decodeRgb(*store->loadBlob(record->photos[0].sha256), "photo");
  EXPECT_EQ(photo.width, 1280);
  EXPECT_EQ(photo.height, 960);
  EXPECT_EQ(store->status().pending, 1);
  EXPECT_TRUE(flow.draft().clientName.empty());  // handed back: nothing personal left in memory
}

}  // namespace
}  // namespace smp::ui

namespace smp::ui {
namespace {

TEST(NeedsStaff, ADamagedDatabaseShowsACalmScreenAndKeepsTheFile) {
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  test::TempDir data;
  const std::string garbage(9000, 'G');
  { std::ofstream(core::databasePath(data.path()), std::ios::binary) << garbage; }
  std::string reason;
  try {
    store::KioskStore store(core::databasePath(data.path()));
  } catch (const store::StoreError& e) {
    reason = e.what();
  }
  ASSERT_FALSE(reason.empty());
  SdlHost host(WindowOptions{1920, 1080, false, "test"},
               std::filesystem::path(SMP_SOURCE_DIR) / "assets");
  engine::RgbImage img;
  for (int i = 0; i < 2; ++i) {
    host.pumpEvents();
    host.beginFrame();
    drawNeedsStaffScreen(host, reason);
    host.endFrame(i == 1 ? &img : nullptr);
  }
  const auto shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  std::filesystem::create_directories(shots);
  imageio::saveRgb(shots / "06-needs-staff.png", img);
  // Something was drawn (text pixels darker than the background).
  int dark = 0;
  for (std::size_t i = 0; i < img.pixels.size(); i += 3) dark += img.pixels[i] < 100;
  EXPECT_GT(dark, 5000);
  std::ifstream in(core::databasePath(data.path()), std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, garbage) << "the damaged file is never overwritten";
}

}  // namespace
}  // namespace smp::ui
