// Hairline templates: names round-trip, shapes differ as the domain says, falloff is monotonic.
#include "engine/hairline.h"

#include <gtest/gtest.h>

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

TEST(Hairline, FullAboveFadingBelowZeroOnFace) {
  const Hairline h = makeHairline(HairlineStyle::kSoft, kPlacement, 8);
  const double line = h.curveY(500);
  EXPECT_EQ(h.densityFactor(500, line - 10), 1.0);
  const double a = h.densityFactor(500, line + 20), b = h.densityFactor(500, line + 100);
  EXPECT_GT(a, b);
  EXPECT_GT(b, 0.0);
  EXPECT_EQ(h.densityFactor(500, line + 25 * 8 + 1), 0.0);  // soft: 25 mm transition
}

TEST(Hairline, SharpHasShorterTransitionThanSoft) {
  const Hairline soft = makeHairline(HairlineStyle::kSoft, kPlacement, 8);
  const Hairline sharp = makeHairline(HairlineStyle::kSharp, kPlacement, 8);
  EXPECT_LT(sharp.transitionDepthPx, soft.transitionDepthPx / 3);
}

TEST(Hairline, MatureSitsHigherAndTemplesRecede) {
  const Hairline soft = makeHairline(HairlineStyle::kSoft, kPlacement, 8);
  const Hairline mature = makeHairline(HairlineStyle::kMature, kPlacement, 8);
  EXPECT_LT(mature.curveY(500), soft.curveY(500) - 8 * 10);  // > 1 cm higher at the front
  EXPECT_LT(mature.curveY(700), mature.curveY(500));         // temples higher than the centre
}

TEST(Hairline, WidowsPeakDipsAtTheCentre) {
  const Hairline h = makeHairline(HairlineStyle::kWidowsPeak, kPlacement, 8);
  EXPECT_GT(h.curveY(500), h.curveY(500 + 0.3 * 200) + 8 * 3);
}

}  // namespace
}  // namespace smp::engine
