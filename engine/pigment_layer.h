// Healed pigment as light sees it: each impression is a disc of ink under the skin, softened by
// the dermis (a Gaussian of about 0.3 mm, wider with the years) and by the photo's own blur,
// sampled at 10 px/mm or finer and integrated over every photo pixel. The result is an optical
// depth per pixel that multiplies the base in linear light: ink absorbs, it is never painted on.
#pragma once

#include <vector>

#include "engine/image.h"
#include "engine/stipple.h"

namespace smp::engine {

struct PigmentOptics {
  double pxPerMm = 0;
  // Healed pigment's soft edge: a 0.25 mm impression reads about 0.7 mm across (FWHM), under
  // the 1 mm healed impressions stay within. At 0.15 mm each dot had to absorb up to 70 % of
  // the light to reach the zone's tone and read as black pepper on a real portrait; at 0.3 mm
  // the zone reads as stubble's shadow and fine texture falls from 1.0-1.9 to 0.2-0.7 per L*.
  double dermalBlurMm = 0.3;
  double photoBlurPx = 0.6;  // the camera's own softness, so pigment is as sharp as the photo
};

// Per pixel: the ink deposited, as a fraction of the pixel's area (sum of impression areas
// times their opacity). Mass is conserved: widening a dot spreads it, never adds to it.
std::vector<float> depositPigment(const std::vector<Dot>& dots, int width, int height,
                                  const PigmentOptics& optics);

// base * exp(-strength * ink * zone), channel by channel in linear light; `absorb` tints the
// ink (near neutral: carbon black read through skin). Pixels with no ink, or outside the zone
// (0 in `zone`), keep their exact bytes.
RgbImage applyPigment(const RgbImage& base, const std::vector<float>& ink, const GrayImage* zone,
                      double strength, const float absorb[3]);

}  // namespace smp::engine
