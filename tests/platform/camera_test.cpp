// The real GStreamer pipeline with its test sources: videotestsrc and a still file.
#include "app/platform/camera.h"

#include <gtest/gtest.h>

#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "tests/support/temp_dir.h"

namespace smp::platform {
namespace {

TEST(CameraSpec, ParsesTheThreeFormsAndExplainsOthers) {
  EXPECT_EQ(parseCameraSpec("v4l2").kind, CameraKind::kV4l2);
  EXPECT_EQ(parseCameraSpec("test").kind, CameraKind::kTest);
  EXPECT_EQ(parseCameraSpec("v4l2:/dev/video2").path, "/dev/video2");
  EXPECT_THROW(parseCameraSpec("v4l2:video2"), CameraError);
  try {
    parseCameraSpec("webcam");
    FAIL();
  } catch (const CameraError& e) {
    EXPECT_NE(std::string(e.what()).find("use v4l2, v4l2:/dev/videoN, test or file:PATH"),
              std::string::npos);
  }
  EXPECT_THROW(parseCameraSpec("file:/no/such/file.png"), CameraError);
}

TEST(Camera, TestSourceDeliversFramesAtTheRequestedSize) {
  Camera camera(parseCameraSpec("test"));
  ASSERT_TRUE(camera.waitForFirstFrame(10000)) << camera.lastError();
  std::uint64_t seq = 0;
  const auto frame = camera.latestFrame(0, &seq);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->width, 1280);
  EXPECT_EQ(frame->height, 960);
  EXPECT_GE(seq, 1u);
  EXPECT_FALSE(camera.latestFrame(seq + 1000, nullptr).has_value());
}

TEST(Camera, StillFileSourceShowsTheFile) {
  test::TempDir dir;
  const auto portrait = core::samplePortrait(1280, 960, 2, 4);
  imageio::saveRgb(dir / "still.png", portrait);
  Camera camera(parseCameraSpec("file:" + (dir / "still.png").string()));
  ASSERT_TRUE(camera.waitForFirstFrame(10000)) << camera.lastError();
  const auto frame = camera.latestFrame(0, nullptr);
  ASSERT_TRUE(frame.has_value());
  ASSERT_EQ(frame->pixels.size(), portrait.pixels.size());
  double diff = 0;
  for (std::size_t i = 0; i < portrait.pixels.size(); ++i)
    diff += std::abs(frame->pixels[i] - portrait.pixels[i]);
  EXPECT_LT(diff / static_cast<double>(portrait.pixels.size()), 4.0);  // colour conversion only
}

}  // namespace
}  // namespace smp::platform
