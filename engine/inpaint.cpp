#include "engine/inpaint.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace smp::engine {
namespace {

struct Level {
  int w = 0, h = 0;
  std::vector<float> rgb;     // premultiplied by weight
  std::vector<float> weight;  // clamped to 1
};

}  // namespace

void pullPushFill(std::vector<float>& rgb, const std::vector<float>& weight, int width,
                  int height) {
  std::vector<Level> levels(1);
  levels[0].w = width;
  levels[0].h = height;
  levels[0].rgb.resize(rgb.size());
  levels[0].weight = weight;
  for (std::size_t i = 0; i < weight.size(); ++i)
    for (int c = 0; c < 3; ++c) levels[0].rgb[i * 3 + c] = rgb[i * 3 + c] * weight[i];
  // Pull: 2x2 sums, weights capped at 1 so a fully known block does not outvote its neighbours.
  while (levels.back().w > 1 || levels.back().h > 1) {
    const Level& f = levels.back();
    Level c;
    c.w = (f.w + 1) / 2;
    c.h = (f.h + 1) / 2;
    c.rgb.resize(static_cast<std::size_t>(c.w) * c.h * 3);
    c.weight.resize(static_cast<std::size_t>(c.w) * c.h);
    // Block by block, each coarse pixel adding its (up to) four fine ones in reading order.
    for (int cy = 0; cy < c.h; ++cy) {
      for (int cx = 0; cx < c.w; ++cx) {
        const std::size_t ci = static_cast<std::size_t>(cy) * c.w + cx;
        float weightSum = 0, sum[3] = {0, 0, 0};
        for (int y = 2 * cy; y < std::min(f.h, 2 * cy + 2); ++y) {
          for (int x = 2 * cx; x < std::min(f.w, 2 * cx + 2); ++x) {
            const std::size_t fi = static_cast<std::size_t>(y) * f.w + x;
            weightSum += f.weight[fi];
            for (int k = 0; k < 3; ++k) sum[k] += f.rgb[fi * 3 + k];
          }
        }
        const bool capped = weightSum > 1.0f;
        c.weight[ci] = capped ? 1.0f : weightSum;
        for (int k = 0; k < 3; ++k) c.rgb[ci * 3 + k] = capped ? sum[k] / weightSum : sum[k];
      }
    }
    levels.push_back(std::move(c));
  }
  // Push: each finer pixel takes what it lacks from its coarser level, interpolated bilinearly
  // (nearest-parent would leave visible blocks).
  for (std::size_t l = levels.size() - 1; l > 0; --l) {
    const Level& c = levels[l];
    Level& f = levels[l - 1];
    // The coarse level's colour (its weighted sum over its weight), once per coarse pixel.
    std::vector<float> colour(c.rgb.size(), 0.0f);
    for (std::size_t i = 0; i < c.weight.size(); ++i)
      if (c.weight[i] > 0)
        for (int k = 0; k < 3; ++k) colour[i * 3 + k] = c.rgb[i * 3 + k] / c.weight[i];
    auto at = [&](int x, int y) {
      return (static_cast<std::size_t>(std::clamp(y, 0, c.h - 1)) * c.w +
              static_cast<std::size_t>(std::clamp(x, 0, c.w - 1))) *
             3;
    };
    for (int y = 0; y < f.h; ++y) {
      // Centre of this row in the coarse grid.
      const float cy = (y + 0.5f) / 2.0f - 0.5f;
      const int y0 = static_cast<int>(std::floor(cy));
      const float ty = cy - y0;
      for (int x = 0; x < f.w; ++x) {
        const std::size_t fi = static_cast<std::size_t>(y) * f.w + x;
        const float missing = 1.0f - std::min(1.0f, f.weight[fi]);
        if (missing <= 0) continue;
        const float cx = (x + 0.5f) / 2.0f - 0.5f;
        const int x0 = static_cast<int>(std::floor(cx));
        const float tx = cx - x0;
        const float* p00 = &colour[at(x0, y0)];
        const float* p10 = &colour[at(x0 + 1, y0)];
        const float* p01 = &colour[at(x0, y0 + 1)];
        const float* p11 = &colour[at(x0 + 1, y0 + 1)];
        for (int k = 0; k < 3; ++k) {
          const float v =
              (p00[k] * (1 - tx) + p10[k] * tx) * (1 - ty) + (p01[k] * (1 - tx) + p11[k] * tx) * ty;
          f.rgb[fi * 3 + k] += missing * v;
        }
        f.weight[fi] += missing;
      }
    }
  }
  const Level& top = levels[0];
  for (std::size_t i = 0; i < weight.size(); ++i) {
    if (weight[i] >= 1.0f || top.weight[i] <= 0) continue;
    for (int k = 0; k < 3; ++k) rgb[i * 3 + k] = top.rgb[i * 3 + k] / top.weight[i];
  }
}

}  // namespace smp::engine
