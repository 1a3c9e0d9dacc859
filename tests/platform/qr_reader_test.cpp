// QrReader (ZBar) on QR codes made by libqrencode: in a frame as the camera gives it, in a frame
// wider than 1280 px, through the real camera pipeline (a still file as the test source), and
// nothing read where there is no code.
#include "app/platform/qr_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "app/imageio/image_io.h"
#include "app/platform/camera_slot.h"
#include "sync/protocol/enrolment_code.h"
#include "tests/support/qr_image.h"
#include "tests/support/temp_dir.h"

namespace smp::platform {
namespace {

const std::string kLink =
    protocol::enrolmentLink("https://head-office.example:8443", "K7QM-2XRP-9HDW-TNB4");

TEST(QrReader, ReadsAnEnrolmentLinkHeldUpToTheCamera) {
  QrReader reader;
  EXPECT_EQ(reader.read(test::qrCodeFrame(kLink, 1280, 720, 6, 420, 120)), kLink);
  EXPECT_EQ(reader.read(test::qrCodeFrame(kLink, 1920, 1080, 10, 500, 100)), kLink)
      << "a frame wider than 1280 px is halved and still read";
}

TEST(QrReader, ReadsNothingWhereThereIsNoCode) {
  QrReader reader;
  engine::RgbImage plain(1280, 720);
  EXPECT_FALSE(reader.read(plain));
  EXPECT_FALSE(reader.read(engine::RgbImage()));
  engine::RgbImage truncated(640, 480);
  truncated.pixels.resize(100);
  EXPECT_FALSE(reader.read(truncated)) << "a frame shorter than its size says is refused";
}

TEST(QrReader, ReadsACodeThroughTheRealCameraPipeline) {
  test::TempDir dir;
  const auto still = dir / "qr.png";
  {
    const auto png =
        imageio::encode(test::qrCodeFrame(kLink, 1280, 720, 6, 420, 120), imageio::Format::kPng);
    std::ofstream(still, std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  }
  CameraSlot camera = CameraSlot::open("file:" + still.string());
  ASSERT_TRUE(camera.available()) << camera.error();
  ASSERT_TRUE(camera.waitForFirstFrame(10'000)) << "no frame from the still-file source";
  const auto frame = camera.latestFrame(0, nullptr);
  ASSERT_TRUE(frame);
  QrReader reader;
  EXPECT_EQ(reader.read(*frame), kLink);
}

}  // namespace
}  // namespace smp::platform
