// Shaded ellipses: head, ears, neck, shoulders, brows and eyes; Lambert-like shading on the skull.
#include "app/core/sample_portrait.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "app/core/head_guide.h"
#include "app/vision/photo_analysis.h"

namespace smp::core {
namespace {

struct Rgb {
  double r, g, b;
};

Rgb skinTone(int fitzpatrick) {
  static constexpr std::array<Rgb, 6> kTones{{{242, 214, 196},
                                              {228, 190, 164},
                                              {204, 160, 126},
                                              {170, 124, 90},
                                              {120, 82, 58},
                                              {78, 52, 38}}};
  return kTones[static_cast<std::size_t>(std::clamp(fitzpatrick, 1, 6) - 1)];
}

// The wall behind the head: a vertical gradient whose tint the seed varies. t: 0 top, 1 bottom.
Rgb wallAt(double t, std::uint64_t seed) {
  const double hue = static_cast<double>(seed % 7) / 7.0;
  const Rgb top{150 + 40 * hue, 170, 185 - 30 * hue}, bottom{90, 105 + 20 * hue, 120};
  return {top.r + (bottom.r - top.r) * t, top.g + (bottom.g - top.g) * t,
          top.b + (bottom.b - top.b) * t};
}

double ellipse(double x, double y, double cx, double cy, double rx, double ry) {
  const double dx = (x - cx) / rx, dy = (y - cy) / ry;
  return dx * dx + dy * dy;
}

}  // namespace

engine::RgbImage samplePortrait(int width, int height, int fitzpatrick, std::uint64_t seed) {
  engine::RgbImage img(width, height);
  const HeadGuide g = defaultGuide(width, height);
  const Rgb skin = skinTone(fitzpatrick);
  const double hx = g.centerX, hy = g.centerY, rx = g.radiusX * 0.97, ry = g.radiusY * 0.97;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      Rgb c = wallAt(static_cast<double>(y) / height, seed);
      const double px = x + 0.5, py = y + 0.5;
      // Shoulders and neck.
      if (ellipse(px, py, hx, height * 1.08, width * 0.42, height * 0.26) < 1.0) c = {52, 62, 82};
      if (std::abs(px - hx) < rx * 0.45 && py > hy && py < height * 0.88) {
        c = {skin.r * 0.82, skin.g * 0.82, skin.b * 0.82};
      }
      // Ears.
      for (double side : {-1.0, 1.0}) {
        if (ellipse(px, py, hx + side * rx * 0.98, hy + ry * 0.08, rx * 0.14, ry * 0.2) < 1.0) {
          c = {skin.r * 0.88, skin.g * 0.88, skin.b * 0.88};
        }
      }
      const double e = ellipse(px, py, hx, hy, rx, ry);
      if (e < 1.0) {
        // Light from the upper left: brighter crown, darker temples and jaw.
        const double nx = (px - hx) / rx, ny = (py - hy) / ry;
        const double nz = std::sqrt(std::max(0.0, 1.0 - nx * nx - ny * ny));
        const double light =
            std::clamp(0.55 + 0.45 * (-0.35 * nx - 0.45 * ny + 0.82 * nz), 0.0, 1.1);
        c = {skin.r * light, skin.g * light, skin.b * light};
        // Brows, eyes, nose shadow and mouth in the lower half of the face.
        // Classic proportions: eyes halfway down the head, brows just above them.
        const double browY = hy - ry * 0.09, eyeY = hy;
        for (double side : {-1.0, 1.0}) {
          if (ellipse(px, py, hx + side * rx * 0.38, browY, rx * 0.2, ry * 0.03) < 1.0)
            c = {60, 45, 38};
          if (ellipse(px, py, hx + side * rx * 0.38, eyeY, rx * 0.12, ry * 0.045) < 1.0)
            c = {235, 235, 230};
          if (ellipse(px, py, hx + side * rx * 0.38, eyeY, rx * 0.05, ry * 0.045) < 1.0)
            c = {50, 40, 35};
        }
        if (ellipse(px, py, hx + rx * 0.04, hy + ry * 0.3, rx * 0.09, ry * 0.14) < 1.0) {
          c = {c.r * 0.85, c.g * 0.85, c.b * 0.85};
        }
        if (ellipse(px, py, hx, hy + ry * 0.6, rx * 0.28, ry * 0.05) < 1.0) {
          c = {skin.r * 0.6, skin.g * 0.42, skin.b * 0.42};
        }
      }
      auto* p = img.at(x, y);
      p[0] = static_cast<std::uint8_t>(std::clamp(c.r, 0.0, 255.0));
      p[1] = static_cast<std::uint8_t>(std::clamp(c.g, 0.0, 255.0));
      p[2] = static_cast<std::uint8_t>(std::clamp(c.b, 0.0, 255.0));
    }
  }
  return img;
}

namespace {

// Short strands over pixel p: fine vertical noise, partly letting the skin through; against
// the background (beyond the skull) the strands cover more.
void paintStrands(std::uint8_t* p, int x, int y, std::uint64_t seed, const MannequinHair& hair,
                  bool againstBackground) {
  const std::uint32_t hsh = static_cast<std::uint32_t>(x * 73856093u) ^
                            static_cast<std::uint32_t>((y / 3) * 19349663u) ^
                            static_cast<std::uint32_t>(seed * 83492791u);
  const double strand = 0.65 + 0.35 * static_cast<double>((hsh >> 8) & 0xFF) / 255.0;
  const double a = againstBackground ? 0.92 : 0.88 * strand;
  p[0] = static_cast<std::uint8_t>(std::clamp(p[0] * (1 - a) + hair.r * a * strand, 0.0, 255.0));
  p[1] = static_cast<std::uint8_t>(std::clamp(p[1] * (1 - a) + hair.g * a * strand, 0.0, 255.0));
  p[2] = static_cast<std::uint8_t>(std::clamp(p[2] * (1 - a) + hair.b * a * strand, 0.0, 255.0));
}

}  // namespace

engine::RgbImage samplePortraitWithHair(int width, int height, int fitzpatrick, std::uint64_t seed,
                                        const MannequinHair& hair, engine::GrayImage* hairTruth) {
  engine::RgbImage img = samplePortrait(width, height, fitzpatrick, seed);
  if (hairTruth) *hairTruth = engine::GrayImage(width, height, 0);
  const HeadGuide g = defaultGuide(width, height);
  const double hx = g.centerX, hy = g.centerY, rx = g.radiusX * 0.97, ry = g.radiusY * 0.97;
  const double pxPerMm = 2 * rx / 152.0;
  const double grow = 1.0 + hair.lengthMm * pxPerMm / rx;  // hair stands out by its length
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double nx = (x + 0.5 - hx) / rx, ny = (y + 0.5 - hy) / ry;
      const double r = std::sqrt(nx * nx + ny * ny);
      if (r > grow || ny > -0.16) continue;  // hair ends above the brows and ears
      // The horseshoe: the sides and the back edge keep hair, the top is bare.
      const bool sides = std::abs(nx) > 0.62 || r > 0.93;
      if (!sides) continue;
      paintStrands(img.at(x, y), x, y, seed, hair, r > 1.0);
      if (hairTruth) hairTruth->at(x, y) = 255;
    }
  }
  return img;
}

engine::RgbImage sampleTopOfHead(int width, int height, int fitzpatrick, std::uint64_t seed,
                                 const MannequinHair& hair, engine::GrayImage* hairTruth,
                                 engine::GrayImage* headTruth) {
  engine::RgbImage img(width, height);
  if (hairTruth) *hairTruth = engine::GrayImage(width, height, 0);
  if (headTruth) *headTruth = engine::GrayImage(width, height, 0);
  const HeadGuide g = defaultGuide(width, height);
  const Rgb skin = skinTone(fitzpatrick);
  // The skull from above: as wide as the front view's, about 1.25 times as long (the visible
  // length of a bowed head), the forehead toward the lower edge.
  const double hx = g.centerX, rx = g.radiusX * 0.97, ry = rx * 1.25;
  const double hy = std::min(g.centerY + 0.1 * g.radiusY, height - ry * 0.9);
  const double pxPerMm = 2 * rx / 152.0;
  const double grow = 1.0 + hair.lengthMm * pxPerMm / rx;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      Rgb c = wallAt(static_cast<double>(y) / height, seed);
      const double px = x + 0.5, py = y + 0.5;
      // The shoulders and back behind the bowed head, lower in the frame.
      if (ellipse(px, py, hx, hy + ry * 0.9, rx * 2.3, ry * 0.75) < 1.0) c = {52, 62, 82};
      // The tops of the ears, just out from the sides, level with the front third.
      for (double side : {-1.0, 1.0}) {
        if (ellipse(px, py, hx + side * rx * 0.99, hy + ry * 0.3, rx * 0.1, ry * 0.16) < 1.0) {
          c = {skin.r * 0.85, skin.g * 0.85, skin.b * 0.85};
        }
      }
      const double nx = (px - hx) / rx, ny = (py - hy) / ry;
      const double r = std::sqrt(nx * nx + ny * ny);
      if (r < 1.0) {
        // Light from above: the crown faces it, the outline turns away; a soft sheen.
        const double nz = std::sqrt(std::max(0.0, 1.0 - r * r));
        const double sheen = 0.12 * std::exp(-((nx + 0.15) * (nx + 0.15) + ny * ny) / 0.05);
        const double light = std::clamp(0.5 + 0.45 * nz + sheen, 0.0, 1.15);
        c = {skin.r * light, skin.g * light, skin.b * light};
        if (headTruth) headTruth->at(x, y) = 255;
      }
      auto* p = img.at(x, y);
      p[0] = static_cast<std::uint8_t>(std::clamp(c.r, 0.0, 255.0));
      p[1] = static_cast<std::uint8_t>(std::clamp(c.g, 0.0, 255.0));
      p[2] = static_cast<std::uint8_t>(std::clamp(c.b, 0.0, 255.0));
      // The horseshoe from above: a fringe along the sides and the back, the top and the
      // front bare.
      if (r < grow && r > 0.7 && ny < 0.3) {
        paintStrands(p, x, y, seed, hair, r > 1.0);
        if (hairTruth) hairTruth->at(x, y) = 255;
        if (headTruth) headTruth->at(x, y) = 255;
      }
    }
  }
  return img;
}

std::vector<BeforeAfter> attractLoopPairs() {
  std::vector<BeforeAfter> pairs;
  for (int fitzpatrick : {2, 4, 6}) {
    BeforeAfter pair;
    // Near-black hair on the darkest skin (dark brown there clips to a stubble hardly darker
    // than the scalp, and the pigment matched to it hardly shows).
    const MannequinHair hair =
        fitzpatrick >= 6 ? MannequinHair{20, 16, 14, 3} : MannequinHair{38, 30, 26, 3};
    pair.before = samplePortraitWithHair(720, 540, fitzpatrick, 7, hair);
    engine::PreviewParams p;
    p.hairline = engine::HairlineStyle::kSoft;
    p.fitzpatrick = fitzpatrick;
    pair.after = vision::renderAutomaticPreview(
                     pair.before, defaultGuide(pair.before.width, pair.before.height), p)
                     .image;
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

}  // namespace smp::core
