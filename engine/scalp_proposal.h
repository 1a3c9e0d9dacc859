// Proposes where pigment may go on a photo, from the head-outline ellipse the client framed
// their head in and a skin-tone classifier learnt from the face in that same photo; and where
// the hairline starts, by the proportions in ../shared/DOMAIN.md. Staff adjust both by touch.
#pragma once

#include "engine/hairline.h"
#include "engine/head_analysis.h"
#include "engine/image.h"

namespace smp::engine {

struct ScalpProposal {
  GrayImage mask;              // 255 = bare scalp; partial where hair thins; 0 elsewhere
  HairlinePlacement hairline;  // juvenile mid-frontal point and frontotemporal reach
  double pxPerMm = 0;          // from an adult head width of 150 mm across the ellipse
  double skinSampleCount = 0;  // face pixels the skin model was learnt from (0: fell back)
};

// The hairline by facial thirds: the eyes sit halfway down the head outline, the glabella just
// above them, and the mid-frontal point one third of the face height above the glabella
// (about 8 cm along the forehead); the frontotemporal points sit above the outer eye corners.
HairlinePlacement hairlineFromHead(const HeadEllipse& head);
double pxPerMmFromHead(const HeadEllipse& head, double headWidthMm = 150);

// Throws EngineError for an empty photo or an ellipse that misses it.
ScalpProposal proposeScalp(const RgbImage& photo, const HeadEllipse& head);

}  // namespace smp::engine
