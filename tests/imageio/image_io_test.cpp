// Image codecs: round trips, clear errors for bad files.
#include "app/imageio/image_io.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace smp::imageio {
namespace {

engine::RgbImage gradient(int w, int h) {
  engine::RgbImage img(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = img.at(x, y);
      p[0] = static_cast<std::uint8_t>(x * 255 / w);
      p[1] = static_cast<std::uint8_t>(y * 255 / h);
      p[2] = 128;
    }
  return img;
}

TEST(ImageIo, PngRoundTripIsExact) {
  const auto img = gradient(64, 48);
  const auto back = decodeRgb(encode(img, Format::kPng), "test");
  EXPECT_EQ(back.width, 64);
  EXPECT_EQ(back.pixels, img.pixels);
}

TEST(ImageIo, JpegRoundTripIsClose) {
  const auto img = gradient(64, 48);
  const auto back = decodeRgb(encode(img, Format::kJpeg, 95), "test");
  ASSERT_EQ(back.pixels.size(), img.pixels.size());
  double err = 0;
  for (std::size_t i = 0; i < img.pixels.size(); ++i)
    err += std::abs(back.pixels[i] - img.pixels[i]);
  EXPECT_LT(err / static_cast<double>(img.pixels.size()), 3.0);
}

TEST(ImageIo, BadFilesGiveClearErrors) {
  test::TempDir dir;
  EXPECT_THROW(
      {
        try {
          loadRgb(dir / "missing.jpg");
        } catch (const ImageIoError& e) {
          EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
          throw;
        }
      },
      ImageIoError);
  const Bytes junk = {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'};
  writeFileAtomically(dir / "junk.png", junk);
  try {
    loadRgb(dir / "junk.png");
    FAIL() << "junk decoded";
  } catch (const ImageIoError& e) {
    EXPECT_NE(std::string(e.what()).find("not a readable JPEG or PNG"), std::string::npos);
  }
  EXPECT_THROW(decodeRgb({}, "empty"), ImageIoError);
  EXPECT_THROW(formatForPath("out.gif"), ImageIoError);
}

TEST(ImageIo, DownscaleKeepsAspect) {
  const auto small = downscaleToFit(gradient(400, 200), 100, 100);
  EXPECT_EQ(small.width, 100);
  EXPECT_EQ(small.height, 50);
}

}  // namespace
}  // namespace smp::imageio
