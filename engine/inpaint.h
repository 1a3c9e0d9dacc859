// Fills unknown pixels from known ones by pull-push (a weighted image pyramid: averages are
// pulled down to coarse levels and pushed back up), smooth and fast: O(pixels).
#pragma once

#include <vector>

namespace smp::engine {

// `rgb` holds 3 floats per pixel; `weight` (0..1) says how much each pixel is known. On return
// every pixel with weight < 1 is blended toward the fill. Pixels with weight 1 are unchanged.
void pullPushFill(std::vector<float>& rgb, const std::vector<float>& weight, int width, int height);

}  // namespace smp::engine
