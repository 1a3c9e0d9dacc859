// Builds the progressive blue-noise tile the engine places dots from. Runs at build time
// (bluenoise_tile_gen) so the kiosk never pays for it; deterministic for a given seed.
#pragma once

#include <cstdint>
#include <vector>

namespace smp::engine::tile {

struct UnitPoint {
  double x;  // [0, 1) on the torus
  double y;
};

struct TileBuildOptions {
  int targetPoints = 65536;
  std::uint64_t seed = 20261121;
  int bridsonCandidates = 100;  // near-maximal Poisson disk: G-MD about 0.75
  int relaxIterations = 30;     // short-range repulsion: A-MD up to about 0.89, no lattice
  double relaxReach = 1.05;     // in hexagonal spacings: only nearest neighbours push
  double relaxStep = 0.2;
};

// 1. Poisson-disk set on the unit torus (Bridson 2007, toroidal distances);
// 2. short-range relaxation, which evens out spacing without growing a hexagonal lattice;
// 3. farthest-point ordering: every prefix is itself well spread, so rank < t keeps a
//    blue-noise subset at density t (session layering and fades use this).
// Returns the points in rank order.
std::vector<UnitPoint> buildProgressiveTile(const TileBuildOptions& options);

}  // namespace smp::engine::tile
