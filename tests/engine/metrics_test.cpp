// The spacing metric itself: a hexagonal lattice scores 1.0, white noise far less.
#include "engine/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/random.h"

namespace smp::engine {
namespace {

TEST(Metrics, HexagonalLatticeScoresOne) {
  const double spacing = 10.0;
  std::vector<Point2> pts;
  for (int row = 0; row < 60; ++row) {
    for (int col = 0; col < 60; ++col) {
      pts.push_back({col * spacing + (row % 2) * spacing / 2, row * spacing * std::sqrt(3.0) / 2});
    }
  }
  const double w = 60 * spacing, h = 60 * spacing * std::sqrt(3.0) / 2;
  const double lambda = 2.0 / (std::sqrt(3.0) * spacing * spacing);
  const SpacingStats s = measureSpacing(
      pts, w, h, [&](double, double) { return lambda; }, 20);
  EXPECT_NEAR(s.gmd, 1.0, 1e-6);
  EXPECT_NEAR(s.amd, 1.0, 1e-6);
  EXPECT_GT(s.counted, 3000);
}

TEST(Metrics, WhiteNoiseScoresLow) {
  Random rng(5);
  std::vector<Point2> pts;
  for (int i = 0; i < 20000; ++i) pts.push_back({rng.uniform(0, 1000), rng.uniform(0, 1000)});
  const SpacingStats s = measureSpacing(
      pts, 1000, 1000, [](double, double) { return 0.02; }, 10);
  // Poisson process: mean NN distance 0.5 / sqrt(lambda) -> A-MD about 0.465.
  EXPECT_NEAR(s.amd, 0.465, 0.02);
  EXPECT_LT(s.gmd, 0.05);
}

}  // namespace
}  // namespace smp::engine
