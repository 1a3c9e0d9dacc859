// The head-outline guide the client frames their photo in, and what it implies for the engine:
// the scalp mask, the default hairline placement and the physical scale.
#pragma once

#include "engine/hairline.h"
#include "engine/image.h"

namespace smp::core {

// An ellipse in image pixels around the whole head (crown to chin).
struct HeadGuide {
  double centerX = 0;
  double centerY = 0;
  double radiusX = 0;
  double radiusY = 0;
};

// The guide drawn over a camera frame of width x height: centred, slightly above the middle.
HeadGuide defaultGuide(int width, int height);

// Scalp region: inside the head ellipse, with a soft 2 px edge. Pixels below the hairline are
// removed by the engine's hairline falloff, not by the mask.
engine::GrayImage scalpMask(const HeadGuide& guide, int width, int height);

// Mid-frontal point about 28 % down the head outline; frontotemporal points at 30 % of its width.
engine::HairlinePlacement hairlineFromGuide(const HeadGuide& guide);

// An adult head is about 150 mm wide across the temples.
double pxPerMmFromGuide(const HeadGuide& guide, double headWidthMm = 150);

}  // namespace smp::core
