// A separable box blur of a float image with clamped edges: O(pixels) whatever the radius.
// Three passes approximate a Gaussian.
#pragma once

#include <vector>

namespace smp::engine {

void boxBlur(std::vector<float>& image, int width, int height, int radius);

}  // namespace smp::engine
