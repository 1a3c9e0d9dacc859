// Guide geometry: the mask covers the head outline and nothing outside it.
#include "app/core/head_guide.h"

#include <gtest/gtest.h>

namespace smp::core {
namespace {

TEST(HeadGuide, MaskIsInsideTheEllipseOnly) {
  const HeadGuide g = defaultGuide(640, 480);
  const engine::GrayImage m = scalpMask(g, 640, 480);
  EXPECT_EQ(m.at(static_cast<int>(g.centerX), static_cast<int>(g.centerY)), 255);
  EXPECT_EQ(m.at(5, 5), 0);
  EXPECT_EQ(m.at(static_cast<int>(g.centerX + g.radiusX + 3), static_cast<int>(g.centerY)), 0);
}

TEST(HeadGuide, HairlineSitsInTheUpperThirdOfTheHead) {
  const HeadGuide g = defaultGuide(640, 480);
  const auto h = hairlineFromGuide(g);
  const double top = g.centerY - g.radiusY;
  EXPECT_GT(h.frontY, top);
  EXPECT_LT(h.frontY, top + 2 * g.radiusY / 3);
  EXPECT_NEAR(pxPerMmFromGuide(g) * 150, 2 * g.radiusX, 1e-9);
}

}  // namespace
}  // namespace smp::core
