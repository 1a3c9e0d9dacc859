// "Keep my hair": the hair stays as it is and pigment shows only on the scalp between strands.
// On a real grey-haired portrait the dots were laid over the strands as black pepper, and
// calibrated on a zone mostly hidden by hair, so each visible dot was made near-black.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/color.h"
#include "engine/preview.h"
#include "engine/shaved_base.h"

namespace smp::engine {
namespace {

constexpr int kSide = 400;
constexpr int kDenseBelow = 100;  // rows above this: dense grey hair
constexpr int kHairBelow = 200;   // rows [kDenseBelow, kHairBelow): grey strands over scalp
constexpr int kBrowY = 300;       // rows [kHairBelow, kBrowY): bare scalp
constexpr std::uint8_t kSkin[3] = {200, 160, 140};
constexpr std::uint8_t kGreyHair = 225;

// Thinning rows: a strand 2 px wide every 5 px.
bool onStrand(int x) { return x % 5 < 2; }

struct Scene {
  RgbImage photo{kSide, kSide};
  HeadAnalysis analysis;
};

// A head filling the picture: dense grey hair on top (above row `denseBelow`), thinning grey
// strands below it down to kHairBelow, then bare scalp down to the brows. The analysis is exact
// (no segmentation involved), with the soft hair map a segmentation gives thinning hair (the
// scalp shows through it).
Scene greyThinningHead(int denseBelow = kDenseBelow) {
  Scene s;
  FaceGeometry& g = s.analysis.geometry;
  g.pxPerMm = 4;
  g.browY = kBrowY;
  g.leftEyeX = 168;
  g.rightEyeX = 232;
  g.leftEyeY = g.rightEyeY = 340;
  g.skull = {200, 340, 300, 400};
  HeadLayers& L = s.analysis.layers;
  L.hair = GrayImage(kSide, kSide, 0);
  L.head = GrayImage(kSide, kSide, 255);
  L.scalpZone = GrayImage(kSide, kSide, 0);
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * kSide + x;
      if (y < kBrowY) L.scalpZone.pixels[i] = 255;
      const bool grey = y < denseBelow || (y < kHairBelow && onStrand(x));
      L.hair.pixels[i] = y < denseBelow ? 255 : (y < kHairBelow ? 150 : 0);
      for (int c = 0; c < 3; ++c) s.photo.pixels[i * 3 + c] = grey ? kGreyHair : kSkin[c];
    }
  return s;
}

// The whole scalp behind no hairline (so every row of the head takes part), skin type II.
PreviewResult keepingTheHair(const Scene& s) {
  PreviewParams p;
  p.mode = PreviewMode::kKeepHair;
  p.hairline = HairlineStyle::kNone;
  p.fitzpatrick = 2;
  PreviewInput in{&s.photo};
  in.analysis = &s.analysis;
  return renderPreview(in, p);
}

TEST(KeepHair, PigmentShowsBetweenStrandsAndNeverOnThem) {
  const Scene s = greyThinningHead();
  const PreviewResult r = keepingTheHair(s);

  long strandPixels = 0, changedStrandPixels = 0;
  double gapBefore = 0, gapAfter = 0;
  long gaps = 0;
  for (int y = kDenseBelow + 10; y < kHairBelow - 10; ++y)
    for (int x = 10; x < kSide - 10; ++x) {
      if (onStrand(x)) {
        ++strandPixels;
        for (int c = 0; c < 3; ++c)
          if (std::abs(r.image.at(x, y)[c] - s.photo.at(x, y)[c]) > 1) {
            ++changedStrandPixels;
            break;
          }
      } else {
        gapBefore += srgbToLab(s.photo.at(x, y)).L;
        gapAfter += srgbToLab(r.image.at(x, y)).L;
        ++gaps;
      }
    }
  ASSERT_GT(strandPixels, 0);
  EXPECT_EQ(changedStrandPixels, 0) << "of " << strandPixels << " strand pixels";
  EXPECT_LT((gapAfter - gapBefore) / gaps, -1.0) << "the scalp between strands takes pigment";
}

TEST(KeepHair, TheToneIsThatOfTheScalpThePigmentShowsOn) {
  const Scene s = greyThinningHead();
  const PreviewResult r = keepingTheHair(s);
  // The bare scalp, seen at distance (its mean luminance), is as much darker as planned: the
  // dense hair above, which hides every dot, does not ask the visible ones to be darker.
  double before = 0, after = 0;
  long n = 0;
  for (int y = kHairBelow + 20; y < kBrowY - 10; ++y)
    for (int x = 10; x < kSide - 10; ++x) {
      auto luminance = [](const std::uint8_t* rgb) {
        return relativeLuminance(srgbToLinear(rgb[0]), srgbToLinear(rgb[1]), srgbToLinear(rgb[2]));
      };
      before += luminance(s.photo.at(x, y));
      after += luminance(r.image.at(x, y));
      ++n;
    }
  const double deltaL = lightnessFromY(after / n) - lightnessFromY(before / n);
  // Grey hair hardly stands apart from the skin: kept, the scalp between its strands takes only
  // a hint of shade (the buzz's light shade for grey hair, -8.4 L*, read as a band of brown dots
  // under a real client's white hairline).
  EXPECT_NEAR(r.targetDeltaL, -4, 0.5);
  EXPECT_NEAR(deltaL, r.targetDeltaL, 1.5);
}

TEST(KeepHair, HairCoveringTheWholeScalpIsReported) {
  EXPECT_FALSE(keepingTheHair(greyThinningHead()).hairHidesPigment) << "bare scalp shows";
  const Scene covered = greyThinningHead(kBrowY);
  const PreviewResult r = keepingTheHair(covered);
  EXPECT_TRUE(r.hairHidesPigment);
  // And the preview is, as the kiosk then says, hardly changed.
  long changed = 0;
  for (std::size_t i = 0; i < covered.photo.pixels.size(); ++i)
    changed += std::abs(r.image.pixels[i] - covered.photo.pixels[i]) > 2;
  EXPECT_LT(changed, static_cast<long>(covered.photo.pixels.size() / 100));
}

}  // namespace
}  // namespace smp::engine
