// Switching the camera while the kiosk runs, on the real GStreamer pipeline, and listing V4L2
// devices from a sysfs-shaped folder.
#include "app/platform/camera_slot.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "tests/support/temp_dir.h"

namespace smp::platform {
namespace {

void writeFile(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text << "\n";
}

TEST(ListCameras, OneEntryPerCaptureDeviceThenTheTestPicture) {
  test::TempDir sys;
  writeFile(sys / "video0" / "name", "HD Webcam");
  writeFile(sys / "video0" / "index", "0");
  writeFile(sys / "video1" / "name", "HD Webcam");
  writeFile(sys / "video1" / "index", "1");  // the same camera's metadata node
  writeFile(sys / "video10" / "name", "Capture card");
  writeFile(sys / "vbi0" / "name", "not a camera");
  const auto cameras = listCameras(sys.path());
  ASSERT_EQ(cameras.size(), 3u);
  EXPECT_EQ(cameras[0].spec, "v4l2:/dev/video0");
  EXPECT_EQ(cameras[0].label, "HD Webcam (/dev/video0)");
  EXPECT_EQ(cameras[1].spec, "v4l2:/dev/video10");
  EXPECT_EQ(cameras[2].spec, "test");
  EXPECT_EQ(listCameras(sys / "missing").size(), 1u);  // no V4L2 at all: the test picture only
}

class CameraSlotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    imageio::saveRgb(dir / "still.png", core::samplePortrait(1280, 960, 2, 4));
    still = "file:" + (dir / "still.png").string();
  }
  // Waits up to 10 s for a frame newer than `after`; returns its sequence or 0.
  static std::uint64_t nextFrame(CameraSlot& slot, std::uint64_t after) {
    std::uint64_t seq = 0;
    if (!slot.waitForFrame(after, 10000) || !slot.latestFrame(after, &seq)) return 0;
    return seq;
  }
  test::TempDir dir;
  std::string still;
};

TEST_F(CameraSlotTest, AnEmptySlotSaysWhy) {
  CameraSlot slot("camera switched off by staff");
  EXPECT_FALSE(slot.available());
  EXPECT_EQ(slot.error(), "camera switched off by staff");
  EXPECT_FALSE(slot.latestFrame(0, nullptr).has_value());
  EXPECT_FALSE(slot.waitForFirstFrame(10));
}

TEST_F(CameraSlotTest, SwitchingKeepsSequencesRisingAndShowsTheNewSource) {
  CameraSlot slot = CameraSlot::open(still);
  ASSERT_TRUE(slot.available()) << slot.error();
  const std::uint64_t before = nextFrame(slot, 0);
  ASSERT_GT(before, 0u);
  ASSERT_TRUE(slot.switchTo("test")) << slot.error();
  EXPECT_EQ(slot.spec(), "test");
  std::uint64_t seq = 0;
  ASSERT_TRUE(slot.waitForFrame(before, 10000));
  const auto frame = slot.latestFrame(before, &seq);
  ASSERT_TRUE(frame.has_value()) << "a screen that saw frame " << before << " must see new ones";
  EXPECT_GT(seq, before);
  // videotestsrc's SMPTE bars: the top-left bar is light grey, unlike the portrait's backdrop.
  const auto portrait = core::samplePortrait(1280, 960, 2, 4);
  EXPECT_NE(frame->pixels[0], portrait.pixels[0]);
}

TEST_F(CameraSlotTest, AFailedSwitchKeepsTheWorkingCamera) {
  CameraSlot slot = CameraSlot::open(still);
  ASSERT_TRUE(slot.available()) << slot.error();
  const std::uint64_t before = nextFrame(slot, 0);
  EXPECT_FALSE(slot.switchTo("v4l2:/dev/video-smp-missing"));
  EXPECT_NE(slot.error().find("could not start"), std::string::npos) << slot.error();
  EXPECT_EQ(slot.spec(), still);
  EXPECT_TRUE(slot.available());
  EXPECT_GT(nextFrame(slot, before), before) << "the still camera was started again";

  EXPECT_FALSE(slot.switchTo("webcam"));  // malformed: refused before anything stops
  EXPECT_NE(slot.error().find("is not valid"), std::string::npos);
  EXPECT_EQ(slot.spec(), still);
}

// The staff settings screen switches on a worker thread: while it runs, the slot (touched only by
// the UI thread) is empty and says it is switching; finishing installs the new camera, or the
// old one again when the new one failed.
TEST_F(CameraSlotTest, ASwitchCanRunOffTheUiThread) {
  CameraSlot slot = CameraSlot::open(still);
  ASSERT_TRUE(slot.available()) << slot.error();
  const std::uint64_t before = nextFrame(slot, 0);
  std::optional<CameraSlot::Switch> sw = slot.beginSwitch("test");
  ASSERT_TRUE(sw.has_value());
  EXPECT_TRUE(slot.switching());
  EXPECT_FALSE(slot.available()) << "the UI draws 'switching', not a camera being stopped";
  EXPECT_FALSE(slot.beginSwitch("test").has_value()) << "one switch at a time";
  std::thread worker([&] { sw->run(); });
  EXPECT_FALSE(slot.latestFrame(0, nullptr).has_value());  // the UI thread, meanwhile
  worker.join();
  ASSERT_TRUE(slot.finishSwitch(std::move(*sw))) << slot.error();
  EXPECT_FALSE(slot.switching());
  EXPECT_EQ(slot.spec(), "test");
  EXPECT_GT(nextFrame(slot, before), before);

  sw = slot.beginSwitch("v4l2:/dev/video-smp-missing");
  ASSERT_TRUE(sw.has_value());
  std::thread failing([&] { sw->run(); });
  failing.join();
  EXPECT_FALSE(slot.finishSwitch(std::move(*sw)));
  EXPECT_EQ(slot.spec(), "test") << "the previous camera is back";
  EXPECT_TRUE(slot.available());
  EXPECT_NE(slot.error().find("could not start"), std::string::npos) << slot.error();
  EXPECT_FALSE(slot.beginSwitch("test").has_value()) << "already in use: nothing to run";
}

TEST_F(CameraSlotTest, OpeningAMissingDeviceLeavesAnEmptySlotWithTheReason) {
  CameraSlot slot = CameraSlot::open("v4l2:/dev/video-smp-missing");
  EXPECT_FALSE(slot.available());
  EXPECT_NE(slot.error().find("could not start"), std::string::npos) << slot.error();
  ASSERT_TRUE(slot.switchTo(still)) << slot.error();
  EXPECT_GT(nextFrame(slot, 0), 0u);
}

}  // namespace
}  // namespace smp::platform
