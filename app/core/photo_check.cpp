// Exposure from the mean luma inside the guide; sharpness from the strong tail of the
// Laplacian (a blurred photo has no strong edges left), on every second pixel for speed.
#include "app/core/photo_check.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace smp::core {

PhotoQuality assessPhoto(const engine::RgbImage& photo, const HeadGuide& g) {
  PhotoQuality q;
  if (photo.width < 8 || photo.height < 8) {
    q.hintKey = "hint.retake";
    return q;
  }
  auto luma = [&](int x, int y) {
    const auto* p = photo.at(x, y);
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
  };
  double sum = 0;
  long n = 0;
  std::vector<double> edges;
  for (int y = 2; y < photo.height - 2; y += 2) {
    for (int x = 2; x < photo.width - 2; x += 2) {
      const double dx = (x - g.centerX) / g.radiusX, dy = (y - g.centerY) / g.radiusY;
      if (dx * dx + dy * dy > 1.0) continue;
      const double c = luma(x, y);
      sum += c;
      ++n;
      edges.push_back(
          std::abs(4 * c - luma(x - 2, y) - luma(x + 2, y) - luma(x, y - 2) - luma(x, y + 2)));
    }
  }
  if (n == 0) {
    q.hintKey = "hint.retake";
    return q;
  }
  q.meanLuma = sum / static_cast<double>(n);
  auto p95 = edges.begin() + static_cast<std::ptrdiff_t>(edges.size() * 95 / 100);
  std::nth_element(edges.begin(), p95, edges.end());
  q.edgeStrength = *p95;
  if (q.meanLuma < 55) {
    q.hintKey = "hint.more_light";
  } else if (q.meanLuma > 225) {
    q.hintKey = "hint.less_light";
  } else if (q.edgeStrength < 6) {
    q.hintKey = "hint.hold_still";
  }
  return q;
}

}  // namespace smp::core
