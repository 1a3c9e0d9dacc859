// Each pixel of the head (u, v in -1..1, forehead at v = -1) is hair, thinning or bare scalp:
// Norwood: an M-shaped frontal line that recedes with the stage, a crown spot from IV, and from
//   VI the front and crown joining so only the horseshoe at the sides and back remains.
// Ludwig: the frontal line stays; a widening zone of thinning along the parting.
// 2x2 supersampling keeps the edges smooth.
#include "app/ui/loss_icons.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace smp::ui {
namespace {

struct Rgb {
  float r, g, b;
};
constexpr Rgb kHair{74, 58, 48}, kSkin{232, 196, 170}, kThin{176, 140, 118}, kOutline{60, 60, 66},
    kBack{0, 0, 0};

Rgb classify(const std::string& stage, int n, float u, float v) {
  if (stage.rfind("norwood", 0) == 0) {
    static constexpr std::array<float, 7> kFront{0.0f, 0.05f, 0.14f, 0.26f, 0.40f, 0.55f, 0.70f};
    static constexpr std::array<float, 7> kTemple{0.08f, 0.18f, 0.32f, 0.34f, 0.34f, 0.3f, 0.25f};
    static constexpr std::array<float, 7> kCrown{0, 0, 0, 0.2f, 0.3f, 0.42f, 0.5f};
    const auto i = static_cast<std::size_t>(n - 1);
    const float t = (std::abs(u) - 0.6f) / 0.22f;
    const float line = -1.0f + kFront[i] + kTemple[i] * std::exp(-t * t);
    if (v < line) return kSkin;
    if (kCrown[i] > 0 && u * u + (v - 0.35f) * (v - 0.35f) < kCrown[i] * kCrown[i]) return kSkin;
    if (n >= 6 && std::abs(u) < (n == 6 ? 0.45f : 0.62f) && v < 0.35f)
      return kSkin;                                                          // front meets crown
    if (n == 5 && std::abs(u) < 0.3f && v < 0.2f && v > line) return kThin;  // the bridge thins
    return kHair;
  }
  static constexpr std::array<float, 3> kWidth{0.2f, 0.35f, 0.5f};
  const float w = kWidth[static_cast<std::size_t>(n - 1)] *
                  (1.0f - ((v + 0.1f) / 0.95f) * ((v + 0.1f) / 0.95f));
  if (v > -0.85f && std::abs(u) < 0.025f + 0.01f * static_cast<float>(n))
    return kSkin;  // the parting
  if (v > -0.85f && std::abs(u) < w * (n >= 2 ? 0.45f : 0.0f)) return kSkin;
  if (v > -0.85f && std::abs(u) < w) return kThin;
  return kHair;
}

}  // namespace

engine::RgbImage renderLossIcon(const std::string& stage, int size) {
  engine::RgbImage img(size, size);
  const int n = stage.back() - '0';
  const float c = static_cast<float>(size) / 2, rx = static_cast<float>(size) * 0.36f,
              ry = static_cast<float>(size) * 0.46f;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      Rgb sum{0, 0, 0};
      float alpha = 0;
      for (int sy = 0; sy < 2; ++sy) {
        for (int sx = 0; sx < 2; ++sx) {
          const float u = (static_cast<float>(x) + 0.25f + 0.5f * static_cast<float>(sx) - c) / rx;
          const float v = (static_cast<float>(y) + 0.25f + 0.5f * static_cast<float>(sy) - c) / ry;
          const float r = u * u + v * v;
          Rgb col = kBack;
          if (r < 1.0f) {
            col = classify(stage, n, u, v);
          } else if (r < 1.09f) {
            col = kOutline;
          } else {
            continue;
          }
          sum = {sum.r + col.r, sum.g + col.g, sum.b + col.b};
          alpha += 0.25f;
        }
      }
      // Unpainted samples take the tile's grey so the icon blends into the button.
      const float bg[3] = {220, 222, 226};
      auto* p = img.at(x, y);
      p[0] = static_cast<std::uint8_t>(sum.r * 0.25f + (1 - alpha) * bg[0]);
      p[1] = static_cast<std::uint8_t>(sum.g * 0.25f + (1 - alpha) * bg[1]);
      p[2] = static_cast<std::uint8_t>(sum.b * 0.25f + (1 - alpha) * bg[2]);
    }
  }
  return img;
}

}  // namespace smp::ui
