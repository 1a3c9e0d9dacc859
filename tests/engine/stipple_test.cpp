// Placement quality: blue-noise spacing, density fidelity on a ramp, session layering.
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

TEST(Stipple, UniformPatchIsBlueNoise) {
  PlacementRequest r;
  r.width = r.height = 800;
  r.maxDensityPerPx2 = 0.02;
  r.density = [](double, double) { return 0.02; };
  r.seed = 11;
  const auto pts = toPoints(placePoints(r));
  const double expected = 0.02 * 800 * 800;
  EXPECT_NEAR(static_cast<double>(pts.size()), expected, expected * 0.02);
  const double lambda = static_cast<double>(pts.size()) / (800.0 * 800.0);
  const SpacingStats s = measureSpacing(
      pts, 800, 800, [&](double, double) { return lambda; }, 20);
  // First pass (thinned Bridson): clearly blue noise; far from white noise (0.47) and from a
  // lattice (1.0). Issue 3 raises this to G-MD >= 0.75, A-MD >= 0.85.
  EXPECT_GT(s.gmd, 0.60);
  EXPECT_GT(s.amd, 0.72);
  EXPECT_LT(s.amd, 0.95);
}

TEST(Stipple, LinearRampCountsFollowDensity) {
  PlacementRequest r;
  r.width = 2000;
  r.height = 1000;
  r.maxDensityPerPx2 = 0.04;
  r.density = [&](double x, double) { return 0.04 * (x / 2000.0); };
  r.seed = 5;
  const auto pts = toPoints(placePoints(r));
  constexpr int kBins = 10;
  int counts[kBins] = {};
  for (const auto& p : pts) ++counts[std::min(kBins - 1, static_cast<int>(p.x / 200.0))];
  for (int b = 0; b < kBins; ++b) {
    const double mid = (b + 0.5) * 200.0;
    const double expected = 0.04 * (mid / 2000.0) * 200.0 * 1000.0;
    // Binomial thinning: allow 4 standard deviations plus 1 %.
    const double tolerance = 4 * std::sqrt(expected) + 0.01 * expected;
    EXPECT_NEAR(counts[b], expected, tolerance) << "bin " << b;
  }
}

TEST(Stipple, ZeroDensityGivesNoPoints) {
  PlacementRequest r;
  r.width = r.height = 200;
  r.maxDensityPerPx2 = 0.02;
  r.density = [](double x, double) { return x < 100 ? 0.02 : 0.0; };
  for (const auto& p : placePoints(r)) EXPECT_LT(p.x, 100.0f);
}

TEST(Stipple, OriginOffsetsTheSampledWindow) {
  PlacementRequest r;
  r.originX = 500;
  r.originY = 300;
  r.width = r.height = 100;
  r.maxDensityPerPx2 = 0.02;
  r.density = [](double, double) { return 0.02; };
  const auto pts = placePoints(r);
  EXPECT_NEAR(static_cast<double>(pts.size()), 200.0, 30.0);
  for (const auto& p : pts) {
    EXPECT_GE(p.x, 500.0f);
    EXPECT_LT(p.x, 600.0f);
    EXPECT_GE(p.y, 300.0f);
    EXPECT_LT(p.y, 400.0f);
  }
}

TEST(Stipple, SessionsAreNestedThirds) {
  PlacementRequest r;
  r.width = r.height = 600;
  r.maxDensityPerPx2 = 0.02;
  r.density = [](double, double) { return 0.02; };
  const auto placed = placePoints(r);
  int perSession[4] = {};
  for (const auto& p : placed) ++perSession[p.session];
  const double third = static_cast<double>(placed.size()) / 3.0;
  for (int s = 1; s <= 3; ++s) EXPECT_NEAR(perSession[s], third, third * 0.06) << "session " << s;
}

TEST(Stipple, SameSeedSameOutputOtherSeedDifferent) {
  PlacementRequest r;
  r.width = r.height = 300;
  r.maxDensityPerPx2 = 0.02;
  r.density = [](double, double) { return 0.02; };
  r.seed = 42;
  const auto a = placePoints(r), b = placePoints(r);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].x, b[i].x);
    EXPECT_EQ(a[i].y, b[i].y);
    EXPECT_EQ(a[i].session, b[i].session);
  }
  r.seed = 43;
  const auto c = placePoints(r);
  EXPECT_TRUE(c.size() != a.size() || c[0].x != a[0].x);
}

}  // namespace
}  // namespace smp::engine
