// Renders finger strokes from the signature pad into an image that is stored with the consent.
#pragma once

#include <vector>

#include "app/core/consultation_draft.h"
#include "engine/image.h"

namespace smp::core {

// Dark ink on white, strokes in 0..1 pad coordinates scaled to width x height.
engine::RgbImage renderSignature(const std::vector<Stroke>& strokes, int width = 900,
                                 int height = 300);

}  // namespace smp::core
