// Exposure from the mean luma inside the guide. Sharpness from the strong tail (99th
// percentile) of the Laplacian of the head region box-downscaled to ~256 px: a sharp face has
// strong edges (eyes, brows, hairline) at any camera resolution, a blurred one has none.
#include "app/core/photo_check.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace smp::core {

PhotoQuality assessPhoto(const engine::RgbImage& photo, const HeadGuide& g) {
  PhotoQuality q;
  const int x0 = std::max(0, static_cast<int>(g.centerX - g.radiusX));
  const int x1 = std::min(photo.width, static_cast<int>(g.centerX + g.radiusX));
  const int y0 = std::max(0, static_cast<int>(g.centerY - g.radiusY));
  const int y1 = std::min(photo.height, static_cast<int>(g.centerY + g.radiusY));
  if (x1 - x0 < 16 || y1 - y0 < 16) {
    q.hintKey = "hint.retake";
    return q;
  }
  const int step = std::max(1, (x1 - x0) / 256);
  const int w = (x1 - x0) / step, h = (y1 - y0) / step;
  std::vector<double> luma(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
  double sum = 0;
  long inside = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double acc = 0;
      for (int sy = 0; sy < step; ++sy) {
        for (int sx = 0; sx < step; ++sx) {
          const auto* p = photo.at(x0 + x * step + sx, y0 + y * step + sy);
          acc += 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        }
      }
      const double v = acc / (step * step);
      luma[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
           static_cast<std::size_t>(x)] = v;
      const double dx = (x0 + (x + 0.5) * step - g.centerX) / g.radiusX,
                   dy = (y0 + (y + 0.5) * step - g.centerY) / g.radiusY;
      if (dx * dx + dy * dy <= 1.0) {
        sum += v;
        ++inside;
      }
    }
  }
  std::vector<double> edges;
  auto at = [&](int x, int y) {
    return luma[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
                static_cast<std::size_t>(x)];
  };
  for (int y = 1; y < h - 1; ++y) {
    for (int x = 1; x < w - 1; ++x) {
      edges.push_back(
          std::abs(4 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1)));
    }
  }
  q.meanLuma = inside ? sum / static_cast<double>(inside) : 0;
  auto p99 = edges.begin() + static_cast<std::ptrdiff_t>(edges.size() * 99 / 100);
  std::nth_element(edges.begin(), p99, edges.end());
  q.edgeStrength = *p99;
  if (q.meanLuma < 55) {
    q.hintKey = "hint.more_light";
  } else if (q.meanLuma > 225) {
    q.hintKey = "hint.less_light";
  } else if (q.edgeStrength < 20) {  // sharp faces measured 56-160, 2 px of blur ~15
    q.hintKey = "hint.hold_still";
  }
  return q;
}

}  // namespace smp::core
