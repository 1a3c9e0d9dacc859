// Guide placement and what the engine proposes from it on a generated portrait.
#include "app/core/head_guide.h"

#include <gtest/gtest.h>

#include "app/core/sample_portrait.h"

namespace smp::core {
namespace {

TEST(HeadGuide, SitsInsideTheFrame) {
  const HeadGuide g = defaultGuide(1280, 960);
  EXPECT_GT(g.centerY - g.radiusY, 0);
  EXPECT_LT(g.centerY + g.radiusY, 960);
  EXPECT_NEAR(g.centerX, 640, 1e-9);
}

TEST(HeadGuide, ProposalCoversTheCrownNotTheBackground) {
  const auto photo = samplePortrait(640, 480, 4, 1);
  const HeadGuide g = defaultGuide(640, 480);
  const auto p = engine::proposeScalp(photo, g);
  EXPECT_GT(p.skinSampleCount, 100);
  EXPECT_GT(p.mask.at(320, static_cast<int>(g.centerY - 0.6 * g.radiusY)), 200) << "crown";
  EXPECT_EQ(p.mask.at(5, 5), 0) << "background corner";
  EXPECT_EQ(p.mask.at(static_cast<int>(g.centerX + g.radiusX * 0.9),
                      static_cast<int>(g.centerY - g.radiusY * 0.8)),
            0)
      << "background inside the ellipse's corner";
}

}  // namespace
}  // namespace smp::core
