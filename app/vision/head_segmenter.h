// Splits the head in a photo into hair, skin and background: GrabCut (OpenCV) separates the head
// from the background, seeded by the face geometry; a skin model learnt from the client's own
// forehead and cheeks, in CIELAB chroma with lightness and texture, then tells hair from skin.
#pragma once

#include "engine/head_analysis.h"
#include "engine/image.h"

namespace smp::vision {

// Throws std::invalid_argument for an empty photo. Deterministic for a given photo.
engine::HeadLayers segmentHead(const engine::RgbImage& photo, const engine::FaceGeometry& geometry);

}  // namespace smp::vision
