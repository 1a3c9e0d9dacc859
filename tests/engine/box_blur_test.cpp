// The box blur every soft map is made with: a mean over a (2r+1)^2 square, edges repeated.
#include "engine/box_blur.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace smp::engine {
namespace {

// The definition, pixel by pixel: what the running sums must equal.
float boxMean(const std::vector<float>& img, int w, int h, int r, int x, int y) {
  double sum = 0;
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx)
      sum += img[static_cast<std::size_t>(std::clamp(y + dy, 0, h - 1)) * w +
                 std::clamp(x + dx, 0, w - 1)];
  return static_cast<float>(sum / ((2 * r + 1) * (2 * r + 1)));
}

TEST(BoxBlur, EqualsTheMeanOverTheSquareWithEdgesRepeated) {
  const int w = 37, h = 23;
  std::vector<float> img(static_cast<std::size_t>(w) * h);
  std::uint32_t state = 12345;
  for (float& v : img) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / static_cast<float>(1u << 24);
  }
  for (int r : {1, 3, 8, 30}) {  // 30: wider than the image
    std::vector<float> out = img;
    boxBlur(out, w, h, r);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        ASSERT_NEAR(out[static_cast<std::size_t>(y) * w + x], boxMean(img, w, h, r, x, y), 1e-5)
            << "r " << r << " at " << x << "," << y;
  }
  std::vector<float> same = img;
  boxBlur(same, w, h, 0);
  EXPECT_EQ(same, img) << "radius 0 leaves the image alone";
}

}  // namespace
}  // namespace smp::engine
