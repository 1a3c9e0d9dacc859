#include "engine/pigment_layer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "engine/color.h"
#include "engine/row_bands.h"

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

namespace {

// An impression's normalised profile over the pixels it reaches: a disc of radius r convolved
// with a Gaussian of sigma (0.5 erfc((rho - r) / (sigma sqrt 2))), averaged over sub x sub
// samples per pixel, for a dot at (fx, fy) within pixel (0, 0). Offsets ox0..ox1, oy0..oy1.
struct Profile {
  int ox0 = 0, ox1 = -1, oy0 = 0, oy1 = -1;
  std::vector<float> weights;  // normalised to sum 1; empty when nothing is covered
};

Profile makeProfile(double fx, double fy, double r, double sigma, int sub) {
  Profile p;
  const double reach = r + 3.0 * sigma;
  p.ox0 = static_cast<int>(std::floor(fx - reach));
  p.ox1 = static_cast<int>(std::floor(fx + reach));
  p.oy0 = static_cast<int>(std::floor(fy - reach));
  p.oy1 = static_cast<int>(std::floor(fy + reach));
  const double inv = 1.0 / sigma;
  const float step = 1.0f / static_cast<float>(sub);
  const EdgeTable& edge = edgeTable();
  p.weights.resize(static_cast<std::size_t>(p.ox1 - p.ox0 + 1) *
                   static_cast<std::size_t>(p.oy1 - p.oy0 + 1));
  double total = 0;
  std::size_t k = 0;
  for (int y = p.oy0; y <= p.oy1; ++y) {
    for (int x = p.ox0; x <= p.ox1; ++x, ++k) {
      double acc = 0;
      for (int sy = 0; sy < sub; ++sy) {
        const double py = y + (sy + 0.5) * step - fy;
        for (int sx = 0; sx < sub; ++sx) {
          const double px = x + (sx + 0.5) * step - fx;
          acc += edge((std::sqrt(px * px + py * py) - r) * inv);
        }
      }
      p.weights[k] = static_cast<float>(acc);
      total += acc;
    }
  }
  if (total <= 0) {
    p.weights.clear();
    return p;
  }
  for (float& w : p.weights) w = static_cast<float>(w / total);
  return p;
}

// Impressions differ only in where they fall within a pixel and in their radius. Their profiles
// are made once per phase (1/8 px) and radius (1/64 px) and reused: a shift of at most 1/16 px
// (0.015 mm at the kiosk's scale) and a size change of 1/128 px are far below what a photo
// resolves, and a preview's ten thousand dots need a few hundred profiles.
constexpr int kPhases = 8;
constexpr double kRadiusStep = 1.0 / 64;

}  // namespace

std::vector<float> depositPigment(const std::vector<Dot>& dots, int width, int height,
                                  const PigmentOptics& optics) {
  std::vector<float> ink(static_cast<std::size_t>(width) * height, 0.0f);
  const double sigmaDermal = optics.dermalBlurMm * optics.pxPerMm;
  const double sigma =
      std::sqrt(sigmaDermal * sigmaDermal + optics.photoBlurPx * optics.photoBlurPx);
  // Sub-samples per pixel side so that the profile is sampled at 10 px/mm or finer.
  const int sub = std::clamp(static_cast<int>(std::ceil(10.0 / optics.pxPerMm)), 1, 8);
  // Each band adds the dots that reach its rows, in the dots' order, so every pixel sums the
  // same contributions in the same order as in one thread.
  forEachRowBand(width, height, [&](int bandY0, int bandY1) {
    std::unordered_map<std::uint64_t, Profile> profiles;
    for (const Dot& d : dots) {
      if (d.y + 0.5 * d.diameterPx + 3.0 * sigma + 2 < bandY0 ||
          d.y - 0.5 * d.diameterPx - 3.0 * sigma - 2 >= bandY1)
        continue;
      const double r = 0.5 * d.diameterPx;
      if (!(r > 0) || !std::isfinite(d.x) || !std::isfinite(d.y)) continue;
      const double ix = std::floor(d.x), iy = std::floor(d.y);
      const int px = std::min(kPhases - 1, static_cast<int>((d.x - ix) * kPhases));
      const int py = std::min(kPhases - 1, static_cast<int>((d.y - iy) * kPhases));
      const auto bin = static_cast<std::uint64_t>(std::lround(r / kRadiusStep));
      const std::uint64_t key = (bin * kPhases + static_cast<std::uint64_t>(py)) * kPhases +
                                static_cast<std::uint64_t>(px);
      auto found = profiles.find(key);
      if (found == profiles.end()) {
        found = profiles
                    .emplace(key, makeProfile((px + 0.5) / kPhases, (py + 0.5) / kPhases,
                                              static_cast<double>(bin) * kRadiusStep, sigma, sub))
                    .first;
      }
      const Profile* profile = &found->second;
      // At the photo's edge part of the impression falls outside: that dot's own profile is
      // made over the pixels inside, so its whole mass lands in the photo.
      Profile clipped;
      const int cx = static_cast<int>(ix), cy = static_cast<int>(iy);
      if (cx + profile->ox0 < 0 || cx + profile->ox1 >= width || cy + profile->oy0 < 0 ||
          cy + profile->oy1 >= height) {
        const double reach = r + 3.0 * sigma;
        if (d.x + reach < 0 || d.x - reach >= width || d.y + reach < 0 || d.y - reach >= height)
          continue;
        clipped = makeProfile(d.x - ix, d.y - iy, r, sigma, sub);
        // Keep only the pixels inside, normalised again.
        Profile inside;
        inside.ox0 = std::max(clipped.ox0, -cx);
        inside.ox1 = std::min(clipped.ox1, width - 1 - cx);
        inside.oy0 = std::max(clipped.oy0, -cy);
        inside.oy1 = std::min(clipped.oy1, height - 1 - cy);
        if (clipped.weights.empty() || inside.ox1 < inside.ox0 || inside.oy1 < inside.oy0) continue;
        double total = 0;
        const int cw = clipped.ox1 - clipped.ox0 + 1;
        for (int y = inside.oy0; y <= inside.oy1; ++y) {
          for (int x = inside.ox0; x <= inside.ox1; ++x) {
            const float w =
                clipped.weights[static_cast<std::size_t>(y - clipped.oy0) * cw + (x - clipped.ox0)];
            inside.weights.push_back(w);
            total += w;
          }
        }
        if (total <= 0) continue;
        for (float& w : inside.weights) w = static_cast<float>(w / total);
        clipped = std::move(inside);
        profile = &clipped;
      }
      if (profile->weights.empty()) continue;
      // The impression's area in pixels, times its opacity, spread by the normalised profile.
      const float mass = static_cast<float>(3.14159265358979 * r * r * d.opacity);
      const int cols = profile->ox1 - profile->ox0 + 1;
      for (int y = std::max(profile->oy0, bandY0 - cy);
           y <= std::min(profile->oy1, bandY1 - 1 - cy); ++y) {
        std::size_t k = static_cast<std::size_t>(y - profile->oy0) * static_cast<std::size_t>(cols);
        float* row = &ink[static_cast<std::size_t>(cy + y) * width + cx];
        for (int x = profile->ox0; x <= profile->ox1; ++x, ++k)
          row[x] += profile->weights[k] * mass;
      }
    }
  });
  return ink;
}

RgbImage applyPigment(const RgbImage& base, const std::vector<float>& ink, const GrayImage* zone,
                      double strength, const float absorb[3]) {
  RgbImage out = base;
  const std::size_t w = static_cast<std::size_t>(base.width);
  forEachRowBand(base.width, base.height, [&](int y0, int y1) {
    for (std::size_t i = static_cast<std::size_t>(y0) * w; i < static_cast<std::size_t>(y1) * w;
         ++i) {
      if (ink[i] <= 0) continue;
      const float z = zone ? zone->pixels[i] / 255.0f : 1.0f;
      if (z <= 0) continue;
      const float depth = static_cast<float>(strength) * ink[i] * z;
      for (int c = 0; c < 3; ++c) {
        const float lin = srgbToLinear(base.pixels[i * 3 + c]) * std::exp(-depth * absorb[c]);
        out.pixels[i * 3 + c] = linearToSrgb(lin);
      }
    }
  });
  return out;
}

}  // namespace smp::engine
