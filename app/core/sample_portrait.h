// A neutral, generated mannequin head: for demo records, the attract screen and documentation,
// so that no real person's photo is ever shipped or shown as product material.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/image.h"

namespace smp::core {

// Fitzpatrick 1-6 sets the skin tone; the seed varies background and small details.
engine::RgbImage samplePortrait(int width, int height, int fitzpatrick, std::uint64_t seed);

// A mannequin with hair: the horseshoe of a Norwood V-VI head (sides and back kept, the top
// bare), short strands in the given colour. `hairTruth` (optional) receives the hair pixels
// (255), for measuring segmentation against ground truth.
struct MannequinHair {
  double r = 40, g = 32, b = 28;  // strand colour (sRGB)
  double lengthMm = 3;            // 1-3: stubble; longer hair stands out beyond the skull
};
engine::RgbImage samplePortraitWithHair(int width, int height, int fitzpatrick, std::uint64_t seed,
                                        const MannequinHair& hair,
                                        engine::GrayImage* hairTruth = nullptr);

// The same client's head from above, as the kiosk's top photo sees it when they bow: the
// crown in the middle, the forehead toward the lower edge, the horseshoe of hair along the
// sides and the back. `headTruth` (optional) receives the head's pixels (hair included).
engine::RgbImage sampleTopOfHead(int width, int height, int fitzpatrick, std::uint64_t seed,
                                 const MannequinHair& hair, engine::GrayImage* hairTruth = nullptr,
                                 engine::GrayImage* headTruth = nullptr);

// The attract loop's before/after pairs: mannequins of three skin tones with the side hair of a
// Norwood V head, so "after" shows the clipped sides and the pigmented top.
struct BeforeAfter {
  engine::RgbImage before;
  engine::RgbImage after;
};
std::vector<BeforeAfter> attractLoopPairs();

}  // namespace smp::core
