// All blending happens in linear light; only the zone the analysis allows is touched, so the
// face, ears and background are byte-identical to the photo.
#include "engine/shaved_base.h"

#include <algorithm>
#include <cmath>

#include "engine/box_blur.h"
#include "engine/inpaint.h"

namespace smp::engine {
namespace {

// Stable value noise at about follicle spacing: clipped stubble is a grain, not a wash.
float grain(int x, int y, double cellPx) {
  auto hash = [](int ix, int iy) {
    std::uint32_t v =
        static_cast<std::uint32_t>(ix) * 0x8DA6B343u ^ static_cast<std::uint32_t>(iy) * 0xD8163841u;
    v ^= v >> 13;
    v *= 0x5BD1E995u;
    v ^= v >> 15;
    return static_cast<float>(v & 0xFFFF) / 65535.0f;
  };
  const double fx = x / cellPx, fy = y / cellPx;
  const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
  const float tx = static_cast<float>(fx - x0), ty = static_cast<float>(fy - y0);
  const float a = hash(x0, y0), b = hash(x0 + 1, y0), c = hash(x0, y0 + 1),
              d = hash(x0 + 1, y0 + 1);
  return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
}

constexpr float kDenseStubbleCover = 0.7f;
constexpr double kVolumeToleranceMm = 3;  // hair this close to the braincase is never volume
constexpr double kVolumeFadeMm = 2;       // beyond it, taken away over this much
constexpr double kFlyawayMm = 7;        // strands the segmentation left on the wall reach this far
constexpr double kWispReachMm = 14;     // thin strands are looked for this far from the hair
constexpr double kLightScaleMm = 7;     // shading is read at this scale: above a strand's
constexpr double kLightStrength = 0.8;  // of the light's variation carried onto the scalp
constexpr float kLightMin = 0.65f, kLightMax = 1.35f;

// The light falling on the head, read from the hair the clippers take away: the hair's
// luminance, averaged over several millimetres (wider than strands and stubble texture), over
// its own median. Hair of one colour over the head varies in luminance mostly with the light,
// so the clipped scalp keeps the photo's own shading (lit where the hair was lit, shaded at
// the sides and toward the crown) instead of one flat fill that reads as a painted cap.
// Returns a factor per pixel of the crop (1 = the hair's median), or nothing when there is too
// little hair to read the light from.
std::vector<float> lightOnTheHair(const std::vector<float>& luma, const HeadLayers& layers, int x0,
                                  int y0, int cw, int ch, int w, double pxPerMm) {
  const std::size_t cn = static_cast<std::size_t>(cw) * ch;
  std::vector<float> weighted(cn), weight(cn);
  std::vector<float> samples;
  for (int y = 0; y < ch; ++y)
    for (int x = 0; x < cw; ++x) {
      const std::size_t j = static_cast<std::size_t>(y) * cw + x;
      const std::size_t i = static_cast<std::size_t>(y + y0) * w + (x + x0);
      const float hair =
          layers.hair.pixels[i] > 128 && layers.scalpZone.pixels[i] > 128 ? 1.f : 0.f;
      weight[j] = hair;
      weighted[j] = hair * luma[j];
      if (hair > 0 && (x + y) % 3 == 0) samples.push_back(luma[j]);
    }
  const double minSamples = 300 * pxPerMm * pxPerMm / 9;  // about 3 cm^2 of hair
  if (static_cast<double>(samples.size()) < minSamples) return {};
  auto mid = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
  std::nth_element(samples.begin(), mid, samples.end());
  const float median = std::max(1e-4f, *mid);
  const int radius = std::max(1, static_cast<int>(std::lround(kLightScaleMm * pxPerMm / 2)));
  for (int pass = 0; pass < 3; ++pass) {
    boxBlur(weighted, cw, ch, radius);
    boxBlur(weight, cw, ch, radius);
  }
  std::vector<float> light(cn);
  for (std::size_t j = 0; j < cn; ++j) {
    // Beyond the hair the estimate fades to 1 (no shading to carry).
    const float seen = std::clamp(weight[j] * 4, 0.0f, 1.0f);
    const float ratio = weight[j] > 1e-3f ? weighted[j] / weight[j] / median : 1.0f;
    const float factor =
        static_cast<float>(std::pow(std::clamp(ratio, 0.05f, 20.0f), kLightStrength));
    light[j] = 1 + (std::clamp(factor, kLightMin, kLightMax) - 1) * seen;
  }
  return light;
}

// Where the stubble goes by the pixels' own colour: 1 where a neighbourhood's mean, placed on
// the line from the skin's colour to the hair's, is this far toward the hair.
constexpr float kStrandsMakeHair = 1 / 0.35f;

// A colour's place on the line from the client's skin to their hair in CIELAB (0 skin, 1 hair,
// unclamped). In CIELAB, not sRGB: grey hair in shadow keeps its low chroma, so it stays hair,
// where in sRGB levels it came out nearer the skin than the hair.
class SkinToHair {
 public:
  // `hairKnown`: the hair's colour was measured (without it nothing is told apart).
  SkinToHair(const Lab& skin, const Lab& hair, bool hairKnown) : m_skin(skin) {
    const double dL = hair.L - skin.L, da = hair.a - skin.a, db = hair.b - skin.b;
    const double span2 = dL * dL + da * da + db * db;
    m_distinct = hairKnown && span2 >= kDistinctDeltaE * kDistinctDeltaE;
    if (m_distinct) m_dir = {dL / span2, da / span2, db / span2};
  }
  bool distinct() const { return m_distinct; }
  float at(const std::uint8_t* rgb) const {
    const Lab p = srgbToLab(rgb);
    return static_cast<float>((p.L - m_skin.L) * m_dir.L + (p.a - m_skin.a) * m_dir.a +
                              (p.b - m_skin.b) * m_dir.b);
  }

 private:
  static constexpr double kDistinctDeltaE = 5;  // closer than this, skin and hair look alike
  Lab m_skin, m_dir;
  bool m_distinct = false;
};

// A box of pixels, [x0, x1) x [y0, y1).
struct PixelBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0; }
};

// The smallest box holding every pixel of a `w` x `h` image where `inside(i)` holds (i: the
// pixel's index), widened by `margin` on every side within the image; empty when none holds.
template <typename Inside>
PixelBox boxWhere(int w, int h, int margin, Inside inside) {
  PixelBox b{w, h, 0, 0};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (inside(static_cast<std::size_t>(y) * w + x)) {
        b.x0 = std::min(b.x0, x);
        b.x1 = std::max(b.x1, x + 1);
        b.y0 = std::min(b.y0, y);
        b.y1 = std::max(b.y1, y + 1);
      }
  if (b.empty()) return PixelBox{};
  return {std::max(0, b.x0 - margin), std::max(0, b.y0 - margin), std::min(w, b.x1 + margin),
          std::min(h, b.y1 + margin)};
}

// Weighs the hair map (`density`, 0-1 per pixel) by how far the pixels' colour lies from the
// client's skin toward their hair, averaged over `radius` pixels: bare skin the map took for
// hair counts for nothing, hair fully. Only around the hair in the scalp zone (the rest takes no
// stubble), and the colour is read on every other pixel each way: a CIELAB conversion per pixel
// of the photo cost 9 ms, and the share is averaged over a millimetre anyway.
void weighHairByColour(std::vector<float>& density, const RgbImage& photo, const HeadLayers& L,
                       const SkinToHair& line, int radius) {
  if (!line.distinct()) return;  // the colours cannot tell skin from hair: the map stands
  const int w = photo.width, h = photo.height;
  const PixelBox box = boxWhere(w, h, 2 * radius + 2, [&](std::size_t i) {
    return L.hair.pixels[i] && L.scalpZone.pixels[i];
  });
  if (box.empty()) return;
  const int x0 = box.x0 & ~1, y0 = box.y0 & ~1;  // even, so the 2x2 cells line up with the photo's
  const int x1 = box.x1, y1 = box.y1;
  const int cw = x1 - x0, ch = y1 - y0;
  std::vector<float> share(static_cast<std::size_t>(cw) * ch, 0.0f);
  for (int y = 0; y < ch; y += 2)
    for (int x = 0; x < cw; x += 2) {
      const float v =
          std::clamp(line.at(&photo.pixels[(static_cast<std::size_t>(y + y0) * w + (x + x0)) * 3]),
                     0.0f, 1.0f);
      for (int dy = 0; dy < 2 && y + dy < ch; ++dy)
        for (int dx = 0; dx < 2 && x + dx < cw; ++dx) {
          const std::size_t g = static_cast<std::size_t>(y + dy + y0) * w + (x + dx + x0);
          if (L.hair.pixels[g]) share[static_cast<std::size_t>(y + dy) * cw + x + dx] = v;
        }
    }
  boxBlur(share, cw, ch, radius);
  for (int y = 0; y < ch; ++y)
    for (int x = 0; x < cw; ++x)
      density[static_cast<std::size_t>(y + y0) * w + (x + x0)] *=
          std::clamp(share[static_cast<std::size_t>(y) * cw + x] * kStrandsMakeHair, 0.0f, 1.0f);
}

// Keeping the hair: how much of each pixel is scalp the pigment shows on (255) rather than a
// strand lying over it (0). The hair layer is soft and coarse (its work pixels are over a
// millimetre, and thinning hair there is "hair" with the scalp showing through), so each pixel
// is placed, by its own colour, on the line from the client's skin to their hair: grey strands
// over pale skin, dark strands over any skin. Pigment under a strand is hidden by it, as it is
// on the client: dots laid over the strands read as pepper sprinkled on the hair.
GrayImage scalpBetweenStrands(const RgbImage& photo, const HeadLayers& L, const SkinToHair& line) {
  constexpr float kStrandFrom = 0.25f, kStrandTo = 0.7f;  // of the way from skin to hair
  constexpr float kHairCounts = 2.0f;  // the soft layer's 0.5 already means strands there
  GrayImage shows(photo.width, photo.height, 255);
  if (!line.distinct()) return shows;  // hair the colour of the skin: nothing tells them apart
  for (std::size_t i = 0; i < shows.pixels.size(); ++i) {
    const float hairHere = std::min(1.0f, kHairCounts * L.hair.pixels[i] / 255.0f);
    if (hairHere <= 0 || L.scalpZone.pixels[i] == 0) continue;
    const float strand = std::clamp(
        (line.at(&photo.pixels[i * 3]) - kStrandFrom) / (kStrandTo - kStrandFrom), 0.0f, 1.0f);
    shows.pixels[i] = static_cast<std::uint8_t>(std::lround(255.0f * (1.0f - hairHere * strand)));
  }
  return shows;
}

// The minimum (or maximum) over a square of 2 * radius + 1 pixels: along each row, then down
// the columns a whole row at a time (the compiler vectorises both; a column walked pixel by
// pixel strides through memory). `v` is a crop of `width` x `height` values.
template <typename Pick>
void squareFilter(std::vector<float>& v, int width, int height, int radius, Pick pick) {
  std::vector<float> line(static_cast<std::size_t>(width));
  for (int y = 0; y < height; ++y) {
    float* row = &v[static_cast<std::size_t>(y) * width];
    std::copy_n(row, width, line.begin());
    for (int x = 0; x < width; ++x) {
      float m = line[static_cast<std::size_t>(x)];
      for (int u = std::max(0, x - radius); u <= std::min(width - 1, x + radius); ++u)
        m = pick(m, line[static_cast<std::size_t>(u)]);
      row[x] = m;
    }
  }
  const std::vector<float> across = v;
  for (int y = 0; y < height; ++y) {
    float* out = &v[static_cast<std::size_t>(y) * width];
    for (int u = std::max(0, y - radius); u <= std::min(height - 1, y + radius); ++u) {
      const float* in = &across[static_cast<std::size_t>(u) * width];
      for (int x = 0; x < width; ++x) out[x] = pick(out[x], in[x]);
    }
  }
}

void squareMinMax(std::vector<float>& v, int width, int height, int radius, bool maximum) {
  if (maximum)
    squareFilter(v, width, height, radius, [](float a, float b) { return a > b ? a : b; });
  else
    squareFilter(v, width, height, radius, [](float a, float b) { return a < b ? a : b; });
}

// A crop of the photo: x0, y0, width x height of the photo's `stride` columns.
struct Crop {
  int x0 = 0, y0 = 0, width = 0, height = 0, stride = 0;
  std::size_t size() const { return static_cast<std::size_t>(width) * height; }
  std::size_t pixelOf(int x, int y) const {  // in the photo, of crop pixel x, y
    return static_cast<std::size_t>(y + y0) * stride + (x + x0);
  }
};

// Thin strands on a smooth surface (a wall out of focus, bare skin): a sharp line thinner than
// a millimetre, on the hair's side of the surface's lightness. A morphological opening (a
// closing, for strands darker than the surface) over 1.2 mm removes such lines and keeps
// everything wider. Looked for at the crop's pixels where `candidate(x, y, j)` holds; the
// surface's lightness is the mean of those where `surface` holds, and a surface with fine
// texture of its own (patterned paper, brick in focus, skin's pores) stands out as much where
// `farSurface` holds, away from any hair: there a line counts as a strand only well above that
// (the 90th percentile there, sampled every third pixel, half as much again). `luma`: the
// photo's luminance over the crop; `hairY`: the hair's. The strands are taken out of `image`;
// returns how much of each crop pixel was a strand (0-1), or nothing when none was found.
template <typename Candidate, typename Surface, typename FarSurface>
std::vector<float> removeThinStrands(RgbImage& image, const Crop& crop,
                                     const std::vector<float>& luma, double hairY, double pxPerMm,
                                     Candidate candidate, Surface surface, FarSurface farSurface) {
  const int cw = crop.width, ch = crop.height;
  const std::size_t cn = crop.size();
  double surfaceSum = 0;
  long surfaceCount = 0;
  for (int y = 0; y < ch; ++y)
    for (int x = 0; x < cw; ++x) {
      const std::size_t j = static_cast<std::size_t>(y) * cw + x;
      if (surface(x, y, j)) {
        surfaceSum += luma[j];
        ++surfaceCount;
      }
    }
  if (surfaceCount == 0) return {};
  const bool strandsLighter = hairY > surfaceSum / static_cast<double>(surfaceCount);
  const int radius = std::max(1, static_cast<int>(std::lround(0.6 * pxPerMm)));
  std::vector<float> smooth = luma;  // opened (closed, for strands darker than the surface)
  squareMinMax(smooth, cw, ch, radius, !strandsLighter);
  squareMinMax(smooth, cw, ch, radius, strandsLighter);
  // How far a pixel stands out from the opened surface, in L* at the surface's level.
  // Below 2 L* it counts as nothing: every threshold below is 3 L* or more, and the texture's
  // percentile matters only from 2 (1.5 times it must pass 3). L* rises at most 903.3 per unit
  // of luminance (its slope at black), so a difference in luminance under 2 / 903.3 is under
  // 2 L*, and most pixels are judged without a cube root.
  auto standsOut = [&](std::size_t j) {
    if (std::abs(luma[j] - smooth[j]) < 2.0f / 903.3f) return 0.0;
    return std::abs(lightnessFromY(luma[j]) - lightnessFromY(smooth[j]));
  };
  std::vector<float> far;
  for (int y = 0; y < ch; y += 3)
    for (int x = 0; x < cw; x += 3) {
      const std::size_t j = static_cast<std::size_t>(y) * cw + x;
      if (farSurface(x, y, j)) far.push_back(static_cast<float>(standsOut(j)));
    }
  double texture = 0;
  if (!far.empty()) {
    auto p90 = far.begin() + static_cast<std::ptrdiff_t>(far.size() * 9 / 10);
    std::nth_element(far.begin(), p90, far.end());
    texture = *p90;
  }
  const double from = std::max(3.0, 1.5 * texture), to = from + 5;  // L*: becomes a strand
  std::vector<float> strand(cn, 0.0f);
  bool any = false;
  for (int y = 0; y < ch; ++y)
    for (int x = 0; x < cw; ++x) {
      const std::size_t j = static_cast<std::size_t>(y) * cw + x;
      if (!candidate(x, y, j)) continue;
      strand[j] = static_cast<float>(std::clamp((standsOut(j) - from) / (to - from), 0.0, 1.0));
      any = any || strand[j] > 0;
    }
  if (!any) return {};
  // Each channel is opened only around the strands: the opening at a pixel depends on pixels
  // within twice its radius, so over the strands' box widened by that it is exact.
  const PixelBox box = boxWhere(cw, ch, 2 * radius, [&](std::size_t j) { return strand[j] > 0; });
  const int bw = box.x1 - box.x0, bh = box.y1 - box.y0;
  std::vector<float> channel(static_cast<std::size_t>(bw) * bh);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < bh; ++y)
      for (int x = 0; x < bw; ++x)
        channel[static_cast<std::size_t>(y) * bw + x] =
            srgbToLinear(image.pixels[crop.pixelOf(x + box.x0, y + box.y0) * 3 + c]);
    squareMinMax(channel, bw, bh, radius, !strandsLighter);
    squareMinMax(channel, bw, bh, radius, strandsLighter);
    for (int y = 0; y < bh; ++y)
      for (int x = 0; x < bw; ++x) {
        const float s = strand[static_cast<std::size_t>(y + box.y0) * cw + (x + box.x0)];
        if (s <= 0) continue;
        std::uint8_t& v = image.pixels[crop.pixelOf(x + box.x0, y + box.y0) * 3 + c];
        v = linearToSrgb(srgbToLinear(v) * (1 - s) +
                         channel[static_cast<std::size_t>(y) * bw + x] * s);
      }
  }
  return strand;
}

// Within `reachMm` of the crop's pixels where `from` is over 0.005 (1), beyond it 0; a box blur,
// so the values between say how much of the reach lies near.
std::vector<float> withinReach(const std::vector<float>& from, const Crop& crop, double reachMm,
                               double pxPerMm) {
  std::vector<float> near(crop.size());
  for (std::size_t j = 0; j < near.size(); ++j) near[j] = from[j] > 0.005f ? 1.0f : 0.0f;
  boxBlur(near, crop.width, crop.height,
          std::max(1, static_cast<int>(std::lround(reachMm * pxPerMm))));
  return near;
}

// Flyaway strands farther out on the wall than the hair taken away with its volume: the
// clippers take them too (a grey-haired client's curls floated in the air beside his clipped
// head). On a wall out of focus, as behind nearly every portrait, they are thin strands (see
// removeThinStrands). Only the photo's own wall (outside the head) within kWispReachMm of the
// volume changes, in `wall`, which the fill then mirrors from (or it would mirror the strands
// back in). `volume`: the crop's map of hair standing out beyond the braincase, spread over the
// flyaway margin. Returns how much of each crop pixel was a strand (0-1), or nothing.
std::vector<float> cleanFlyaways(RgbImage& wall, const HeadLayers& L,
                                 const std::vector<float>& volume, const std::vector<float>& luma,
                                 double hairY, const Crop& crop, double pxPerMm) {
  const std::vector<float> near = withinReach(volume, crop, kWispReachMm, pxPerMm);
  auto onWall = [&](int x, int y) { return L.head.pixels[crop.pixelOf(x, y)] == 0; };
  return removeThinStrands(
      wall, crop, luma, hairY, pxPerMm,
      [&](int x, int y, std::size_t j) {
        return near[j] >= 1e-4f && volume[j] <= 0.005f && L.head.pixels[crop.pixelOf(x, y)] <= 25;
      },
      [&](int x, int y, std::size_t) { return onWall(x, y); },
      [&](int x, int y, std::size_t j) { return near[j] < 1e-4f && onWall(x, y); });
}

// Stray strands in front of the hair (the thin, sparse hairs a receding hairline leaves on the
// forehead, which the segmentation's coarse map cannot see): the clippers take them too, so
// they are taken out of the bare skin within kWispReachMm of the hair, judged against
// the client's own skin. `image` is the photo still there (the clipping leaves bare skin as
// it is). Only in the scalp zone.
void clipStrayStrands(RgbImage& image, const HeadLayers& L, const std::vector<float>& luma,
                      const std::vector<float>& insideHead, double hairY, const Crop& crop,
                      double pxPerMm) {
  std::vector<float> hairCore(crop.size());
  for (int y = 0; y < crop.height; ++y)
    for (int x = 0; x < crop.width; ++x)
      hairCore[static_cast<std::size_t>(y) * crop.width + x] =
          L.hair.pixels[crop.pixelOf(x, y)] > 128 ? 1.0f : 0.0f;
  const std::vector<float> near = withinReach(hairCore, crop, kWispReachMm, pxPerMm);
  // Bare skin: the hair map says skin (under 0.2 of hair, where the clipping changes nothing),
  // well inside the head, in the zone.
  auto bareSkin = [&](int x, int y, std::size_t j) {
    const std::size_t i = crop.pixelOf(x, y);
    return L.hair.pixels[i] <= 51 && L.scalpZone.pixels[i] > 0 && insideHead[j] >= 0.99f;
  };
  // Looked for out to where the hair map is half sure (its soft edge, where the clipping takes
  // only part of a pixel, is where most stray strands lie).
  removeThinStrands(
      image, crop, luma, hairY, pxPerMm,
      [&](int x, int y, std::size_t j) {
        const std::size_t i = crop.pixelOf(x, y);
        return near[j] >= 1e-4f && L.hair.pixels[i] <= 128 && L.scalpZone.pixels[i] > 0 &&
               insideHead[j] >= 0.99f;
      },
      bareSkin, [&](int x, int y, std::size_t j) { return near[j] < 1e-4f && bareSkin(x, y, j); });
}

}  // namespace

ShavedBase makeShavedBase(const RgbImage& photo, const HeadAnalysis& analysis, PreviewMode mode) {
  const int w = photo.width, h = photo.height;
  const HeadLayers& L = analysis.layers;
  const FaceGeometry& g = analysis.geometry;
  const std::size_t n = static_cast<std::size_t>(w) * h;
  ShavedBase out;
  out.image = photo;
  out.stubble = GrayImage(w, h, 0);

  // The hair's own colour: the median of confident hair pixels in the zone, per channel.
  std::vector<float> hr, hg, hb;
  for (std::size_t i = 0; i < n; i += 3) {
    if (L.hair.pixels[i] > 230 && L.scalpZone.pixels[i] > 128) {
      hr.push_back(srgbToLinear(photo.pixels[i * 3]));
      hg.push_back(srgbToLinear(photo.pixels[i * 3 + 1]));
      hb.push_back(srgbToLinear(photo.pixels[i * 3 + 2]));
    }
  }
  float hairLin[3] = {0.05f, 0.045f, 0.04f};
  if (hr.size() > 200) {
    out.hairFound = true;
    std::vector<float>* ch[3] = {&hr, &hg, &hb};
    for (int c = 0; c < 3; ++c) {
      auto mid = ch[c]->begin() + static_cast<std::ptrdiff_t>(ch[c]->size() / 2);
      std::nth_element(ch[c]->begin(), mid, ch[c]->end());
      hairLin[c] = *mid;
    }
  }
  out.hairColour = linearRgbToLab(hairLin[0], hairLin[1], hairLin[2]);
  // The skin's colour, to judge how much the stubble shows (dark stubble on light skin shows
  // fully, grey on pale skin hardly at all) and, keeping the hair, where the scalp shows
  // between strands. Front: the forehead band just above the brows. Top: the bare scalp in
  // view (no forehead band there).
  {
    double sum[3] = {0, 0, 0};
    int count = 0;
    auto add = [&](const std::uint8_t* rgb) {
      const Lab lab = srgbToLab(rgb);
      sum[0] += lab.L;
      sum[1] += lab.a;
      sum[2] += lab.b;
      ++count;
    };
    if (g.view == HeadView::kFront) {
      const int y0 = std::max(0, static_cast<int>(g.browY - 15 * g.pxPerMm));
      const int y1 = std::min(h, static_cast<int>(g.browY - 4 * g.pxPerMm));
      const double mid = 0.5 * (g.leftEyeX + g.rightEyeX), half = 20 * g.pxPerMm;
      for (int y = y0; y < y1; ++y)
        for (int x = std::max(0, static_cast<int>(mid - half));
             x < std::min(w, static_cast<int>(mid + half)); ++x)
          add(photo.at(x, y));
    } else {
      for (std::size_t i = 0; i < n; i += 7) {
        if (L.hair.pixels[i] < 20 && L.scalpZone.pixels[i] > 200) add(&photo.pixels[i * 3]);
      }
    }
    if (count) out.skinColour = {sum[0] / count, sum[1] / count, sum[2] / count};
    const double skinL = out.skinColour.L;
    out.stubbleVisibility = std::clamp((skinL - out.hairColour.L) / 25.0, 0.0, 1.0);
  }

  // How dense the hair is around each pixel (over 2 mm): the stubble the clippers leave. The
  // segmentation's map is coarse (pixels of over a millimetre) and may take bare skin for hair
  // (a receding temple's sheen on a real dark-skin portrait became a grey patch of stubble):
  // hair counts only as far as the pixels there have the hair's colour rather than the skin's.
  const SkinToHair skinToHair(out.skinColour, out.hairColour, out.hairFound);
  std::vector<float> density(n);
  for (std::size_t i = 0; i < n; ++i) density[i] = L.hair.pixels[i] / 255.0f;
  const int overMm = std::max(1, static_cast<int>(std::lround(1.0 * g.pxPerMm)));
  weighHairByColour(density, photo, L, skinToHair, overMm);

  // Only the zone's surroundings take part: its bounding box, widened by 15 mm for context
  // (wider than any blur below reaches, so the zone's values are those of the whole photo).
  const PixelBox zoneBox = boxWhere(w, h, static_cast<int>(15 * g.pxPerMm),
                                    [&](std::size_t i) { return L.scalpZone.pixels[i] != 0; });
  const bool zoneEmpty = zoneBox.empty();
  const int bx0 = zoneEmpty ? 0 : zoneBox.x0, by0 = zoneEmpty ? 0 : zoneBox.y0;
  const int bx1 = zoneEmpty ? w : zoneBox.x1, by1 = zoneEmpty ? h : zoneBox.y1;
  const int cw = bx1 - bx0, chh = by1 - by0;
  const std::size_t cn = static_cast<std::size_t>(cw) * chh;
  auto photoIndex = [&](int x, int y) {  // of a crop pixel
    return static_cast<std::size_t>(y + by0) * w + (x + bx0);
  };

  {
    std::vector<float> around(cn);
    for (int y = 0; y < chh; ++y)
      for (int x = 0; x < cw; ++x)
        around[static_cast<std::size_t>(y) * cw + x] = density[photoIndex(x, y)];
    boxBlur(around, cw, chh, overMm);
    for (int y = 0; y < chh; ++y)
      for (int x = 0; x < cw; ++x) {
        const std::size_t i = photoIndex(x, y);
        const float d =
            around[static_cast<std::size_t>(y) * cw + x] * (L.scalpZone.pixels[i] / 255.0f);
        out.stubble.pixels[i] =
            static_cast<std::uint8_t>(std::lround(255.0f * std::clamp(d, 0.0f, 1.0f)));
      }
  }
  if (mode == PreviewMode::kKeepHair) {
    for (std::size_t i = 0; i < n; ++i) {
      out.stubble.pixels[i] =
          static_cast<std::uint8_t>(std::min<int>(out.stubble.pixels[i], L.hair.pixels[i]));
    }
    out.scalpShows = scalpBetweenStrands(photo, L, skinToHair);
    return out;
  }
  out.clippedAway = GrayImage(w, h, 0);

  if (zoneEmpty) return out;

  // Skin under the hair, filled from the skin around it; background behind the hair that stood
  // out beyond the braincase, filled from the background around it.
  std::vector<float> skin(cn * 3), skinWeight(cn), wall(cn * 3), wallWeight(cn);
  // Skin is taken only a millimetre or more inside the head: the segmentation's edge is blocky
  // at its working scale, and a wall pixel taken for skin would tint the fill under a wide band
  // of hair (seen from above, the fringe along the outline turned the colour of the wall).
  std::vector<float> inside(cn);
  for (int y = 0; y < chh; ++y)
    for (int x = 0; x < cw; ++x)
      inside[static_cast<std::size_t>(y) * cw + x] =
          L.head.pixels[static_cast<std::size_t>(y + by0) * w + (x + bx0)] / 255.0f;
  boxBlur(inside, cw, chh, std::max(1, static_cast<int>(std::lround(1.0 * g.pxPerMm))));
  const HeadEllipse& cranium = g.cranium.radiusX > 0 ? g.cranium : g.skull;
  // Only from the front is the braincase known apart from the hair: from above, the outline it is
  // fitted to is the hair's own, so nothing stands out beyond it as volume.
  const bool fromTheFront = g.view != HeadView::kTop;
  const double craniumRadiusMm = std::min(cranium.radiusX, cranium.radiusY) / g.pxPerMm;
  // How far a point lies beyond the braincase, in mm (negative inside). Below its centre the
  // braincase's sides run down to the ears nearly upright.
  auto beyondCraniumMm = [&](int x, int y) {
    const double dx = (x + 0.5 - cranium.centerX) / cranium.radiusX;
    double dy = (y + 0.5 - cranium.centerY) / cranium.radiusY;
    if (fromTheFront) dy = std::min(dy, 0.0);
    return (std::sqrt(dx * dx + dy * dy) - 1.0) * craniumRadiusMm;
  };
  // Within a few millimetres of hair standing out beyond the braincase: the flyaway strands
  // the segmentation leaves on the wall there are no sample of the wall, and go with the volume.
  std::vector<float> nearHair(cn);
  for (int y = 0; y < chh; ++y)
    for (int x = 0; x < cw; ++x)
      nearHair[static_cast<std::size_t>(y) * cw + x] =
          fromTheFront && L.hair.pixels[static_cast<std::size_t>(y + by0) * w + (x + bx0)] > 128 &&
                  beyondCraniumMm(x + bx0, y + by0) > kVolumeToleranceMm
              ? 1.0f
              : 0.0f;
  const bool anyVolume = std::find(nearHair.begin(), nearHair.end(), 1.0f) != nearHair.end();
  boxBlur(nearHair, cw, chh, std::max(1, static_cast<int>(std::lround(kFlyawayMm * g.pxPerMm))));
  // The photo's luminance over the crop: for finding strands on the wall, the clipped
  // scalp's detail and the light on the hair.
  std::vector<float> luma(cn);
  for (int y = 0; y < chh; ++y)
    for (int x = 0; x < cw; ++x) {
      const std::uint8_t* p = &photo.pixels[photoIndex(x, y) * 3];
      luma[static_cast<std::size_t>(y) * cw + x] = static_cast<float>(
          relativeLuminance(srgbToLinear(p[0]), srgbToLinear(p[1]), srgbToLinear(p[2])));
    }
  // The stray strands in front of the hair on the forehead go with the clippers. From the
  // front only: from above, the view the client judges the hairline in is not this one.
  if (fromTheFront && out.hairFound) {
    clipStrayStrands(out.image, L, luma, inside, yFromLightness(out.hairColour.L),
                     Crop{bx0, by0, cw, chh, w}, g.pxPerMm);
  }
  // The wall with the flyaway strands beyond the volume taken away too (cleanFlyaways): the
  // fills take the wall from it.
  RgbImage cleanedWall;
  std::vector<float> strands;
  if (anyVolume) {
    cleanedWall = photo;
    strands = cleanFlyaways(cleanedWall, L, nearHair, luma, yFromLightness(out.hairColour.L),
                            Crop{bx0, by0, cw, chh, w}, g.pxPerMm);
  }
  const RgbImage& wallPhoto = strands.empty() ? photo : cleanedWall;
  for (int y = 0; y < chh; ++y) {
    for (int x = 0; x < cw; ++x) {
      const std::size_t i = static_cast<std::size_t>(y + by0) * w + (x + bx0);
      const std::size_t j = static_cast<std::size_t>(y) * cw + x;
      for (int c = 0; c < 3; ++c) {
        skin[j * 3 + c] = srgbToLinear(photo.pixels[i * 3 + c]);
        wall[j * 3 + c] = srgbToLinear(wallPhoto.pixels[i * 3 + c]);
      }
      const float head = L.head.pixels[i] / 255.0f, hair = L.hair.pixels[i] / 255.0f;
      const float deepInside = std::clamp((inside[j] - 0.95f) / 0.05f, 0.0f, 1.0f);
      skinWeight[j] = hair < 0.25f ? head * deepInside * (1.0f - hair / 0.25f) : 0.0f;
      wallWeight[j] = head < 0.1f && nearHair[j] < 0.005f ? 1.0f : 0.0f;
    }
  }
  // The photo's own fine detail (its grain, sharpness and noise), as a ratio to its local mean
  // over about 1.5 mm: the clipped scalp keeps part of it, so it looks photographed, not painted.
  std::vector<float> local = luma;
  const int detailRadius = std::max(1, static_cast<int>(std::lround(0.8 * g.pxPerMm)));
  boxBlur(local, cw, chh, detailRadius);
  boxBlur(local, cw, chh, detailRadius);
  pullPushFill(skin, skinWeight, cw, chh);
  std::vector<float> wallSample = wallWeight;  // the pull-push fill below overwrites it
  // The wall behind is drawn only where hair stands out beyond the braincase (never from
  // above): without any, the fill would go unused.
  if (anyVolume) pullPushFill(wall, wallWeight, cw, chh);
  // The wall behind hair taken away with its volume, seen in the wall just beyond it: mirrored
  // across the first clean wall pixel, so a window or a painting keeps its texture and its
  // colour right up to the clipped head. (The smooth fill alone drew a lighter, featureless
  // halo around the head on such backgrounds.) The mirror runs along a row beside the head
  // and along a column above it, never along the slanted radius: a mirror keeps the lines
  // that run along its axis, and a radial one bent a window's horizontal frame into a pale
  // wedge standing on a real client's temple. Where the head's outline turns from one to the
  // other (around 45 degrees) the two are blended. Where no clean wall lies within 30 mm along
  // the way out, the smooth fill stands in.
  const int maxSteps = static_cast<int>(30 * g.pxPerMm);
  auto mirrorAlong = [&](int x, int y, int stepX, int stepY, float seen[3]) -> int {
    auto clean = [&](int t, std::size_t& at) {
      const int qx = x + stepX * t, qy = y + stepY * t;
      if (qx < bx0 || qx >= bx1 || qy < by0 || qy >= by1) return false;
      at = static_cast<std::size_t>(qy) * w + qx;
      return wallSample[static_cast<std::size_t>(qy - by0) * cw + (qx - bx0)] > 0;
    };
    std::size_t at = 0;
    int first = 0;
    while (first <= maxSteps && !clean(first, at)) ++first;
    if (first > maxSteps) return -1;
    std::size_t mirrored = at;
    // As far beyond the first clean pixel as this one lies before it. Where the clean wall ends
    // sooner (the line leaves the photo or meets a shoulder), the mirror folds back and forth
    // within the stretch there is, so no pixel is repeated into a streak.
    int stretch = 0;
    while (stretch < first && clean(first + stretch + 1, at)) ++stretch;
    if (stretch > 0) {
      const int folded = first % (2 * stretch);
      clean(first + (folded <= stretch ? folded : 2 * stretch - folded), mirrored);
    }
    for (int c = 0; c < 3; ++c) seen[c] = srgbToLinear(wallPhoto.pixels[mirrored * 3 + c]);
    return first;
  };
  auto wallBehind = [&](int x, int y, std::size_t j, float seen[3]) {
    for (int c = 0; c < 3; ++c) seen[c] = wall[j * 3 + c];
    const double dx = x + 0.5 - cranium.centerX;
    double dy = y + 0.5 - cranium.centerY;
    if (fromTheFront && dy > 0) dy = 0;  // below its centre the braincase's sides are upright
    if (std::abs(dx) + std::abs(dy) < 1e-6) return;
    // The row's share: 1 where the outline is steeper than about 55 degrees, 0 where it is
    // flatter than about 35.
    const float alongRow = static_cast<float>(
        std::clamp((std::abs(dx) / (std::abs(dx) + std::abs(dy)) - 0.3) / 0.4, 0.0, 1.0));
    float byRow[3], byColumn[3];
    int rowDistance = alongRow > 0 ? mirrorAlong(x, y, dx < 0 ? -1 : 1, 0, byRow) : -1;
    int columnDistance = alongRow < 1 ? mirrorAlong(x, y, 0, dy < 0 ? -1 : 1, byColumn) : -1;
    // The wanted line finds no clean wall (a wide wing of hair beside the head): the other.
    if (rowDistance < 0 && columnDistance < 0) {
      if (alongRow == 0) rowDistance = mirrorAlong(x, y, dx < 0 ? -1 : 1, 0, byRow);
      if (alongRow == 1) columnDistance = mirrorAlong(x, y, 0, dy < 0 ? -1 : 1, byColumn);
    }
    // Each counts less the farther it had to look, down to nothing at the search's end, so
    // where one of them stops finding the wall the fill does not change at a stroke.
    auto trust = [&](int distance, float share) {
      return distance < 0 ? 0.0f
                          : std::max(share, 0.05f) * (1.0f - static_cast<float>(distance) /
                                                                 static_cast<float>(maxSteps + 1));
    };
    const float rowTrust = trust(rowDistance, alongRow);
    const float columnTrust = trust(columnDistance, 1.0f - alongRow);
    if (rowTrust + columnTrust <= 0) return;
    for (int c = 0; c < 3; ++c)
      seen[c] = (rowTrust * (rowDistance >= 0 ? byRow[c] : 0.0f) +
                 columnTrust * (columnDistance >= 0 ? byColumn[c] : 0.0f)) /
                (rowTrust + columnTrust);
  };
  const std::vector<float> light = lightOnTheHair(luma, L, bx0, by0, cw, chh, w, g.pxPerMm);

  const double cellPx = std::max(1.0, 0.6 * g.pxPerMm);
  // How far the hair stood above the braincase at the crown (reported; nothing depends on it).
  {
    const int cx = std::clamp(static_cast<int>(cranium.centerX), 0, w - 1);
    int top = h;
    for (int y = 0; y < h; ++y)
      if (L.head.pixels[static_cast<std::size_t>(y) * w + cx] > 128) {
        top = y;
        break;
      }
    out.hairLengthMm = std::max(0.0, (cranium.centerY - cranium.radiusY - top) / g.pxPerMm);
  }
  bool anyTakenAway = false;
  for (int y = by0; y < by1; ++y) {
    for (int x = bx0; x < bx1; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      const std::size_t j = static_cast<std::size_t>(y - by0) * cw + (x - bx0);
      const float zone = L.scalpZone.pixels[i] / 255.0f;
      const float inHead = L.head.pixels[i] / 255.0f;
      if (zone <= 0 && inHead <= 0 && nearHair[j] < 0.005f) continue;
      const float hair = L.hair.pixels[i] / 255.0f;
      const float toBrow =
          g.view == HeadView::kTop
              ? 1.0f
              : static_cast<float>(std::clamp((g.browY - (y + 0.5)) / (12 * g.pxPerMm), 0.0, 1.0));
      const double beyondMm = beyondCraniumMm(x, y);
      const double r = 1.0 + beyondMm / craniumRadiusMm;
      // Hair standing out beyond the braincase is volume: after clipping, the wall behind
      // shows. The braincase comes from proportions, uncertain by a few millimetres, so hair
      // within kVolumeToleranceMm of it stays (short hair is never cut away).
      const float volume = fromTheFront
                               ? static_cast<float>(std::clamp(
                                     (beyondMm - kVolumeToleranceMm) / kVolumeFadeMm, 0.0, 1.0))
                               : 0.0f;
      // Hair pixels take the clipped value; bare skin keeps its own texture. Toward the brow
      // line the clipping fades out over 12 mm (below it nothing changes), so the sides carry
      // on into the sideburns without an edge.
      const float clippedHair =
          std::clamp((hair - 0.2f) * 2.0f, 0.0f, 1.0f) * inHead * zone * toBrow;
      // At the head's edge the clipping fades in over the segmentation's uncertain millimetre,
      // so a head edge that overshoots onto the wall changes the wall little. Volume taken
      // away does not fade there: the wall fill is what belongs on both sides of that edge.
      const float edge = std::clamp((inside[j] - 0.5f) / 0.4f, 0.0f, 1.0f);
      const float toScalp = clippedHair * edge * (1 - volume);
      // Volume is taken away out to the flyaway strands beyond the head's soft outline (or a
      // rope of the old outline's hair stays standing); only skin a millimetre or more inside
      // the head is kept (the tops of the ears).
      const float skinInside = std::clamp((inside[j] - 0.97f) / 0.03f, 0.0f, 1.0f) *
                               (1.0f - std::clamp(hair * 2.5f, 0.0f, 1.0f));
      const float toWall =
          volume * toBrow * std::clamp(nearHair[j] * 10.0f, 0.0f, 1.0f) * (1.0f - skinInside);
      // Neither clipped nor taken away: the photo's own pixel, which the image already is.
      if (toScalp <= 0 && toWall <= 0) continue;
      // The skull's curvature: a clipped scalp darkens a little toward its outline, as it
      // turns from the camera and the light. And the light on the head where the hair was (see
      // lightOnTheHair), which bright grey hair, lit all over, hardly gives.
      const float curvature =
          static_cast<float>(0.86 + 0.14 * std::sqrt(std::max(0.0, 1.0 - r * r)));
      const float dome = curvature * (light.empty() ? 1.0f : light[j]);
      const float lit = hair > 0.02f ? dome : 1.0f;  // bare skin keeps its own light
      const float st = out.stubble.pixels[i] / 255.0f;
      const float grainy = 0.9f + 0.2f * grain(x, y, cellPx);
      // Stubble's share of the surface: a zero-grade buzz on dense hair still reads as a grey
      // shadow over most of the scalp (dense black stubble on light skin costs it about 30 L*).
      const float cover = std::clamp(kDenseStubbleCover * st * grainy, 0.0f, 0.85f);
      // Clipped hair keeps a softened echo of its own texture.
      const float detail =
          std::pow(std::clamp(luma[j] / std::max(1e-4f, local[j]), 0.4f, 2.0f), 0.45f);
      float behind[3] = {0, 0, 0};
      if (toWall > 0) wallBehind(x, y, j, behind);
      float px[3];
      for (int c = 0; c < 3; ++c) {
        const float bare = skin[j * 3 + c] * lit;
        const float stubbleLit = hairLin[c] * lit;
        const float clipped = (bare * (1 - cover) + stubbleLit * cover) * detail;
        // The photo, less the stray strands on the forehead (clipStrayStrands).
        const float orig = srgbToLinear(out.image.pixels[i * 3 + c]);
        px[c] = orig * (1 - toScalp - toWall) + clipped * toScalp + behind[c] * toWall;
      }
      // Hair taken away with its volume leaves no stubble, so no pigment either.
      if (toWall > 0) {
        out.stubble.pixels[i] =
            static_cast<std::uint8_t>(std::lround(out.stubble.pixels[i] * (1.0f - toWall)));
        out.clippedAway.pixels[i] = static_cast<std::uint8_t>(std::lround(255.0f * toWall));
        anyTakenAway = true;
      }
      for (int c = 0; c < 3; ++c) out.image.pixels[i * 3 + c] = linearToSrgb(px[c]);
    }
  }

  // The strands beyond: the cleaned wall shows, and no pigment lands there.
  for (int y = 0; !strands.empty() && y < chh; ++y)
    for (int x = 0; x < cw; ++x) {
      const float strand = strands[static_cast<std::size_t>(y) * cw + x];
      if (strand <= 0) continue;
      const std::size_t i = static_cast<std::size_t>(y + by0) * w + (x + bx0);
      for (int c = 0; c < 3; ++c) out.image.pixels[i * 3 + c] = wallPhoto.pixels[i * 3 + c];
      out.clippedAway.pixels[i] = std::max(out.clippedAway.pixels[i],
                                           static_cast<std::uint8_t>(std::lround(255.0f * strand)));
      anyTakenAway = true;
    }
  if (!anyTakenAway) out.clippedAway = GrayImage();  // no map to apply for each render
  // Where the client has hair of their own, softened over about 3 mm (the segmentation's edge
  // is blocky at its working scale): pigment goes there whatever the hairline says.
  {
    std::vector<float> own(cn);
    for (int y = 0; y < chh; ++y)
      for (int x = 0; x < cw; ++x)
        own[static_cast<std::size_t>(y) * cw + x] =
            out.stubble.pixels[photoIndex(x, y)] > 127 ? 1.0f : 0.0f;
    boxBlur(own, cw, chh, std::max(1, static_cast<int>(std::lround(1.5 * g.pxPerMm))));
    out.ownHair = GrayImage(w, h, 0);
    for (int y = 0; y < chh; ++y)
      for (int x = 0; x < cw; ++x)
        out.ownHair.pixels[photoIndex(x, y)] = static_cast<std::uint8_t>(std::lround(
            255.0f * std::clamp(own[static_cast<std::size_t>(y) * cw + x], 0.0f, 1.0f)));
  }

  // The clipped sides: front, hair at the temples, between the brow line and 35 mm above it;
  // top, the fringe of hair along the sides and the back, wherever it is in view.
  double sum[3] = {0, 0, 0};
  int count = 0;
  const bool fromAbove = g.view == HeadView::kTop;
  for (int y = fromAbove ? 0 : std::max(0, static_cast<int>(g.browY - 35 * g.pxPerMm));
       y < (fromAbove ? h : std::min(h, static_cast<int>(g.browY))); ++y) {
    for (int x = 0; x < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      if (!fromAbove && std::abs(x + 0.5 - g.skull.centerX) < 0.6 * g.skull.radiusX) continue;
      if (out.stubble.pixels[i] < 150 || L.scalpZone.pixels[i] < 200) continue;
      for (int c = 0; c < 3; ++c) sum[c] += srgbToLinear(out.image.pixels[i * 3 + c]);
      ++count;
    }
  }
  const double sidesArea = 40 * g.pxPerMm * g.pxPerMm;  // at least 40 mm^2 of clipped hair
  if (count > sidesArea) {
    out.hasClippedSides = true;
    out.sidesColour = linearRgbToLab(sum[0] / count, sum[1] / count, sum[2] / count);
  }
  return out;
}

}  // namespace smp::engine
