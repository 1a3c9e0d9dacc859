// A neutral, generated mannequin head: for demo records, the attract screen and documentation,
// so that no real person's photo is ever shipped or shown as product material.
#pragma once

#include <cstdint>

#include "engine/image.h"

namespace smp::core {

// Fitzpatrick 1-6 sets the skin tone; the seed varies background and small details.
engine::RgbImage samplePortrait(int width, int height, int fitzpatrick, std::uint64_t seed);

}  // namespace smp::core
