// Dot placement: blue-noise impressions that follow a density field, layered by session.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace smp::engine {

struct Dot {
  float x = 0;  // pixels, sub-pixel precision
  float y = 0;
  float diameterPx = 0;
  float opacity = 0;  // 0..1
  int session = 1;    // 1..3: the session whose pass places this impression
};

// Density in impressions per square pixel at (x, y); 0 where pigment may not go.
using DensityField = std::function<double(double x, double y)>;

struct PlacementRequest {
  int width = 0;  // the field is sampled over [originX, originX + width) x [originY, ...)
  int height = 0;
  int originX = 0;  // lets callers sample only the bounding box of the scalp mask
  int originY = 0;
  double maxDensityPerPx2 = 0;  // upper bound of the field
  DensityField density;
  std::uint64_t seed = 1;
};

struct PlacedPoint {
  float x;
  float y;
  int session;
};

// Places points whose local density follows the field. Each candidate of a dense blue-noise set
// carries a rank in [0,1) and is kept when rank < density / maxDensity, so session k keeps the
// ranks below k/3 of that ratio: session 1 is a subset of session 2, which is a subset of 3.
std::vector<PlacedPoint> placePoints(const PlacementRequest& request);

}  // namespace smp::engine
