// The widget gallery (smp-kiosk --gallery) draws every widget in every state, each touchable
// (at least 60 px tall, no overlaps), and its widgets work as on the real screens. Its
// screenshot is the UI's living documentation (docs/screens/27-widget-gallery.png).
#include "app/ui/widget_gallery.h"

#include <gtest/gtest.h>

#include "app/imageio/image_io.h"
#include "tests/ui/walk_support.h"

namespace smp::ui {
namespace {

class WidgetGalleryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    host = std::make_unique<SdlHost>(WindowOptions{1920, 1080, false, "test"}, assets);
    gallery = std::make_unique<WidgetGallery>(*host, tr);
  }
  void frame(engine::RgbImage* capture = nullptr) {
    host->pumpEvents();
    host->beginFrame();
    gallery->draw();
    host->endFrame(capture);
  }
  bool has(const std::string& name) { return gallery->targets().find(name).has_value(); }
  void tap(const std::string& name) {
    frame();
    const auto r = gallery->targets().find(name);
    ASSERT_TRUE(r.has_value()) << "no target '" << name << "'";
    test::tapAt(*host, r->centerX(), r->centerY(), [this] { frame(); });
  }

  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
  core::Translations tr = core::Translations::load(assets);
  std::unique_ptr<SdlHost> host;
  std::unique_ptr<WidgetGallery> gallery;
};

TEST_F(WidgetGalleryTest, EveryWidgetIsShownTouchableAndWorks) {
  frame();
  for (const char* name :
       {"gallery:plain", "gallery:primary", "gallery:selected", "gallery:danger",
        "gallery:disabled", "gallery:field-empty", "gallery:field-name", "gallery:field-pin",
        "gallery-pin:ok", "gallery-pin:delete", "gallery-row:0", "key:@"}) {
    EXPECT_TRUE(has(name)) << name;
  }
  engine::RgbImage shot;
  frame(&shot);
  const auto shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  std::filesystem::create_directories(shots);
  imageio::saveRgb(shots / "27-widget-gallery.png", shot);
  test::expectTouchableTargets(gallery->targets(), "widget gallery");

  // The keyboard follows the layout chosen: the phone layout is a keypad without "@".
  tap("gallery-layout:email");
  ASSERT_TRUE(has("key:@"));
  tap("gallery-layout:phone");
  EXPECT_FALSE(has("key:@"));
  tap("gallery-layout:email");
  EXPECT_TRUE(has("key:@"));
  // The danger button shows the error banner over everything; OK dismisses it.
  EXPECT_FALSE(has("error-banner:ok"));
  tap("gallery:danger");
  EXPECT_TRUE(has("error-banner:ok"));
  engine::RgbImage banner;
  frame(&banner);
  test::expectTouchableTargets(gallery->targets(), "widget gallery with the banner");
  tap("error-banner:ok");
  EXPECT_FALSE(has("error-banner:ok"));
}

}  // namespace
}  // namespace smp::ui
