// Hairline templates: names round-trip, shapes differ as the domain says, falloff is monotonic.
#include "engine/hairline.h"

#include <gtest/gtest.h>

#include <tuple>

namespace smp::engine {
namespace {

const HairlinePlacement kPlacement{500, 400, 200};

TEST(Hairline, NamesRoundTrip) {
  for (auto s : {HairlineStyle::kNone, HairlineStyle::kSoft, HairlineStyle::kSharp,
                 HairlineStyle::kMature, HairlineStyle::kBroken, HairlineStyle::kWidowsPeak}) {
    EXPECT_EQ(parseHairlineStyle(hairlineStyleName(s)), s);
  }
  EXPECT_FALSE(parseHairlineStyle("curly").has_value());
  EXPECT_EQ(hairlineStyleNames(), "none|soft|sharp|mature|broken|widows-peak");
}

TEST(Hairline, NoneKeepsFullDensityEverywhere) {
  const Hairline h = makeHairline(HairlineStyle::kNone, kPlacement, 8);
  EXPECT_EQ(h.densityFactor(0, 0), 1.0);
  EXPECT_EQ(h.densityFactor(500, 5000), 1.0);
}

// Practitioners draw the line as the front edge: nothing in front of it, density building up
// behind it from 10 % to 90 % over 5-10 mm (soft) or 2-4 mm (sharp).
TEST(Hairline, NothingInFrontAndDensityBuildsUpBehind) {
  const Hairline h = makeHairline(HairlineStyle::kSoft, kPlacement, 8);
  const double line = h.curveY(500);
  EXPECT_EQ(h.densityFactor(500, line + 1), 0.0);  // the forehead
  const double near = h.densityFactor(500, line - 8), far = h.densityFactor(500, line - 40);
  EXPECT_GT(far, near);
  EXPECT_GT(near, 0.0);
  EXPECT_EQ(h.densityFactor(500, line - 20 * 8), 1.0);  // 2 cm behind: the defined zone
}

TEST(Hairline, TransitionWidthsAreThePractitioners) {
  for (auto [style, lo, hi] :
       {std::tuple{HairlineStyle::kSoft, 5.0, 10.0}, std::tuple{HairlineStyle::kSharp, 2.0, 4.0}}) {
    const Hairline h = makeHairline(style, kPlacement, 8);
    const double line = h.curveY(500);
    double y10 = 0, y90 = 0;  // how far behind the line density reaches 10 % and 90 %
    for (double d = 0; d < 400; d += 0.25) {
      const double f = h.densityFactor(500, line - d);
      if (y10 == 0 && f >= 0.1) y10 = d;
      if (f >= 0.9) {
        y90 = d;
        break;
      }
    }
    const double widthMm = (y90 - y10) / 8;
    EXPECT_GE(widthMm, lo) << hairlineStyleName(style);
    EXPECT_LE(widthMm, hi) << hairlineStyleName(style);
  }
}

TEST(Hairline, MatureSitsHigherAndTemplesRecede) {
  const Hairline soft = makeHairline(HairlineStyle::kSoft, kPlacement, 8);
  const Hairline mature = makeHairline(HairlineStyle::kMature, kPlacement, 8);
  EXPECT_LT(mature.curveY(500), soft.curveY(500) - 8 * 10);  // > 1 cm higher at the front
  EXPECT_LT(mature.curveY(700), mature.curveY(500));         // temples higher than the centre
}

// With a face (the brow line known) the temporal hairline turns down past the frontotemporal
// corners, so the sides above the ears are behind the line and take pigment; without one the
// line climbs clear of the face as before.
TEST(Hairline, WithAFaceTheTemporalLineTurnsDownTheSides) {
  const double drop = 8 * 45;  // corners to the brow line: 45 mm at 8 px/mm
  for (auto style : {HairlineStyle::kSoft, HairlineStyle::kSharp, HairlineStyle::kMature,
                     HairlineStyle::kBroken, HairlineStyle::kWidowsPeak}) {
    const Hairline climbing = makeHairline(style, kPlacement, 8);
    const Hairline turning = makeHairline(style, kPlacement, 8, drop);
    const double corner = turning.curveY(700);  // t = 1: the frontotemporal point
    EXPECT_NEAR(corner, climbing.curveY(700), 1e-9) << hairlineStyleName(style);
    // Half a half-width out most of the drop (7/8, less the macro waviness) is done; two
    // half-widths out all of it.
    EXPECT_GT(turning.curveY(800), corner + 0.75 * drop) << hairlineStyleName(style);
    EXPECT_NEAR(turning.controls.back().y, corner + drop, 8 * 4) << hairlineStyleName(style);
    EXPECT_NEAR(turning.controls.front().y, turning.curveY(300) + drop, 8 * 4);
    EXPECT_LT(climbing.curveY(800), corner) << hairlineStyleName(style);
    // A point on the side of the head, level with the corner's drop, is now treated.
    EXPECT_GT(turning.densityFactor(800, corner + 0.5 * drop), 0.9) << hairlineStyleName(style);
    EXPECT_EQ(climbing.densityFactor(800, corner + 0.5 * drop), 0.0) << hairlineStyleName(style);
  }
}

TEST(Hairline, WidowsPeakDipsAtTheCentre) {
  const Hairline h = makeHairline(HairlineStyle::kWidowsPeak, kPlacement, 8);
  EXPECT_GT(h.curveY(500), h.curveY(500 + 0.3 * 200) + 8 * 3);
}

}  // namespace
}  // namespace smp::engine
