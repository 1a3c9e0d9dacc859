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
  // Vertically, a running sum per column, walking the rows in memory order (a column walk
  // touches a new cache line at every step). Each column's sums are added in the same order
  // as a column walk would add them, so the result is the same to the bit.
  std::vector<double> sum(static_cast<std::size_t>(w), 0.0);
  const auto row = [&](int y) {
    return &tmp[static_cast<std::size_t>(std::clamp(y, 0, h - 1)) * static_cast<std::size_t>(w)];
  };
  for (int y = -r; y <= r; ++y) {
    const float* in = row(y);
    for (int x = 0; x < w; ++x) sum[static_cast<std::size_t>(x)] += in[x];
  }
  for (int y = 0; y < h; ++y) {
    float* out = &img[static_cast<std::size_t>(y) * static_cast<std::size_t>(w)];
    const float* enter = row(std::min(h - 1, y + r + 1));
    const float* leave = row(std::max(0, y - r));
    for (int x = 0; x < w; ++x) {
      double& s = sum[static_cast<std::size_t>(x)];
      out[x] = static_cast<float>(s / (2 * r + 1));
      s += enter[x] - leave[x];
    }
  }
}

}  // namespace smp::engine
