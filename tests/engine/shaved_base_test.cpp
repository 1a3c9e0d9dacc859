// The buzz preview's shaved base on a drawn head: the clipped scalp keeps the light of the photo
// (a flat fill reads as a painted cap) and dense dark hair clips to a dark stubble shadow.
#include "engine/shaved_base.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/color.h"

namespace smp::engine {
namespace {

constexpr int kSide = 400;
constexpr double kPxPerMm = 2;
constexpr int kBrowY = 300;
constexpr int kHairBelow = 230;  // hair covers the head above this row, bare forehead below

// A head on a grey wall: skin of one colour, hair above row kHairBelow whose sRGB level is
// `hairLevel(x)`, lit as the caller says. The analysis is exact (no segmentation involved).
template <typename HairLevel>
HeadAnalysis drawHead(RgbImage& photo, HairLevel hairLevel) {
  photo = RgbImage(kSide, kSide);
  HeadAnalysis a;
  a.geometry.pxPerMm = kPxPerMm;
  a.geometry.browY = kBrowY;
  a.geometry.leftEyeX = 170;
  a.geometry.rightEyeX = 230;
  a.geometry.leftEyeY = a.geometry.rightEyeY = 340;
  a.geometry.skull = {200, 340, 150, 236};
  a.layers.hair = GrayImage(kSide, kSide, 0);
  a.layers.head = GrayImage(kSide, kSide, 0);
  a.layers.scalpZone = GrayImage(kSide, kSide, 0);
  for (int y = 0; y < kSide; ++y) {
    for (int x = 0; x < kSide; ++x) {
      const double dx = (x - 200) / 160.0, dy = (y - 340) / 300.0;
      const bool head = dx * dx + dy * dy <= 1;
      std::uint8_t* p = &photo.pixels[(static_cast<std::size_t>(y) * kSide + x) * 3];
      const std::size_t i = static_cast<std::size_t>(y) * kSide + x;
      if (!head) {
        p[0] = p[1] = p[2] = 150;
        continue;
      }
      a.layers.head.pixels[i] = 255;
      if (y < kBrowY) a.layers.scalpZone.pixels[i] = 255;
      if (y < kHairBelow) {
        a.layers.hair.pixels[i] = 255;
        p[0] = p[1] = p[2] = hairLevel(x);
      } else {
        p[0] = 225;
        p[1] = 180;
        p[2] = 150;
      }
    }
  }
  return a;
}

// Mean CIELAB L* of the base over the columns [x0, x1) of the hair's rows 120-200.
double meanLightness(const RgbImage& image, int x0, int x1) {
  double sum = 0;
  int count = 0;
  for (int y = 120; y < 200; ++y)
    for (int x = x0; x < x1; ++x) {
      sum += srgbToLab(image.at(x, y)).L;
      ++count;
    }
  return sum / count;
}

TEST(ShavedBase, TheClippedScalpKeepsTheLightOfThePhoto) {
  RgbImage photo;
  // Grey hair lit from the image's left: twice the luminance there as at the right.
  const HeadAnalysis lit = drawHead(photo, [](int x) {
    return static_cast<std::uint8_t>(std::lround(200 - 70.0 * (x - 60) / 280.0));
  });
  const ShavedBase buzz = makeShavedBase(photo, lit, PreviewMode::kBuzz);
  const double left = meanLightness(buzz.image, 90, 150),
               right = meanLightness(buzz.image, 250, 310);
  // The photo's hair differs by about 20 L* from left to right; a flat fill would give 0.
  EXPECT_GT(left - right, 6) << "left " << left << " right " << right;

  // Evenly lit hair: the scalp stays even (no shading invented).
  const HeadAnalysis even = drawHead(photo, [](int) { return std::uint8_t{165}; });
  const ShavedBase flat = makeShavedBase(photo, even, PreviewMode::kBuzz);
  EXPECT_NEAR(meanLightness(flat.image, 90, 150), meanLightness(flat.image, 250, 310), 1.5);
}

TEST(ShavedBase, DenseDarkHairClipsToADarkStubbleShadow) {
  RgbImage photo;
  const HeadAnalysis dark = drawHead(photo, [](int) { return std::uint8_t{30}; });
  const ShavedBase buzz = makeShavedBase(photo, dark, PreviewMode::kBuzz);
  const double skinL = srgbToLab(photo.at(200, 270)).L;
  const double clippedL = meanLightness(buzz.image, 150, 250);
  const double hairL = srgbToLab(photo.at(200, 150)).L;
  // Lighter than the long hair (skin shows between the stubble), but a clear shadow on the
  // skin, as a zero-grade buzz of dense black hair on light skin reads: at least 25 L* darker.
  // (A stubble share of 55 % gave 22 L*: on a real portrait the dark buzz read as a pale brown
  // cap.)
  EXPECT_GT(clippedL, hairL + 5);
  EXPECT_LT(clippedL, skinL - 25) << "skin " << skinL << " clipped " << clippedL;
}

// The segmentation's map is coarse and can take bare skin for hair: on a real dark-skin
// portrait the sheen on a receding temple was clipped to a grey patch of stubble, lighter than
// his buzz and with the map's blocky edge. Stubble goes only where the pixels have the hair's
// colour.
TEST(ShavedBase, BareSkinTheSegmentationTookForHairGetsNoStubble) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, [](int) { return std::uint8_t{40}; });
  // The temple: skin with a sheen (lighter, less chromatic) where the map says "hair".
  for (int y = 170; y < kHairBelow; ++y)
    for (int x = 260; x < 320; ++x) {
      std::uint8_t* p = &photo.pixels[(static_cast<std::size_t>(y) * kSide + x) * 3];
      p[0] = 235;
      p[1] = 200;
      p[2] = 178;
    }
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  double stubble = 0, lightness = 0;
  int count = 0;
  for (int y = 185; y < 215; ++y)
    for (int x = 275; x < 305; ++x) {
      stubble += buzz.stubble.at(x, y);
      lightness += srgbToLab(buzz.image.at(x, y)).L;
      ++count;
    }
  const double skinL = srgbToLab(photo.at(200, 270)).L;
  EXPECT_LT(stubble / count, 40) << "of 255";
  EXPECT_GT(lightness / count, skinL - 4) << "the temple stays skin, not a patch of stubble";
  // The real hair beside it still clips to a dark stubble.
  EXPECT_LT(meanLightness(buzz.image, 100, 200), skinL - 25);
}

}  // namespace
}  // namespace smp::engine
