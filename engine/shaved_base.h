// The shaved base of the preview: what the client's head looks like clipped to a close buzz
// before any pigment. Hair becomes scalp skin (filled in from the client's own forehead and bare
// scalp) carrying stubble in the hair's own colour, as dense as the hair was there; hair that
// stood out beyond the braincase becomes background.
#pragma once

#include <vector>

#include "engine/color.h"
#include "engine/head_analysis.h"
#include "engine/image.h"

namespace smp::engine {

enum class PreviewMode { kBuzz, kKeepHair };

struct ShavedBase {
  RgbImage image;
  // 0-255: how dense the client's own (clipped) hair is at each pixel. Pigment fills the rest.
  GrayImage stubble;
  // Buzz only, 0-255: where the client has hair of their own (dense stubble), softened over
  // about 3 mm. The clipped head takes pigment there whatever the hairline says (the sides),
  // so the whole head reads as one buzz. Empty in keep-my-hair mode.
  GrayImage ownHair;
  // Buzz only, 0-255: where hair standing out beyond the braincase was taken away and the
  // background now shows. No pigment goes there. Empty in keep-my-hair mode.
  GrayImage clippedAway;
  // Keep my hair only, 0-255: how much of each pixel is scalp showing between strands (255)
  // rather than a strand over it (0). Pigment shows only there. Empty in buzz mode.
  GrayImage scalpShows;
  bool hasClippedSides = false;  // enough hair at the temples to match the pigment's shade to
  Lab sidesColour;               // the clipped sides, seen at distance
  Lab hairColour;                // the hair's own colour (median of confident hair pixels)
  Lab skinColour{60, 12, 16};    // the client's skin (the forehead above the brows)
  bool hairFound = false;
  double hairLengthMm = 0;       // how far the hair stood above the braincase at the crown
  double stubbleVisibility = 1;  // 0-1: how much the clipped hair darkens the skin it grows on
};

// Independent of the hairline, so it is made once per photo and mode. kKeepHair returns the
// photo unchanged and the hair as `stubble` (the scalp between hairs is where pigment goes).
ShavedBase makeShavedBase(const RgbImage& photo, const HeadAnalysis& analysis, PreviewMode mode);

}  // namespace smp::engine
