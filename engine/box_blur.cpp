#include "engine/box_blur.h"

#include <algorithm>
#include <cstddef>

namespace smp::engine {

void boxBlur(std::vector<float>& img, int w, int h, int r) {
  if (r <= 0) return;
  std::vector<float> tmp(img.size());
  for (int y = 0; y < h; ++y) {
    const float* row = &img[static_cast<std::size_t>(y) * static_cast<std::size_t>(w)];
    float* out = &tmp[static_cast<std::size_t>(y) * static_cast<std::size_t>(w)];
    double sum = 0;
    for (int x = -r; x <= r; ++x) sum += row[std::clamp(x, 0, w - 1)];
    for (int x = 0; x < w; ++x) {
      out[x] = static_cast<float>(sum / (2 * r + 1));
      sum += row[std::min(w - 1, x + r + 1)] - row[std::max(0, x - r)];
    }
  }
  for (int x = 0; x < w; ++x) {
    double sum = 0;
    for (int y = -r; y <= r; ++y)
      sum += tmp[static_cast<std::size_t>(std::clamp(y, 0, h - 1)) * static_cast<std::size_t>(w) +
                 static_cast<std::size_t>(x)];
    for (int y = 0; y < h; ++y) {
      img[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] =
          static_cast<float>(sum / (2 * r + 1));
      sum +=
          tmp[static_cast<std::size_t>(std::min(h - 1, y + r + 1)) * static_cast<std::size_t>(w) +
              static_cast<std::size_t>(x)] -
          tmp[static_cast<std::size_t>(std::max(0, y - r)) * static_cast<std::size_t>(w) +
              static_cast<std::size_t>(x)];
    }
  }
}

}  // namespace smp::engine
