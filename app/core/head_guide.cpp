// Guide geometry.
#include "app/core/head_guide.h"

#include <algorithm>
#include <cmath>

namespace smp::core {

HeadGuide defaultGuide(int width, int height) {
  const double ry = 0.40 * height;
  return {0.5 * width, 0.47 * height, ry * 0.74, ry};
}

engine::GrayImage scalpMask(const HeadGuide& g, int width, int height) {
  engine::GrayImage mask(width, height, 0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double dx = (x + 0.5 - g.centerX) / g.radiusX;
      const double dy = (y + 0.5 - g.centerY) / g.radiusY;
      const double r = std::sqrt(dx * dx + dy * dy);
      const double edgePx = (1.0 - r) * std::min(g.radiusX, g.radiusY);  // ~distance to the edge
      mask.at(x, y) = static_cast<std::uint8_t>(std::clamp(edgePx * 0.5, 0.0, 1.0) * 255.0);
    }
  }
  return mask;
}

engine::HairlinePlacement hairlineFromGuide(const HeadGuide& g) {
  return {g.centerX, g.centerY - g.radiusY + 0.56 * g.radiusY, 0.60 * g.radiusX};
}

double pxPerMmFromGuide(const HeadGuide& g, double headWidthMm) {
  return 2.0 * g.radiusX / headWidthMm;
}

}  // namespace smp::core
