// Splits the head in a photo into hair, skin and background: GrabCut (OpenCV) separates the head
// from the background, seeded by the face geometry; a skin model learnt from the client's own
// forehead and cheeks, in CIELAB chroma with lightness and texture, then tells hair from skin.
#pragma once

#include "engine/head_analysis.h"
#include "engine/image.h"

namespace smp::vision {

// The client's skin in CIELAB (L 0-100): medians and robust spreads, learnt from the forehead
// and cheeks of the front photo. The top photo has no face to learn from, so it borrows this
// one (same client, same camera, same light a minute later).
struct SkinModel {
  bool known = false;
  double L = 0, a = 0, b = 0;
  double spreadL = 4, spreadA = 2, spreadB = 2.5;
  // The skin's own fine texture (pores, fine lines: grey levels of contrast at the
  // half-millimetre scale); hair has several times more. 0: not measured.
  double texture = 0;
};

// Throws std::invalid_argument for an empty photo. Deterministic for a given photo.
// `skinOut` (optional) receives the skin model it learnt.
engine::HeadLayers segmentHead(const engine::RgbImage& photo, const engine::FaceGeometry& geometry,
                               SkinModel* skinOut = nullptr);

// The top (crown) photo: the head seen from above, forehead toward the lower edge.
struct TopOfHead {
  engine::FaceGeometry geometry;  // view kTop: the outline found, the scale, the hairline
  engine::HeadLayers layers;      // scalpZone: the whole head in view
};

// Finds the head's outline near `guide` (GrabCut), takes the scale from its width (the head's
// breadth, about 150 mm in adults), and tells hair from skin with `clientSkin` (from the front
// photo). Without it, the skin is sampled from the middle of the head, which is the bare crown
// on most SMP clients but hair on a full head: say so to the user. Throws
// std::invalid_argument for an empty photo. Deterministic for a given photo.
TopOfHead segmentTopOfHead(const engine::RgbImage& photo, const engine::HeadEllipse& guide,
                           const SkinModel& clientSkin);

}  // namespace smp::vision
