// The UI scale: screens lay out on 1920x1080 logical pixels whatever the panel, fonts are
// rasterised for the physical size, and fingers land where the buttons are drawn.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cstdlib>

#include "app/ui/sdl_host.h"
#include "tests/ui/walk_support.h"

namespace smp::ui {
namespace {

class UiScale : public ::testing::Test {
 protected:
  void SetUp() override { setenv("SDL_VIDEODRIVER", "dummy", 1); }
  // One frame with a button at logical (x, y); true if it was pressed.
  static bool frameWithButton(SdlHost& host, float x, float y,
                              engine::RgbImage* capture = nullptr) {
    host.pumpEvents();
    host.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(
        ImVec2(static_cast<float>(host.width()), static_cast<float>(host.height())));
    ImGui::Begin("scale", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::SetCursorPos(ImVec2(x, y));
    const bool pressed = ImGui::Button("far corner", ImVec2(200, 80));
    ImGui::End();
    host.endFrame(capture);
    return pressed;
  }
  // Presses and releases a finger at the centre of the button; true if it was pressed.
  static bool tapButton(SdlHost& host, float x, float y) {
    frameWithButton(host, x, y);
    bool pressed = false;
    test::tapAt(host, x + 100, y + 40, [&] { pressed = frameWithButton(host, x, y) || pressed; });
    return pressed;
  }
  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
};

TEST_F(UiScale, ASmallPanelShowsTheWholeLayoutAndTapsLandOnTheButtons) {
  SdlHost host(WindowOptions{1280, 720, false, "small panel"}, assets);
  EXPECT_EQ(host.width(), 1920) << "fit: the layout keeps its 1920x1080 logical pixels";
  EXPECT_EQ(host.height(), 1080);
  EXPECT_NEAR(host.uiScale(), 2.0 / 3.0, 1e-3);
  EXPECT_FALSE(host.scaleFits(100)) << "100 % would cut a third of every screen off";
  EXPECT_FALSE(host.setUiScale(100));
  engine::RgbImage shot;
  frameWithButton(host, 1700, 980, &shot);
  EXPECT_EQ(shot.width, 1280);
  EXPECT_EQ(shot.height, 720);
  EXPECT_NEAR(host.fonts().body->FontSize, 34.0 * 2 / 3, 0.01) << "glyphs drawn at panel size";
  EXPECT_TRUE(tapButton(host, 1700, 980)) << "the bottom-right button is on the panel and tappable";
}

TEST_F(UiScale, ALargerScaleOnABigPanelAndBackToFit) {
  SdlHost host(WindowOptions{2560, 1440, false, "big panel"}, assets);
  EXPECT_NEAR(host.uiScale(), 4.0 / 3.0, 1e-3);
  EXPECT_TRUE(host.scaleFits(125));
  EXPECT_FALSE(host.scaleFits(150)) << "1707x960 logical is smaller than the layout";
  ASSERT_TRUE(host.setUiScale(100));
  frameWithButton(host, 0, 0);  // applied at the next frame
  EXPECT_EQ(host.width(), 2560);
  EXPECT_EQ(host.height(), 1440);
  EXPECT_TRUE(tapButton(host, 2300, 1300));
  ASSERT_TRUE(host.setUiScale(0));
  frameWithButton(host, 0, 0);
  EXPECT_EQ(host.width(), 1920);
  EXPECT_TRUE(tapButton(host, 1700, 980));
}

}  // namespace
}  // namespace smp::ui
