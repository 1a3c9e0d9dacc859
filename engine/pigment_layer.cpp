#include "engine/pigment_layer.h"

#include <algorithm>
#include <cmath>

#include "engine/color.h"

namespace smp::engine {
namespace {

// 0.5 erfc(t / sqrt 2) for t in [-6, 6]: the edge profile of a disc under a Gaussian blur,
// tabulated because it is evaluated at every sub-sample of every impression.
struct EdgeTable {
  static constexpr int kSize = 4096;
  static constexpr double kRange = 6.0;
  float v[kSize + 1];
  EdgeTable() {
    for (int i = 0; i <= kSize; ++i) {
      const double t = -kRange + 2 * kRange * i / kSize;
      v[i] = static_cast<float>(0.5 * std::erfc(t / std::sqrt(2.0)));
    }
  }
  float operator()(double t) const {
    if (t <= -kRange) return 1.0f;
    if (t >= kRange) return 0.0f;
    return v[static_cast<int>((t + kRange) * (kSize / (2 * kRange)))];
  }
};

const EdgeTable& edgeTable() {
  static const EdgeTable table;
  return table;
}

}  // namespace

std::vector<float> depositPigment(const std::vector<Dot>& dots, int width, int height,
                                  const PigmentOptics& optics) {
  std::vector<float> ink(static_cast<std::size_t>(width) * height, 0.0f);
  const double sigmaDermal = optics.dermalBlurMm * optics.pxPerMm;
  // Sub-samples per pixel side so that the profile is sampled at 10 px/mm or finer.
  const int sub = std::clamp(static_cast<int>(std::ceil(10.0 / optics.pxPerMm)), 1, 8);
  const float step = 1.0f / static_cast<float>(sub);
  std::vector<float> weights;
  for (const Dot& d : dots) {
    const double r = 0.5 * d.diameterPx;
    const double dermal = sigmaDermal;
    const double sigma = std::sqrt(dermal * dermal + optics.photoBlurPx * optics.photoBlurPx);
    // A disc convolved with a Gaussian: 0.5 erfc((rho - r) / (sigma sqrt 2)), normalised below.
    const double reach = r + 3.0 * sigma;
    const int x0 = std::max(0, static_cast<int>(std::floor(d.x - reach)));
    const int x1 = std::min(width - 1, static_cast<int>(std::floor(d.x + reach)));
    const int y0 = std::max(0, static_cast<int>(std::floor(d.y - reach)));
    const int y1 = std::min(height - 1, static_cast<int>(std::floor(d.y + reach)));
    if (x1 < x0 || y1 < y0) continue;
    const double inv = 1.0 / sigma;
    const EdgeTable& edge = edgeTable();
    weights.assign(static_cast<std::size_t>(x1 - x0 + 1) * static_cast<std::size_t>(y1 - y0 + 1),
                   0);
    double total = 0;
    std::size_t k = 0;
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x, ++k) {
        double acc = 0;
        for (int sy = 0; sy < sub; ++sy) {
          const double py = y + (sy + 0.5) * step - d.y;
          for (int sx = 0; sx < sub; ++sx) {
            const double px = x + (sx + 0.5) * step - d.x;
            acc += edge((std::sqrt(px * px + py * py) - r) * inv);
          }
        }
        weights[k] = static_cast<float>(acc);
        total += acc;
      }
    }
    if (total <= 0) continue;
    // The impression's area in pixels, times its opacity, spread by the normalised profile.
    const double mass = 3.14159265358979 * r * r * d.opacity;
    const float scale = static_cast<float>(mass / total);
    k = 0;
    for (int y = y0; y <= y1; ++y) {
      float* row = &ink[static_cast<std::size_t>(y) * width];
      for (int x = x0; x <= x1; ++x, ++k) row[x] += weights[k] * scale;
    }
  }
  return ink;
}

RgbImage applyPigment(const RgbImage& base, const std::vector<float>& ink, const GrayImage* zone,
                      double strength, const float absorb[3]) {
  RgbImage out = base;
  const std::size_t n = ink.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (ink[i] <= 0) continue;
    const float z = zone ? zone->pixels[i] / 255.0f : 1.0f;
    if (z <= 0) continue;
    const float depth = static_cast<float>(strength) * ink[i] * z;
    for (int c = 0; c < 3; ++c) {
      const float lin = srgbToLinear(base.pixels[i * 3 + c]) * std::exp(-depth * absorb[c]);
      out.pixels[i * 3 + c] = linearToSrgb(lin);
    }
  }
  return out;
}

}  // namespace smp::engine
