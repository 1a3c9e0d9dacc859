// The top (crown) photo: the head's outline, scale and hair from above, on mannequins of several
// skin types and hair colours with ground truth, and the preview on it: nothing but the head
// changes, the bare crown darkens by a realistic amount, the sides set the shade. Renders go to
// the build folder (top-view/) to be looked at.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "app/vision/head_segmenter.h"
#include "app/vision/photo_analysis.h"
#include "engine/color.h"
#include "tests/vision/overlap.h"

namespace smp::vision {
namespace {

constexpr int kW = 800, kH = 600;  // the kiosk's photos are larger; the figures are per mm

struct Case {
  int fitzpatrick;
  core::MannequinHair hair;
  const char* name;
};

const Case kCases[] = {{1, {200, 196, 190, 3}, "grey-on-I"},
                       {3, {95, 70, 50, 3}, "brown-on-III"},
                       {4, {38, 30, 26, 3}, "black-on-IV"},
                       {6, {28, 24, 22, 2}, "black-on-VI"}};

SkinModel frontSkinOf(const Case& c) {
  const engine::RgbImage front = core::samplePortraitWithHair(kW, kH, c.fitzpatrick, 7, c.hair);
  return analysePhoto(sharedFaceFinder(), front, core::defaultGuide(kW, kH)).skin;
}

// Mean CIELAB L* over a region: over a disc this wide, the mean is what is seen at distance.
// The region's lightness seen at distance (CIELAB L* of its mean luminance): the eye averages
// the light of the dots and the skin between them, not their lightnesses (a mean of per-pixel
// L* counts each dark dot several L* too dark).
double meanLightness(const engine::RgbImage& img, const engine::GrayImage& region) {
  double sum = 0;
  long n = 0;
  for (std::size_t i = 0; i < region.pixels.size(); ++i) {
    if (region.pixels[i] < 128) continue;
    const std::uint8_t* p = &img.pixels[i * 3];
    sum += engine::relativeLuminance(engine::srgbToLinear(p[0]), engine::srgbToLinear(p[1]),
                                     engine::srgbToLinear(p[2]));
    ++n;
  }
  return n ? engine::lightnessFromY(sum / static_cast<double>(n)) : 0;
}

// `mask` grown by `radius` pixels (a square): a separable maximum, across then down.
engine::GrayImage grown(const engine::GrayImage& mask, int radius) {
  const auto pass = [radius](const engine::GrayImage& in, bool across) {
    engine::GrayImage out = in;
    const int extent = across ? in.width : in.height;
    for (int y = 0; y < in.height; ++y)
      for (int x = 0; x < in.width; ++x) {
        const int at = across ? x : y;
        std::uint8_t m = 0;
        for (int k = std::max(0, at - radius); k <= std::min(extent - 1, at + radius); ++k)
          m = std::max(m, across ? in.at(k, y) : in.at(x, k));
        out.at(x, y) = m;
      }
    return out;
  };
  return pass(pass(mask, true), false);
}

std::filesystem::path outDir() {
  const auto dir = std::filesystem::path(SMP_BINARY_DIR) / "top-view";
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(TopOfHead, OutlineScaleAndHairAreFoundOnEverySkinTypeAndHairColour) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    engine::GrayImage hairTruth, headTruth;
    const engine::RgbImage top =
        core::sampleTopOfHead(kW, kH, c.fitzpatrick, 7, c.hair, &hairTruth, &headTruth);
    const PhotoAnalysis a = analyseTopPhoto(top, core::defaultGuide(kW, kH), frontSkinOf(c));
    const engine::FaceGeometry& g = a.analysis.geometry;
    EXPECT_EQ(g.view, engine::HeadView::kTop);
    EXPECT_EQ(a.face.messageKey, "") << "no face is expected from above: nothing to tell";
    const Overlap head = overlap(headTruth, a.analysis.layers.head);
    EXPECT_GT(head.recall, 0.95);
    EXPECT_GT(head.precision, 0.95);
    // The mannequin's skull is 152 mm wide.
    const double truePxPerMm = 2 * core::defaultGuide(kW, kH).radiusX * 0.97 / 152.0;
    EXPECT_NEAR(g.pxPerMm / truePxPerMm, 1.0, 0.08);
    // The hairline's middle lies on the head's front half, toward the lower edge.
    EXPECT_GT(g.hairline.frontY, g.skull.centerY + 0.4 * g.skull.radiusY);
    EXPECT_LT(g.hairline.frontY, g.skull.centerY + g.skull.radiusY);
    const Overlap hair = overlap(hairTruth, a.analysis.layers.hair);
    std::cout << c.name << ": hair recall " << hair.recall << ", precision " << hair.precision
              << "\n";
    // Black hair on type VI skin too (it is the skin's colour in deep shadow: recall was 0.05).
    EXPECT_GT(hair.recall, 0.90) << "hair pixels found";
    EXPECT_GT(hair.precision, 0.90) << "hair pixels right";
    imageio::saveRgb((outDir() / (std::string(c.name) + "-photo.png")).string(), top);
    imageio::writeFileAtomically((outDir() / (std::string(c.name) + "-hair.png")).string(),
                                 imageio::encodeGray(a.analysis.layers.hair));
  }
}

TEST(TopOfHead, ThePreviewChangesOnlyTheHeadAndDarkensTheBareCrownLikeTheSides) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    engine::GrayImage hairTruth, headTruth;
    const engine::RgbImage top =
        core::sampleTopOfHead(kW, kH, c.fitzpatrick, 7, c.hair, &hairTruth, &headTruth);
    engine::PreviewParams p;
    p.hairline = engine::HairlineStyle::kSoft;
    p.fitzpatrick = c.fitzpatrick;
    PhotoAnalysis a;
    const engine::PreviewResult r =
        renderAutomaticTopPreview(top, core::defaultGuide(kW, kH), frontSkinOf(c), p, &a);
    imageio::saveRgb((outDir() / (std::string(c.name) + "-preview.png")).string(), r.image);
    imageio::writeFileAtomically((outDir() / (std::string(c.name) + "-head-truth.png")).string(),
                                 imageio::encodeGray(headTruth));
    ASSERT_FALSE(r.dots.empty());
    // Nothing changes off the head (the wall, the shoulders, the tops of the ears) farther
    // than 2 mm from its true outline: the segmentation works at 0.75 px/mm, so its edge is
    // exact to about a working pixel (1.33 mm), and a dot's soft edge reaches a little past it.
    const engine::FaceGeometry& g = a.analysis.geometry;
    const engine::GrayImage nearHead = grown(headTruth, static_cast<int>(std::ceil(2 * g.pxPerMm)));
    long changedOff = 0, changedNear = 0;
    for (std::size_t i = 0; i < headTruth.pixels.size(); ++i) {
      if (headTruth.pixels[i]) continue;
      bool changed = false;
      for (int k = 0; k < 3; ++k)
        changed |= std::abs(r.image.pixels[i * 3 + k] - top.pixels[i * 3 + k]) > 2;
      (nearHead.pixels[i] ? changedNear : changedOff) += changed;
    }
    EXPECT_EQ(changedOff, 0);
    std::cout << c.name << ": " << changedNear << " pixels changed within 2 mm outside the head\n";
    // The bare crown (a disc around the head's middle), seen at distance, darkens as the
    // engine's range for this skin type says.
    engine::GrayImage crown(kW, kH, 0);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        const double dx = (x - g.skull.centerX) / g.skull.radiusX,
                     dy = (y - g.skull.centerY) / g.skull.radiusY;
        if (dx * dx + dy * dy < 0.35 * 0.35) crown.at(x, y) = 255;
      }
    const double before = meanLightness(top, crown), after = meanLightness(r.image, crown);
    const auto [darkest, lightest] = engine::deltaLRange(c.fitzpatrick);
    std::cout << c.name << ": the bare crown changes by " << after - before << " L*\n";
    // The tone is planned for the whole zone, the client's own clipped fringe with it, and
    // stays in the range; the fringe is dark already and darkened less by the same ink, so
    // the bare crown goes a little beyond the zone's mean to match it (black hair on type IV
    // skin: the crown 16.2 L* darker, the zone 14).
    EXPECT_GE(r.targetDeltaL, darkest);
    EXPECT_LE(r.targetDeltaL, lightest);
    EXPECT_GE(after - before, darkest - 3) << "too dark";
    EXPECT_LE(after - before, lightest) << "too light to read as hair";
    std::cout << c.name << ": shade from the sides " << r.shadeFromSides << "\n";
    // Type VI: with the front photo's skin the calibrated default sets the shade here (the
    // clipped black fringe is not sampled as sides); printed, not required.
    if (c.fitzpatrick < 6) {
      EXPECT_TRUE(r.shadeFromSides) << "the fringe along the sides and back sets the shade";
    }
  }
}

TEST(TopOfHead, WithoutTheFrontPhotoTheSkinIsTakenFromTheCrown) {
  engine::GrayImage hairTruth;
  const Case& c = kCases[1];
  const engine::RgbImage top = core::sampleTopOfHead(kW, kH, c.fitzpatrick, 7, c.hair, &hairTruth);
  const PhotoAnalysis a = analyseTopPhoto(top, core::defaultGuide(kW, kH), SkinModel{});
  const Overlap hair = overlap(hairTruth, a.analysis.layers.hair);
  EXPECT_GT(hair.recall, 0.85);
  EXPECT_GT(hair.precision, 0.85);
}

TEST(TopOfHead, TheSamePhotoGivesTheSameLayersAndAnEmptyOneIsRefused) {
  const engine::RgbImage top = core::sampleTopOfHead(640, 480, 5, 3, {30, 25, 22, 2});
  const auto guide = core::defaultGuide(640, 480);
  const PhotoAnalysis a = analyseTopPhoto(top, guide, SkinModel{});
  const PhotoAnalysis b = analyseTopPhoto(top, guide, SkinModel{});
  EXPECT_EQ(a.analysis.layers.hair.pixels, b.analysis.layers.hair.pixels);
  EXPECT_EQ(a.analysis.layers.scalpZone.pixels, b.analysis.layers.scalpZone.pixels);
  EXPECT_THROW(analyseTopPhoto(engine::RgbImage{}, guide, SkinModel{}), std::invalid_argument);
  // A wall with no head: no zone at all, so the preview changes nothing.
  engine::RgbImage wall(640, 480);
  std::fill(wall.pixels.begin(), wall.pixels.end(), 180);
  const PhotoAnalysis none = analyseTopPhoto(wall, guide, SkinModel{});
  long zone = 0;
  for (auto v : none.analysis.layers.scalpZone.pixels) zone += v > 0;
  EXPECT_LT(zone, 640 * 480 / 50) << "a plain wall is not a head";
}

}  // namespace
}  // namespace smp::vision
