// A quick look at a captured photo before it is used: is the head lit well and in focus?
// Gives a friendly hint ("more light", "hold still"); the client may still use the photo.
#pragma once

#include <string>

#include "app/core/head_guide.h"
#include "engine/image.h"

namespace smp::core {

struct PhotoQuality {
  double meanLuma = 0;      // 0..255 inside the head outline
  double edgeStrength = 0;  // 95th percentile of the Laplacian magnitude: low when blurred
  std::string hintKey;      // empty when fine, else a translation key
};

PhotoQuality assessPhoto(const engine::RgbImage& photo, const HeadGuide& guide);

}  // namespace smp::core
