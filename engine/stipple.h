// Dot placement from the progressive blue-noise tile: a point of the tile becomes an impression
// where its rank is below the local coverage, so density follows mask, density map and hairline.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace smp::engine {

struct Dot {
  float x = 0;  // pixels, sub-pixel precision
  float y = 0;
  float diameterPx = 0;
  float opacity = 0;  // 0..1
  int session = 1;    // 1..3: the session whose pass places this impression
};

// What decides the local coverage in [0, 1] at a pixel; every pointer may be null.
struct CoverageField {
  int width = 0;
  int height = 0;
  const std::uint8_t* mask = nullptr;        // 255 = scalp, 0 = no pigment
  const std::uint8_t* densityMap = nullptr;  // 255 = full density
  const float* hairlineY = nullptr;          // per column x: the hairline's y (null: no hairline)
  // A marked scar or patch (or the client's own hair): the hairline is ignored there with
  // probability value/255, so a soft edge gives a dithered transition.
  const std::uint8_t* marked = nullptr;
  float transitionPx = 0;         // behind the line: density 10 % -> 90 % over this
  float microIrregularityPx = 0;  // per-impression jitter of the line
};

struct PlacementRequest {
  CoverageField field;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // window to place in, e.g. the mask's bounding box
  double pxPerMm = 0;
  double densityPerMm2 = 0;  // at full coverage
  int sessionStage = 3;      // keep sessions 1..stage
  std::uint64_t seed = 1;
  const std::atomic<bool>* cancel = nullptr;  // set by the caller to abandon a stale render
};

struct PlacedPoint {
  float x;
  float y;
  int session;
  std::uint32_t id;  // stable identity of the tile point: per-dot jitter does not reshuffle
};

// Full coverage keeps the whole tile (relaxed: G-MD ~0.77, A-MD ~0.89); coverage t keeps the
// rank-prefix t, itself blue noise. Session k keeps ranks below k/3 of that, so the sessions
// are nested and each later pass fills between the earlier dots.
// Returns an empty list if cancelled.
std::vector<PlacedPoint> placePoints(const PlacementRequest& request);

// Size of the tile in millimetres at a density, for tests and documentation.
double tileSideMm(double densityPerMm2);

}  // namespace smp::engine
