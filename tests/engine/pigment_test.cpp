// The pigment layer and the buzz base: ink is conserved, the zone is respected, colour science
// matches published values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "engine/color.h"
#include "engine/inpaint.h"
#include "engine/pigment_layer.h"

namespace smp::engine {
namespace {

TEST(Color, CieDe2000MatchesSharmaTestData) {
  // Pairs 1 and 17 of Sharma, Wu and Dalal's table.
  EXPECT_NEAR(deltaE2000({50, 2.6772, -79.7751}, {50, 0, -82.7485}), 2.0425, 1e-4);
  EXPECT_NEAR(deltaE2000({50, 2.5, 0}, {73, 25, -18}), 27.1492, 1e-4);
  EXPECT_NEAR(lightnessFromY(yFromLightness(42.0)), 42.0, 1e-9);
  const std::uint8_t white[3] = {255, 255, 255};
  EXPECT_NEAR(srgbToLab(white).L, 100, 0.01);
}

TEST(PigmentLayer, InkIsConservedWhateverTheBlur) {
  const std::vector<Dot> dots{{50.3f, 40.7f, 3.0f, 0.8f, 1}, {20.5f, 60.2f, 2.0f, 1.0f, 2}};
  const double expected = 3.14159265 * (1.5 * 1.5 * 0.8 + 1.0 * 1.0 * 1.0);
  for (double blur : {0.05, 0.15, 0.4}) {
    PigmentOptics o;
    o.pxPerMm = 4;
    o.dermalBlurMm = blur;
    const auto ink = depositPigment(dots, 100, 100, o);
    EXPECT_NEAR(std::accumulate(ink.begin(), ink.end(), 0.0), expected, 1e-3 * expected) << blur;
  }
}

// Profiles are shared between impressions at the same sub-pixel phase (1/8 px) and radius
// (1/64 px): the ink lands where a profile made for each dot would put it, and an impression
// at the photo's edge keeps its whole mass inside the photo.
TEST(PigmentLayer, SharedProfilesMatchEachDotsOwnAndEdgesKeepTheirMass) {
  PigmentOptics o;
  o.pxPerMm = 4.3;
  for (const Dot& d : {Dot{50.31f, 40.77f, 1.1f, 1.0f, 1}, Dot{20.02f, 60.98f, 0.93f, 0.9f, 2}}) {
    const auto ink = depositPigment({d}, 100, 100, o);
    double cx = 0, cy = 0, mass = 0;
    for (int y = 0; y < 100; ++y) {
      for (int x = 0; x < 100; ++x) {
        const double v = ink[static_cast<std::size_t>(y) * 100 + x];
        cx += v * (x + 0.5);
        cy += v * (y + 0.5);
        mass += v;
      }
    }
    const double r = 0.5 * d.diameterPx;
    EXPECT_NEAR(mass, 3.14159265 * r * r * d.opacity, 1e-3);
    EXPECT_NEAR(cx / mass, d.x, 1.0 / 16) << "the centre moves at most half a phase step";
    EXPECT_NEAR(cy / mass, d.y, 1.0 / 16);
  }
  const Dot corner{0.4f, 99.7f, 2.0f, 1.0f, 1};
  const auto ink = depositPigment({corner}, 100, 100, o);
  EXPECT_NEAR(std::accumulate(ink.begin(), ink.end(), 0.0), 3.14159265, 1e-3);
  const Dot outside{-50.0f, 20.0f, 2.0f, 1.0f, 1};
  const auto none = depositPigment({outside}, 100, 100, o);
  EXPECT_EQ(std::accumulate(none.begin(), none.end(), 0.0), 0.0);
}

// Encoding to 8 bits by searching the level thresholds gives what the sRGB formula rounds to.
TEST(Color, LinearToSrgbMatchesTheFormula) {
  for (int i = 0; i <= 100000; ++i) {
    const double c = i / 100000.0;
    const double s = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
    const double exact = 255.0 * s;
    // Exactly on a rounding boundary either neighbour is right.
    if (std::abs(exact - std::floor(exact) - 0.5) < 1e-6) continue;
    ASSERT_EQ(linearToSrgb(static_cast<float>(c)), std::lround(exact)) << c;
  }
  EXPECT_EQ(linearToSrgb(-0.5f), 0);
  EXPECT_EQ(linearToSrgb(2.0f), 255);
  EXPECT_EQ(linearToSrgb(std::numeric_limits<float>::quiet_NaN()), 0);
  for (int v = 0; v < 256; ++v)
    EXPECT_EQ(linearToSrgb(srgbToLinear(static_cast<std::uint8_t>(v))), v) << "round trip";
}

// A 12 MP photo is inked in bands of rows on several threads: an impression that straddles two
// bands lands exactly as it does in a small photo inked in one thread.
TEST(PigmentLayer, BandsOfAFullResolutionPhotoMeetWithoutASeam) {
  PigmentOptics o;
  o.pxPerMm = 4.3;
  const int side = 2048;  // 4.2 MP: split into bands (kParallelFromPixels)
  // On the boundaries of 2, 3 and 4 bands.
  const std::vector<Dot> dots{{1000.3f, 1023.7f, 1.1f, 1.0f, 1},
                              {500.2f, 682.5f, 1.0f, 0.9f, 1},
                              {800.6f, 511.9f, 0.95f, 1.0f, 2},
                              {1500.4f, 1535.8f, 1.05f, 0.8f, 3}};
  const auto big = depositPigment(dots, side, side, o);
  for (const Dot& d : dots) {
    const int ix = static_cast<int>(d.x), iy = static_cast<int>(d.y);
    Dot alone = d;
    alone.x = 32 + (d.x - static_cast<float>(ix));
    alone.y = 32 + (d.y - static_cast<float>(iy));
    const auto small = depositPigment({alone}, 64, 64, o);
    for (int y = -12; y <= 12; ++y) {
      for (int x = -12; x <= 12; ++x) {
        ASSERT_EQ(big[static_cast<std::size_t>(iy + y) * side + static_cast<std::size_t>(ix + x)],
                  small[static_cast<std::size_t>(32 + y) * 64 + static_cast<std::size_t>(32 + x)])
            << "dot at " << d.x << "," << d.y << " offset " << x << "," << y;
      }
    }
  }
}

TEST(PigmentLayer, PixelsOutsideTheZoneKeepTheirBytes) {
  RgbImage base(40, 40);
  for (auto& b : base.pixels) b = 180;
  std::vector<float> ink(40 * 40, 0.5f);
  GrayImage zone(40, 40, 0);
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 40; ++x) zone.at(x, y) = 255;
  const float absorb[3] = {1, 1, 1};
  const RgbImage out = applyPigment(base, ink, &zone, 1.0, absorb);
  EXPECT_LT(out.at(10, 10)[0], 180);
  for (int y = 20; y < 40; ++y)
    for (int x = 0; x < 40; ++x) ASSERT_EQ(out.at(x, y)[0], 180);
}

TEST(Inpaint, FillsTheHoleSmoothlyFromItsEdges) {
  const int w = 64, h = 64;
  std::vector<float> rgb(w * h * 3), weight(w * h, 1.0f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) rgb[(y * w + x) * 3 + c] = x / 63.0f;  // a ramp
  for (int y = 20; y < 44; ++y)
    for (int x = 20; x < 44; ++x) weight[y * w + x] = 0, rgb[(y * w + x) * 3] = 9;
  pullPushFill(rgb, weight, w, h);
  for (int y = 20; y < 44; ++y)
    for (int x = 20; x < 44; ++x) {
      ASSERT_GT(rgb[(y * w + x) * 3], 0.15f);
      ASSERT_LT(rgb[(y * w + x) * 3], 0.85f);
    }
  EXPECT_EQ(rgb[(5 * w + 5) * 3], 5 / 63.0f) << "known pixels are untouched";
}

}  // namespace
}  // namespace smp::engine
