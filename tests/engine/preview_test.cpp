// The engine's front door: validation messages, mask containment, determinism, compositing.
#include "engine/preview.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/engine_error.h"

namespace smp::engine {
namespace {

RgbImage flatPhoto(int w, int h, std::uint8_t r = 200, std::uint8_t g = 170, std::uint8_t b = 150) {
  RgbImage img(w, h);
  for (std::size_t i = 0; i < img.pixels.size(); i += 3) {
    img.pixels[i] = r;
    img.pixels[i + 1] = g;
    img.pixels[i + 2] = b;
  }
  return img;
}

std::string errorFor(const PreviewInput& in, const PreviewParams& p) {
  try {
    validate(in, p);
  } catch (const EngineError& e) {
    return e.what();
  }
  return "";
}

TEST(Preview, RejectsBadInputWithNamedValueAndRange) {
  const RgbImage photo = flatPhoto(64, 64);
  PreviewParams p;
  EXPECT_EQ(errorFor({&photo}, p), "");
  p.densityPerCm2 = 300;
  EXPECT_EQ(errorFor({&photo}, p), "density 300 is out of range: valid 40-160 impressions per cm2");
  p = {};
  p.dotDiameterMm = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(errorFor({&photo}, p).find("dot diameter nan is out of range: valid 0.1-0.4 mm"),
            std::string::npos);
  p = {};
  p.sessionStage = 4;
  EXPECT_NE(errorFor({&photo}, p).find("session stage 4"), std::string::npos);
  p = {};
  p.yearsSinceSession = -1;
  EXPECT_NE(errorFor({&photo}, p).find("valid 0-10 years"), std::string::npos);

  const RgbImage empty;
  EXPECT_EQ(errorFor({&empty}, {}), "photo is empty");
  const RgbImage tiny = flatPhoto(8, 8);
  EXPECT_NE(errorFor({&tiny}, {}).find("too small"), std::string::npos);
  RgbImage huge;
  huge.width = 9000;
  huge.height = 20;
  EXPECT_NE(errorFor({&huge}, {}).find("too large, the limit is 8192 px a side"),
            std::string::npos);
  const GrayImage wrongMask(32, 64, 255);
  EXPECT_EQ(errorFor({&photo, &wrongMask}, {}), "mask is 32x64 but the photo is 64x64");
}

TEST(Preview, DotsNeverFallOutsideTheMask) {
  const RgbImage photo = flatPhoto(400, 300);
  GrayImage mask(400, 300, 0);
  for (int y = 50; y < 250; ++y)
    for (int x = 100; x < 300; ++x) mask.at(x, y) = 255;
  PreviewParams p;
  p.pxPerMm = 8;
  const auto dots = placeDots({&photo, &mask}, p);
  // 200x200 px at 8 px/mm = 625 mm2 at 1 impression per mm2.
  EXPECT_NEAR(static_cast<double>(dots.size()), 625.0, 625.0 * 0.06);
  for (const Dot& d : dots) {
    EXPECT_GT(mask.at(static_cast<int>(d.x), static_cast<int>(d.y)), 0) << d.x << "," << d.y;
  }
}

TEST(Preview, PhysicalScaleSetsTheCount) {
  const RgbImage photo = flatPhoto(400, 400);
  PreviewParams p;
  p.pxPerMm = 10;  // 40 x 40 mm = 16 cm2
  p.densityPerCm2 = 100;
  const double n = static_cast<double>(placeDots({&photo}, p).size());
  EXPECT_NEAR(n, 1600, 1600 * 0.04);
  p.densityPerCm2 = 50;
  EXPECT_NEAR(static_cast<double>(placeDots({&photo}, p).size()), 800, 800 * 0.06);
}

TEST(Preview, SessionStagesAreNested) {
  const RgbImage photo = flatPhoto(300, 300);
  PreviewParams p;
  p.pxPerMm = 8;
  std::size_t previous = 0;
  for (int stage = 1; stage <= 3; ++stage) {
    p.sessionStage = stage;
    const auto dots = placeDots({&photo}, p);
    EXPECT_GT(dots.size(), previous);
    for (const Dot& d : dots) EXPECT_LE(d.session, stage);
    previous = dots.size();
  }
}

TEST(Preview, SameInputsAndSeedGiveIdenticalBytes) {
  const RgbImage photo = flatPhoto(200, 200);
  PreviewParams p;
  p.hairline = HairlineStyle::kBroken;
  p.seed = 9;
  const auto a = renderPreview({&photo}, p), b = renderPreview({&photo}, p);
  EXPECT_EQ(a.image.pixels, b.image.pixels);
  p.seed = 10;
  EXPECT_NE(renderPreview({&photo}, p).image.pixels, a.image.pixels);
}

TEST(Preview, PigmentDarkensMultiplicativelyWithBlueCast) {
  for (std::uint8_t base : {230, 90}) {  // light and dark skin
    const RgbImage photo = flatPhoto(200, 200, base, base, base);
    PreviewParams p;
    p.pxPerMm = 8;
    p.dotDiameterMm = 0.4;
    const auto result = renderPreview({&photo}, p);
    int darkest = 255;
    long sumR = 0, sumB = 0;
    for (std::size_t i = 0; i < result.image.pixels.size(); i += 3) {
      darkest = std::min<int>(darkest, result.image.pixels[i]);
      sumR += result.image.pixels[i];
      sumB += result.image.pixels[i + 2];
    }
    EXPECT_LT(darkest, base * 0.5) << "dots must be visible on base " << int(base);
    EXPECT_GT(sumB, sumR) << "carbon black under skin reads slightly blue";
  }
}

TEST(Preview, AgingFadesAndNeverDarkens) {
  const RgbImage photo = flatPhoto(200, 200);
  PreviewParams p;
  p.pxPerMm = 8;
  const auto fresh = placeDots({&photo}, p);
  p.yearsSinceSession = 10;
  const auto aged = placeDots({&photo}, p);
  ASSERT_EQ(fresh.size(), aged.size());
  double freshOpacity = 0, agedOpacity = 0, freshSize = 0, agedSize = 0;
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    freshOpacity += fresh[i].opacity;
    agedOpacity += aged[i].opacity;
    freshSize += fresh[i].diameterPx;
    agedSize += aged[i].diameterPx;
  }
  EXPECT_LT(agedOpacity, freshOpacity * 0.6);
  EXPECT_EQ(agedSize, freshSize) << "ink spreads by blur (mass conserved), not by bigger dots";
  // The composite: ten years on, the photo is lighter than just after the sessions.
  p.yearsSinceSession = 0;
  const auto now = renderPreview({&photo}, p);
  p.yearsSinceSession = 10;
  p.inkStrength = now.inkStrength;
  const auto later = renderPreview({&photo}, p);
  double sumNow = 0, sumLater = 0;
  for (std::size_t i = 0; i < photo.pixels.size(); ++i) {
    sumNow += now.image.pixels[i];
    sumLater += later.image.pixels[i];
  }
  EXPECT_GT(sumLater, sumNow);
}

// A scar or patch marked by touch takes pigment even in front of the hairline (where nothing
// else may go), lighter than the skin around it would (scar tissue takes pigment unevenly),
// and nothing outside the marks changes because of them.
TEST(PreviewMarks, AMarkedPatchInFrontOfTheHairlineTakesPigment) {
  const RgbImage photo = flatPhoto(400, 400);
  PreviewParams p;
  p.pxPerMm = 8;
  p.hairline = HairlineStyle::kSharp;
  p.hairlinePlacement = HairlinePlacement{200, 100, 120};  // everything below y 100 is forehead
  auto inPatch = [](const Dot& d) { return std::hypot(d.x - 200, d.y - 300) < 40; };
  auto count = [&](const std::vector<Dot>& dots) {
    return std::count_if(dots.begin(), dots.end(), inPatch);
  };
  const auto unmarked = placeDots({&photo}, p);
  EXPECT_EQ(count(unmarked), 0);
  p.marks = {MarkStroke{{{200, 300}}, 40}};  // a 10 mm disc, 78 mm2
  const PreviewResult marked = renderPreview({&photo}, p);
  EXPECT_NEAR(static_cast<double>(count(marked.dots)), 78.5, 78.5 * 0.25);
  for (const Dot& d : marked.dots) {
    if (inPatch(d)) {
      EXPECT_LT(d.opacity, 0.85f);  // lighter than on plain skin (0.85-1.0)
    }
  }
  // Away from the mark the render is as before.
  const PreviewResult plain = renderPreview({&photo}, [&] {
    PreviewParams q = p;
    q.marks.clear();
    return q;
  }());
  EXPECT_EQ(plain.image.at(200, 40)[0], marked.image.at(200, 40)[0]);
  EXPECT_EQ(plain.image.at(30, 300)[0], photo.at(30, 300)[0]);
}

TEST(PreviewMarks, StrokesAreRasterisedAsCapsulesAndValidated) {
  const GrayImage map = rasterizeMarks({MarkStroke{{{10, 10}, {90, 10}}, 5}}, 100, 30);
  EXPECT_EQ(map.at(50, 10), 255);  // on the segment
  EXPECT_EQ(map.at(50, 20), 0);    // beyond the radius
  EXPECT_EQ(map.at(3, 10), 0);     // beyond the cap at the start
  EXPECT_EQ(map.at(7, 10), 255);   // within the cap
  const RgbImage photo = flatPhoto(64, 64);
  PreviewParams p;
  p.marks = {MarkStroke{{}, 5}};
  EXPECT_NE(errorFor({&photo}, p).find("marked stroke 0 must have 1-512 points"),
            std::string::npos);
  p.marks = {MarkStroke{{{1, 1}}, 0.5}};
  EXPECT_NE(errorFor({&photo}, p).find("radius of 1-1000 px"), std::string::npos);
  p.marks = {MarkStroke{{{std::numeric_limits<double>::infinity(), 1}}, 5}};
  EXPECT_NE(errorFor({&photo}, p).find("not finite"), std::string::npos);
  p.marks.assign(kMaxMarkStrokes + 1, MarkStroke{{{1, 1}}, 5});
  EXPECT_NE(errorFor({&photo}, p).find("at most 64"), std::string::npos);
}

// Scalp added and removed by touch: the automatic zone (here a mask over the top half) gives way
// to the finger, later strokes win, and where scalp was removed the photo shows as it is.
TEST(PreviewZoneEdits, AddedScalpTakesPigmentAndRemovedScalpIsLeftAsItIs) {
  const RgbImage photo = flatPhoto(400, 400);
  GrayImage mask(400, 400, 0);
  for (int y = 0; y < 200; ++y)
    for (int x = 0; x < 400; ++x) mask.pixels[static_cast<std::size_t>(y) * 400 + x] = 255;
  PreviewParams p;
  p.pxPerMm = 8;
  PreviewInput in{&photo};
  in.mask = &mask;
  auto near = [](const Dot& d, double cx, double cy) {
    return std::hypot(d.x - cx, d.y - cy) < 30;
  };
  auto count = [&](const std::vector<Dot>& dots, double cx, double cy) {
    return std::count_if(dots.begin(), dots.end(), [&](const Dot& d) { return near(d, cx, cy); });
  };
  const PreviewResult automatic = renderPreview(in, p);
  ASSERT_GT(count(automatic.dots, 200, 100), 25) << "the zone takes dots before any edit";  // ~44
  ASSERT_EQ(count(automatic.dots, 200, 300), 0);

  p.marks = {MarkStroke{{{200, 100}}, 40, MarkKind::kRemoveScalp},
             MarkStroke{{{200, 300}}, 40, MarkKind::kAddScalp}};
  const PreviewResult edited = renderPreview(in, p);
  EXPECT_EQ(count(edited.dots, 200, 100), 0) << "no dot where scalp was removed";
  EXPECT_GT(count(edited.dots, 200, 300), 25) << "dots where scalp was added";
  for (int y = 75; y < 125; ++y) {
    for (int x = 175; x < 225; ++x) {
      for (int c = 0; c < 3; ++c)
        ASSERT_LE(std::abs(edited.image.at(x, y)[c] - photo.at(x, y)[c]), 2);
    }
  }
  EXPECT_LT(edited.image.at(200, 300)[0] + 0, photo.at(200, 300)[0] + 0) << "darker where added";

  // A later stroke wins: removing what was added leaves it untouched again.
  p.marks.push_back(MarkStroke{{{200, 300}}, 40, MarkKind::kRemoveScalp});
  EXPECT_EQ(count(renderPreview(in, p).dots, 200, 300), 0);
}

TEST(PreviewZoneEdits, EditsApplyInOrderAndTwiceIsOnce) {
  GrayImage zone(100, 40, 0);
  const std::vector<MarkStroke> edits = {MarkStroke{{{20, 20}, {80, 20}}, 8, MarkKind::kAddScalp},
                                         MarkStroke{{{50, 20}}, 8, MarkKind::kRemoveScalp}};
  applyZoneEdits(zone, edits);
  EXPECT_EQ(zone.at(25, 20), 255);
  EXPECT_EQ(zone.at(50, 20), 0) << "the later removal wins";
  EXPECT_EQ(zone.at(50, 36), 0) << "beyond the brush";
  GrayImage again = zone;
  applyZoneEdits(again, edits);
  EXPECT_EQ(again.pixels, zone.pixels);
  // Scalp edits are not scars: the scar map leaves them out.
  EXPECT_EQ(rasterizeMarks(edits, 100, 40).at(25, 20), 0);
  EXPECT_TRUE(hasZoneEdits(edits));
  EXPECT_FALSE(hasZoneEdits({MarkStroke{{{1, 1}}, 5}}));
  EXPECT_EQ(zoneEditsOf(edits).size(), edits.size());
  std::vector<MarkStroke> mixed = edits;
  mixed.insert(mixed.begin(), MarkStroke{{{1, 1}}, 5});  // a scar mark first
  ASSERT_EQ(zoneEditsOf(mixed).size(), edits.size());
  EXPECT_EQ(zoneEditsOf(mixed)[0].kind, edits[0].kind);
  for (MarkKind k : {MarkKind::kScar, MarkKind::kAddScalp, MarkKind::kRemoveScalp})
    EXPECT_EQ(parseMarkKind(markKindName(k)), k);
  EXPECT_FALSE(parseMarkKind("paint").has_value());
}

}  // namespace
}  // namespace smp::engine
