// Stamps round pen tips along each segment: simple, and smooth enough at 900x300.
#include "app/core/signature.h"

#include <algorithm>
#include <cmath>

namespace smp::core {

engine::RgbImage renderSignature(const std::vector<Stroke>& strokes, int width, int height) {
  engine::RgbImage img(width, height);
  std::fill(img.pixels.begin(), img.pixels.end(), std::uint8_t{255});
  constexpr float kPen = 3.0f;
  auto stamp = [&](float cx, float cy) {
    for (int y = static_cast<int>(cy - kPen) - 1; y <= static_cast<int>(cy + kPen) + 1; ++y) {
      for (int x = static_cast<int>(cx - kPen) - 1; x <= static_cast<int>(cx + kPen) + 1; ++x) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const float d =
            std::hypot(static_cast<float>(x) + 0.5f - cx, static_cast<float>(y) + 0.5f - cy);
        const float a = std::clamp(kPen + 0.5f - d, 0.0f, 1.0f);
        auto* p = img.at(x, y);
        for (int c = 0; c < 3; ++c) {
          const float ink = c == 2 ? 90.0f : 30.0f;  // dark blue ink
          p[c] = static_cast<std::uint8_t>(std::min<float>(p[c], 255.0f - a * (255.0f - ink)));
        }
      }
    }
  };
  for (const Stroke& s : strokes) {
    for (std::size_t i = 1; i < s.size(); ++i) {
      const float x0 = s[i - 1].first * static_cast<float>(width),
                  y0 = s[i - 1].second * static_cast<float>(height);
      const float x1 = s[i].first * static_cast<float>(width),
                  y1 = s[i].second * static_cast<float>(height);
      const int steps = std::max(1, static_cast<int>(std::hypot(x1 - x0, y1 - y0)));
      for (int k = 0; k <= steps; ++k) {
        const float t = static_cast<float>(k) / static_cast<float>(steps);
        stamp(x0 + t * (x1 - x0), y0 + t * (y1 - y0));
      }
    }
  }
  return img;
}

}  // namespace smp::core
