// Hair the buzz takes away: standing out beyond the braincase (the wall behind shows there and
// no pigment lands on it, while hair close to the braincase stays as clipped scalp), flyaway
// strands on the wall beside it, and stray strands on the forehead in front of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/color.h"
#include "engine/preview.h"
#include "engine/shaved_base.h"

namespace smp::engine {
namespace {

constexpr int kSide = 400;
constexpr double kPxPerMm = 2;
constexpr double kCentreX = 200, kCentreY = 250, kCraniumPx = 120;  // a 60 mm braincase
constexpr int kBrowY = 330;
constexpr std::uint8_t kWall = 150;

// A bald head on a grey wall whose top, above row 230, carries dark hair standing `hairMm`
// out from the braincase. The analysis is exact (no segmentation involved). A patterned wall
// is kWall +- kTexture in 3-px checks (a backdrop) or in 6-px bands along the rows (a window's
// frame, a shelf, a horizon) or along the columns.
constexpr int kTexture = 20;
enum class Wall { kPlain, kChecks, kRows, kColumns };

int wallTexture(Wall wall, int x, int y) {
  switch (wall) {
    case Wall::kChecks:
      return (x / 3 + y / 3) % 2 ? kTexture : -kTexture;
    case Wall::kRows:
      return (y / 6) % 2 ? kTexture : -kTexture;
    case Wall::kColumns:
      return (x / 6) % 2 ? kTexture : -kTexture;
    case Wall::kPlain:
      break;
  }
  return 0;
}

HeadAnalysis drawHead(RgbImage& photo, double hairMm, Wall wall = Wall::kPlain) {
  photo = RgbImage(kSide, kSide);
  HeadAnalysis a;
  FaceGeometry& g = a.geometry;
  g.pxPerMm = kPxPerMm;
  g.browY = kBrowY;
  g.leftEyeX = 170;
  g.rightEyeX = 230;
  g.leftEyeY = g.rightEyeY = 350;
  g.skull = {kCentreX, 350, kCraniumPx, 236};
  g.cranium = {kCentreX, kCentreY, kCraniumPx, kCraniumPx};
  a.layers.hair = GrayImage(kSide, kSide, 0);
  a.layers.head = GrayImage(kSide, kSide, 0);
  a.layers.scalpZone = GrayImage(kSide, kSide, 0);
  const double outer = kCraniumPx + hairMm * kPxPerMm;
  for (int y = 0; y < kSide; ++y) {
    for (int x = 0; x < kSide; ++x) {
      const double r = std::hypot(x + 0.5 - kCentreX, std::min(0.0, y + 0.5 - kCentreY));
      const bool hair = y < 230 && r <= outer;
      const bool head = hair || r <= kCraniumPx;
      std::uint8_t* p = photo.at(x, y);
      const std::size_t i = static_cast<std::size_t>(y) * kSide + x;
      if (!head) {
        p[0] = p[1] = p[2] = static_cast<std::uint8_t>(kWall + wallTexture(wall, x, y));
        continue;
      }
      a.layers.head.pixels[i] = 255;
      if (y < kBrowY) a.layers.scalpZone.pixels[i] = 255;
      if (hair) {
        a.layers.hair.pixels[i] = 255;
        p[0] = 60;
        p[1] = 50;
        p[2] = 45;
      } else {
        p[0] = 225;
        p[1] = 180;
        p[2] = 150;
      }
    }
  }
  return a;
}

// Paints the pixels where `where` holds in the colour `rgb`; returns how many of them `counted`.
template <typename Where, typename Counted>
int paint(RgbImage& photo, const std::array<std::uint8_t, 3>& rgb, Where where, Counted counted) {
  int n = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      if (where(x, y)) {
        std::copy(rgb.begin(), rgb.end(), photo.at(x, y));
        n += counted(x, y) ? 1 : 0;
      }
  return n;
}

bool nearWall(const std::uint8_t* p) {
  return std::abs(p[0] - kWall) <= 4 && std::abs(p[1] - kWall) <= 4 && std::abs(p[2] - kWall) <= 4;
}

TEST(HairVolume, HairStandingOutBeyondTheBraincaseBecomesTheWall) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, 15);
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  ASSERT_FALSE(buzz.clippedAway.empty()) << "15 mm of hair above the braincase was kept";
  EXPECT_NEAR(buzz.hairLengthMm, 15, 1);
  // 10 mm above the braincase's top and out at its upper sides: the wall shows.
  for (const auto& [x, y] : {std::pair{200, 110}, std::pair{101, 151}, std::pair{299, 151}}) {
    EXPECT_TRUE(nearWall(buzz.image.at(x, y))) << x << "," << y;
    EXPECT_GT(buzz.clippedAway.at(x, y), 200) << x << "," << y;
    EXPECT_EQ(buzz.stubble.at(x, y), 0) << "no stubble is left where the hair was taken away";
  }
  // Inside the braincase the hair becomes clipped scalp: skin-coloured, not the wall.
  const Lab inside = srgbToLab(buzz.image.at(200, 160));
  EXPECT_EQ(buzz.clippedAway.at(200, 160), 0);
  EXPECT_GT(inside.a, 5) << "the clipped scalp took the wall's grey";
}

// Where the volume was taken away the wall behind keeps the texture of the wall around it (a
// smooth fill drew a featureless, lighter halo around the head on a window or a painting).
TEST(HairVolume, TheWallWhereTheHairStoodKeepsTheWallsTexture) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, 15, Wall::kChecks);
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  ASSERT_FALSE(buzz.clippedAway.empty());
  double sum = 0, sumSquares = 0;
  int count = 0;
  for (int y = 0; y < 230; ++y) {
    for (int x = 0; x < kSide; ++x) {
      if (buzz.clippedAway.at(x, y) < 250) continue;
      const double v = buzz.image.at(x, y)[1];
      sum += v;
      sumSquares += v * v;
      ++count;
    }
  }
  ASSERT_GT(count, 1000);
  const double mean = sum / count;
  const double spread = std::sqrt(std::max(0.0, sumSquares / count - mean * mean));
  EXPECT_NEAR(mean, kWall, 8) << "the wall behind took another colour";
  EXPECT_GT(spread, kTexture * 0.7) << "the wall behind the hair is smooth: a halo";
}

// Share of the wall taken back from the hair, within `region` (x, y relative to the braincase's
// centre), that has the wall's own value for its row or column: the pattern continues.
template <typename Region>
double shareContinuing(const ShavedBase& buzz, Wall wall, Region region) {
  int continuing = 0, count = 0;
  for (int y = 0; y < 230; ++y) {
    for (int x = 0; x < kSide; ++x) {
      if (buzz.clippedAway.at(x, y) < 250 || !region(x + 0.5 - kCentreX, y + 0.5 - kCentreY))
        continue;
      ++count;
      continuing += std::abs(buzz.image.at(x, y)[1] - (kWall + wallTexture(wall, x, y))) <= 6;
    }
  }
  EXPECT_GT(count, 300) << "too little wall taken back to judge";
  return count ? static_cast<double>(continuing) / count : 0;
}

// Beside the head a window's horizontal frame runs on, level, up to the clipped head; above it
// the upright lines do. A mirror along the radius bent a real window's frame into a pale wedge
// standing on a client's temple.
TEST(HairVolume, TheWallsLinesRunOnWhereTheHairStood) {
  RgbImage photo;
  const HeadAnalysis rows = drawHead(photo, 15, Wall::kRows);
  const ShavedBase besideRows = makeShavedBase(photo, rows, PreviewMode::kBuzz);
  EXPECT_GT(shareContinuing(besideRows, Wall::kRows,
                            [](double dx, double dy) { return std::abs(dx) > 2.5 * std::abs(dy); }),
            0.9)
      << "the rows of the wall beside the head came out bent";
  const HeadAnalysis columns = drawHead(photo, 15, Wall::kColumns);
  const ShavedBase aboveColumns = makeShavedBase(photo, columns, PreviewMode::kBuzz);
  EXPECT_GT(shareContinuing(aboveColumns, Wall::kColumns,
                            [](double dx, double dy) { return std::abs(dy) > 2.5 * std::abs(dx); }),
            0.9)
      << "the columns of the wall above the head came out bent";
}

// Flyaway strands farther out than the hair's outline (the segmentation left them to the wall)
// go with the clippers too: a grey-haired client's curls floated in the air beside his clipped
// head. Anything on the wall wider than a strand stays as it was.
TEST(HairVolume, FlyawayStrandsBeyondTheHairGoWithIt) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, 15);
  const double outer = kCraniumPx + 15 * kPxPerMm;
  auto strand = [&](int x, int y) {  // a dark arc 12 mm out, 2 px wide, over the upper left
    const double dx = x + 0.5 - kCentreX, dy = y + 0.5 - kCentreY;
    return dx < -20 && dy < -20 && std::abs(std::hypot(dx, dy) - (outer + 24)) < 1.0;
  };
  auto bar = [](int x, int y) { return x >= 326 && x < 334 && y >= 96 && y < 126; };  // 4 mm
  const int strandPixels = paint(
      photo, {60, 50, 45}, [&](int x, int y) { return strand(x, y) || bar(x, y); }, strand);
  ASSERT_GT(strandPixels, 100);
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  ASSERT_FALSE(buzz.clippedAway.empty());
  int strandLeft = 0, strandOpenToPigment = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      if (strand(x, y)) {
        strandLeft += !nearWall(buzz.image.at(x, y));
        strandOpenToPigment += buzz.clippedAway.at(x, y) <= 200;
      }
      if (bar(x, y)) {
        ASSERT_EQ(buzz.image.at(x, y)[0], 60) << x << "," << y << ": the wall's own bar changed";
      }
    }
  EXPECT_LT(strandLeft, strandPixels / 20) << "of " << strandPixels << " strand pixels";
  EXPECT_LT(strandOpenToPigment, strandPixels / 20) << "pigment may land where a strand was";
}

TEST(HairVolume, StrayStrandsOnTheForeheadGoWithTheClippers) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, 2);  // short hair down to row 230, bare skin below
  // Thin dark strands (the hair's colour, 1 px = 0.5 mm wide) straying 1-6 mm onto the forehead
  // below the hair's edge; a 6 mm mole near the hair; a fine wrinkle 25 mm below it.
  auto strand = [](int x, int y) {
    return y >= 232 && y < 242 && x >= 150 && x < 250 && (x + (y - 232) / 3) % 12 == 0;
  };
  auto mole = [](int x, int y) { return std::hypot(x - 270.0, y - 240.0) < 6; };
  auto wrinkle = [](int x, int y) { return y == 280 && x >= 150 && x < 250; };
  const int strandPixels = paint(
      photo, {80, 62, 52},
      [&](int x, int y) { return strand(x, y) || mole(x, y) || wrinkle(x, y); }, strand);
  ASSERT_GT(strandPixels, 50);
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  int strandLeft = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const std::uint8_t* b = buzz.image.at(x, y);
      if (strand(x, y)) strandLeft += std::abs(b[0] - 225) > 12;  // not back to the skin's 225
      if (mole(x, y) || wrinkle(x, y)) {
        ASSERT_EQ(b[0], 80) << x << "," << y << ": the skin's own mark or line changed";
      }
    }
  EXPECT_LT(strandLeft, strandPixels / 10) << "of " << strandPixels << " strand pixels";
}

TEST(HairVolume, ShortHairIsNeverCutAway) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, 2);  // within the braincase's uncertainty
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  EXPECT_TRUE(buzz.clippedAway.empty());
  const Lab top = srgbToLab(buzz.image.at(200, 128));  // 1 mm inside the old hair's edge
  EXPECT_GT(top.a, 5) << "2 mm of hair was taken for volume";
}

TEST(HairVolume, NoPigmentLandsWhereTheVolumeWasTakenAway) {
  RgbImage photo;
  const HeadAnalysis a = drawHead(photo, 15);
  const ShavedBase buzz = makeShavedBase(photo, a, PreviewMode::kBuzz);
  ASSERT_FALSE(buzz.clippedAway.empty());
  PreviewInput in;
  in.photo = &photo;
  in.analysis = &a;
  in.base = &buzz;
  PreviewParams p;
  p.densityPerCm2 = 160;
  p.dotDiameterMm = 0.4;
  const PreviewResult result = renderPreview(in, p);
  ASSERT_GT(result.dots.size(), 100u) << "the braincase got no pigment at all";
  long inked = 0, away = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      // The head's new outline is soft from 3 to 5 mm beyond the braincase, and a dot there
      // reaches a millimetre further: the wall from 7 mm out must be untouched.
      if (buzz.clippedAway.at(x, y) < 255) continue;
      const double r = std::hypot(x + 0.5 - kCentreX, std::min(0.0, y + 0.5 - kCentreY));
      if (r < kCraniumPx + 7 * kPxPerMm) continue;
      ++away;
      const std::uint8_t *b = buzz.image.at(x, y), *o = result.image.at(x, y);
      if (std::abs(b[0] - o[0]) > 2 || std::abs(b[1] - o[1]) > 2 || std::abs(b[2] - o[2]) > 2)
        ++inked;
    }
  ASSERT_GT(away, 1000);
  EXPECT_EQ(inked, 0) << "pigment landed on the wall where hair was taken away";
}

}  // namespace
}  // namespace smp::engine
