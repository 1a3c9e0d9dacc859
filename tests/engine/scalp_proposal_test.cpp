// Scalp proposal: skin in, background out, hair above the eyes partly in; hairline by thirds.
#include "engine/scalp_proposal.h"

#include <gtest/gtest.h>

#include "engine/engine_error.h"

namespace smp::engine {
namespace {

// Skin-coloured head, a band of dark hair on top, a blue wall; one wall-coloured patch inside
// the outline (as when the guide is framed generously).
RgbImage scene() {
  RgbImage img(400, 400);
  for (int y = 0; y < 400; ++y)
    for (int x = 0; x < 400; ++x) {
      auto* p = img.at(x, y);
      const double dx = (x - 200) / 120.0, dy = (y - 200) / 160.0;
      const bool head = dx * dx + dy * dy < 0.9 * 0.9;
      if (head && y < 110) {
        p[0] = 60;
        p[1] = 45;
        p[2] = 35;  // short dark hair
      } else if (head) {
        p[0] = 205;
        p[1] = 160;
        p[2] = 135;  // skin
      } else {
        p[0] = 90;
        p[1] = 120;
        p[2] = 170;  // wall
      }
    }
  return img;
}

TEST(ScalpProposal, SkinInWallOutHairPartly) {
  const RgbImage img = scene();
  const ScalpProposal p = proposeScalp(img, {200, 200, 120, 160});
  EXPECT_GT(p.skinSampleCount, 1000);
  EXPECT_EQ(p.mask.at(200, 150), 255) << "forehead skin";
  EXPECT_EQ(p.mask.at(10, 10), 0) << "wall outside";
  EXPECT_EQ(p.mask.at(305, 90), 0) << "wall inside the outline";
  EXPECT_GT(p.mask.at(200, 80), 60) << "hair above the eyes takes some pigment";
  EXPECT_LT(p.mask.at(200, 80), 220);
}

TEST(ScalpProposal, HairlineByFacialThirds) {
  const HeadEllipse head{500, 500, 150, 200};
  const HairlinePlacement h = hairlineFromHead(head);
  EXPECT_NEAR(h.centerX, 500, 1e-9);
  // Glabella at 486, chin at 700: a third of the face above the glabella.
  EXPECT_NEAR(h.frontY, 486 - (700 - 486) / 2.0, 1e-6);
  EXPECT_LT(h.frontY, 500 - 0.5 * 200);
  EXPECT_NEAR(pxPerMmFromHead(head), 2.0, 1e-9);
}

TEST(ScalpProposal, RejectsAnOutlineThatMissesThePhoto) {
  const RgbImage img = scene();
  EXPECT_THROW(proposeScalp(img, {2000, 2000, 100, 100}), EngineError);
  EXPECT_THROW(proposeScalp(RgbImage(), {1, 1, 10, 10}), EngineError);
}

}  // namespace
}  // namespace smp::engine
