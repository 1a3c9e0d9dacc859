// Placement quality against the targets: blue-noise spacing without lattice order on
// uniform patches, density fidelity on a ramp, mask edges, nested sessions, determinism.
#include "engine/stipple.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/metrics.h"

namespace smp::engine {
namespace {

std::vector<Point2> toPoints(const std::vector<PlacedPoint>& placed, int maxSession = 3) {
  std::vector<Point2> out;
  for (const auto& p : placed) {
    if (p.session <= maxSession) out.push_back({p.x, p.y});
  }
  return out;
}

PlacementRequest uniform(int w, int h, double pxPerMm, double perCm2, std::uint64_t seed = 1) {
  PlacementRequest r;
  r.field.width = w;
  r.field.height = h;
  r.x1 = w;
  r.y1 = h;
  r.pxPerMm = pxPerMm;
  r.densityPerMm2 = perCm2 / 100.0;
  r.seed = seed;
  return r;
}

class UniformPatch : public ::testing::TestWithParam<double> {};

TEST_P(UniformPatch, MeetsSpacingTargetsWithoutLatticeOrder) {
  const double perCm2 = GetParam();
  const auto r = uniform(1500, 1500, 10, perCm2, 7);  // 150 x 150 mm
  const auto pts = toPoints(placePoints(r));
  const double expected = perCm2 / 100.0 * 150 * 150;
  EXPECT_NEAR(static_cast<double>(pts.size()), expected, expected * 0.02);
  const double lambda = static_cast<double>(pts.size()) / (1500.0 * 1500.0);
  const SpacingStats s = measureSpacing(
      pts, 1500, 1500, [&](double, double) { return lambda; }, 30);
  EXPECT_GE(s.gmd, 0.75) << perCm2 << " per cm2";
  EXPECT_GE(s.amd, 0.85) << perCm2 << " per cm2";
  const LatticeOrder order = measureLatticeOrder(pts, 1500, 1500, 30);
  EXPECT_LT(order.globalPsi6, 0.05) << "no shared lattice orientation";
  EXPECT_LT(order.localPsi6, 0.65) << "neighbourhoods are not hexagonal crystals";
}

INSTANTIATE_TEST_SUITE_P(Densities, UniformPatch, ::testing::Values(40.0, 100.0, 160.0));

TEST(Stipple, SessionPrefixesAreStillBlueNoise) {
  auto r = uniform(1500, 1500, 10, 100, 3);
  for (int stage = 1; stage <= 2; ++stage) {
    r.sessionStage = stage;
    const auto pts = toPoints(placePoints(r));
    const double lambda = static_cast<double>(pts.size()) / (1500.0 * 1500.0);
    const SpacingStats s = measureSpacing(
        pts, 1500, 1500, [&](double, double) { return lambda; }, 30);
    // Prefixes of the farthest-point order: well spread, if less even than the full set.
    EXPECT_GE(s.gmd, 0.5) << "stage " << stage;
    EXPECT_GE(s.amd, 0.72) << "stage " << stage;
    EXPECT_LT(measureLatticeOrder(pts, 1500, 1500, 30).globalPsi6, 0.05);
  }
}

TEST(Stipple, LinearRampCountsWithinTwoPercentInEveryBin) {
  constexpr int kW = 4000, kH = 2000;  // 400 x 200 mm at 10 px/mm
  std::vector<std::uint8_t> ramp(static_cast<std::size_t>(kW) * kH);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      ramp[static_cast<std::size_t>(y) * kW + x] = static_cast<std::uint8_t>(26 + 229 * x / kW);
  auto r = uniform(kW, kH, 10, 100, 11);
  r.field.densityMap = ramp.data();
  const auto pts = placePoints(r);
  constexpr int kBins = 10;
  double expected[kBins] = {};
  for (int x = 0; x < kW; ++x)
    expected[x * kBins / kW] += ramp[static_cast<std::size_t>(x)] / 255.0 * kH;
  int counts[kBins] = {};
  for (const auto& p : pts) ++counts[std::min(kBins - 1, static_cast<int>(p.x * kBins / kW))];
  for (int b = 0; b < kBins; ++b) {
    const double e = expected[b] * 1.0 / (10.0 * 10.0);  // impressions per px^2 at 1 per mm^2
    EXPECT_NEAR(counts[b], e, 0.02 * e) << "bin " << b;
  }
}

TEST(Stipple, DotsStayInsideAMaskAndFillItEvenlyToTheEdge) {
  constexpr int kW = 800, kH = 800;
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(kW) * kH, 0);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      const double dx = x + 0.5 - 400, dy = y + 0.5 - 400;
      if (dx * dx + dy * dy < 350.0 * 350.0) mask[static_cast<std::size_t>(y) * kW + x] = 255;
    }
  auto r = uniform(kW, kH, 10, 100, 5);
  r.field.mask = mask.data();
  const auto pts = placePoints(r);
  int nearEdge = 0;
  for (const auto& p : pts) {
    const double d = std::hypot(p.x - 400.0, p.y - 400.0);
    ASSERT_LT(d, 350.0 + 1.0) << "outside the mask";
    if (d > 330) ++nearEdge;
  }
  const double ringArea = 3.14159265 * (350.0 * 350 - 330.0 * 330) / 100.0;  // mm^2
  EXPECT_NEAR(nearEdge, ringArea, ringArea * 0.1) << "the edge is not thinned out";
}

// Session 1 lays 40 % of the finished dots, session 2 brings them to 75 %, session 3 the rest.
TEST(Stipple, SessionsAreNestedAndBuildUp) {
  auto r = uniform(1000, 1000, 10, 100);
  const auto all = placePoints(r);
  int perSession[4] = {};
  for (const auto& p : all) ++perSession[p.session];
  const double n = static_cast<double>(all.size());
  const double expected[4] = {0, 0.40 * n, 0.35 * n, 0.25 * n};
  for (int s = 1; s <= 3; ++s) {
    EXPECT_NEAR(perSession[s], expected[s], expected[s] * 0.03) << "session " << s;
  }
  r.sessionStage = 2;
  const auto two = placePoints(r);
  EXPECT_EQ(static_cast<int>(two.size()), perSession[1] + perSession[2]);
  for (std::size_t i = 0, j = 0; i < two.size(); ++i) {  // same order: a subset, point by point
    while (j < all.size() && all[j].id != two[i].id) ++j;
    ASSERT_LT(j, all.size()) << "session 2 holds a dot session 3 does not";
    EXPECT_EQ(all[j].x, two[i].x);
  }
}

TEST(Stipple, DensityBuildsUpBehindTheLineAndNothingInFront) {
  std::vector<float> line(1000, 500.0f);
  auto r = uniform(1000, 1000, 10, 100);
  r.field.hairlineY = line.data();
  r.field.transitionPx = 80;  // 8 mm: the ramp spans 10 mm behind the line
  const auto pts = placePoints(r);
  int full = 0, rampNear = 0, rampFar = 0, front = 0;
  for (const auto& p : pts) {
    if (p.y < 300)
      ++full;
    else if (p.y >= 400 && p.y < 450)
      ++rampFar;
    else if (p.y >= 450 && p.y < 500)
      ++rampNear;
    else if (p.y >= 500)
      ++front;
  }
  EXPECT_NEAR(full, 3000, 80);       // 100 x 30 mm at full density
  EXPECT_GT(rampFar, 2 * rampNear);  // denser further behind the line
  EXPECT_GT(rampNear, 0);
  EXPECT_EQ(front, 0);  // in front of the line: the forehead
}

TEST(Stipple, SameSeedSameDotsOtherSeedOtherDots) {
  const auto r = uniform(300, 300, 8, 100, 42);
  const auto a = placePoints(r), b = placePoints(r);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].x, b[i].x);
    EXPECT_EQ(a[i].y, b[i].y);
  }
  const auto c = placePoints(uniform(300, 300, 8, 100, 43));
  EXPECT_TRUE(c.size() != a.size() || c[0].x != a[0].x);
}

TEST(Stipple, CancelledPlacementReturnsNothing) {
  std::atomic<bool> cancel{true};
  auto r = uniform(300, 300, 8, 100);
  r.cancel = &cancel;
  EXPECT_TRUE(placePoints(r).empty());
}

TEST(Stipple, TileIsLargerThanAHead) {
  // One tile copy spans a frontal view of a scalp (at most ~180 mm wide) even at the highest
  // density, so a preview never shows the pattern repeat.
  EXPECT_GT(tileSideMm(1.6), 180.0);
  EXPECT_GT(tileSideMm(0.4), 2 * 180.0);
}

}  // namespace
}  // namespace smp::engine
