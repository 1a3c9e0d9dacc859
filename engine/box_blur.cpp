#include "engine/box_blur.h"

#include <algorithm>
#include <cstddef>

namespace smp::engine {
namespace {

// Running sums along kRows rows at once. A row's sum is one long chain of dependent additions;
// walking several rows side by side lets the processor overlap the chains, and each row still
// adds its values in the same order.
template <int kRows>
void blurRowsAcross(const float* const* in, float* const* out, int w, int r, double inverseCount) {
  double sum[kRows] = {};
  for (int k = 0; k < kRows; ++k)
    for (int x = -r; x <= r; ++x) sum[k] += in[k][std::clamp(x, 0, w - 1)];
  for (int x = 0; x < w; ++x) {
    const int enter = std::min(w - 1, x + r + 1), leave = std::max(0, x - r);
    for (int k = 0; k < kRows; ++k) {
      out[k][x] = static_cast<float>(sum[k] * inverseCount);
      sum[k] += in[k][enter] - in[k][leave];
    }
  }
}

}  // namespace

void boxBlur(std::vector<float>& img, int w, int h, int r) {
  if (r <= 0) return;
  std::vector<float> tmp(img.size());
  // A multiplication per pixel where a division costs several.
  const double inverseCount = 1.0 / (2 * r + 1);
  const auto rowOf = [&](std::vector<float>& v, int row) {
    return &v[static_cast<std::size_t>(row) * static_cast<std::size_t>(w)];
  };
  int first = 0;
  for (; first + 4 <= h; first += 4) {
    const float* in[4] = {rowOf(img, first), rowOf(img, first + 1), rowOf(img, first + 2),
                          rowOf(img, first + 3)};
    float* out[4] = {rowOf(tmp, first), rowOf(tmp, first + 1), rowOf(tmp, first + 2),
                     rowOf(tmp, first + 3)};
    blurRowsAcross<4>(in, out, w, r, inverseCount);
  }
  for (; first < h; ++first) {
    const float* in[1] = {rowOf(img, first)};
    float* out[1] = {rowOf(tmp, first)};
    blurRowsAcross<1>(in, out, w, r, inverseCount);
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
      out[x] = static_cast<float>(s * inverseCount);
      s += enter[x] - leave[x];
    }
  }
}

}  // namespace smp::engine
