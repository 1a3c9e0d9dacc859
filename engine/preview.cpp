// Validation, physical scaling, aging and compositing around the placement in stipple.cpp.
#include "engine/preview.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>

#include "engine/engine_error.h"

namespace smp::engine {
namespace {

template <typename T>
std::string str(T v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

void requireRange(const char* name, double value, double lo, double hi, const char* unit) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    throw EngineError(EngineErrorCode::kOutOfRange, std::string(name) + " " + str(value) +
                                                        " is out of range: valid " + str(lo) + "-" +
                                                        str(hi) + (*unit ? " " : "") + unit);
  }
}

void requireImageSize(const char* what, int width, int height) {
  if (width <= 0 || height <= 0) {
    throw EngineError(EngineErrorCode::kEmptyImage, std::string(what) + " is empty");
  }
  if (width < kMinImageSide || height < kMinImageSide) {
    throw EngineError(EngineErrorCode::kImageTooSmall,
                      std::string(what) + " is " + str(width) + "x" + str(height) +
                          ": too small, each side must be at least " + str(kMinImageSide) + " px");
  }
  if (width > kMaxImageSide || height > kMaxImageSide ||
      static_cast<long long>(width) * height > kMaxImagePixels) {
    throw EngineError(EngineErrorCode::kImageTooLarge,
                      std::string(what) + " is " + str(width) + "x" + str(height) +
                          ": too large, the limit is " + str(kMaxImageSide) + " px a side and " +
                          str(kMaxImagePixels / 1'000'000) + " megapixels");
  }
}

struct Box {
  int x0, y0, x1, y1;  // inclusive-exclusive
};

Box maskBounds(const GrayImage* mask, int width, int height) {
  if (mask == nullptr) return {0, 0, width, height};
  Box b{width, height, 0, 0};
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* row =
        &mask->pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width)];
    int first = -1, last = -1;
    for (int x = 0; x < width; ++x) {
      if (row[x]) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    for (int x = width - 1; x >= first; --x) {
      if (row[x]) {
        last = x;
        break;
      }
    }
    b.x0 = std::min(b.x0, first);
    b.x1 = std::max(b.x1, last + 1);
    b.y0 = std::min(b.y0, y);
    b.y1 = y + 1;
  }
  if (b.x1 <= b.x0) return {0, 0, 0, 0};
  return b;
}

constexpr std::array<std::pair<HairColour, std::string_view>, 5> kHairColours{{
    {HairColour::kBlack, "black"},
    {HairColour::kDarkBrown, "dark-brown"},
    {HairColour::kBrown, "brown"},
    {HairColour::kLightBrown, "light-brown"},
    {HairColour::kGrey, "grey"},
}};

// Pigment: carbon black, diluted for lighter hair, read through the skin with a slight
// blue-black cast. It is multiplied into the photo (absorbed), never painted over it, so it
// looks right on light and dark skin alike.
struct Pigment {
  float transmittance[3];  // what a full-strength impression lets through, per channel
  float strength;          // 0..1 dilution
};

Pigment pigmentFor(const PreviewParams& p) {
  float strength = 0.82f;
  switch (p.hairColour) {
    case HairColour::kBlack:
      strength = 0.82f;
      break;
    case HairColour::kDarkBrown:
      strength = 0.72f;
      break;
    case HairColour::kBrown:
      strength = 0.62f;
      break;
    case HairColour::kLightBrown:
      strength = 0.50f;
      break;
    case HairColour::kGrey:
      strength = 0.45f;
      break;
  }
  // Darker skin shows less contrast for the same deposit; clinics use less dilution there.
  strength = std::min(0.95f, strength + 0.03f * static_cast<float>(p.fitzpatrick - 3));
  return {{0.16f, 0.17f, 0.22f}, strength};
}

}  // namespace

std::optional<HairColour> parseHairColour(std::string_view name) {
  for (const auto& [c, n] : kHairColours) {
    if (n == name) return c;
  }
  return std::nullopt;
}

std::string_view hairColourName(HairColour colour) {
  for (const auto& [c, n] : kHairColours) {
    if (c == colour) return n;
  }
  return "black";
}

void validate(const PreviewInput& input, const PreviewParams& params) {
  if (input.photo == nullptr) throw EngineError(EngineErrorCode::kEmptyImage, "photo is missing");
  const RgbImage& photo = *input.photo;
  requireImageSize("photo", photo.width, photo.height);
  if (photo.pixels.size() != static_cast<std::size_t>(photo.width) * photo.height * 3) {
    throw EngineError(EngineErrorCode::kSizeMismatch,
                      "photo buffer holds " + str(photo.pixels.size()) + " bytes, expected " +
                          str(static_cast<std::size_t>(photo.width) * photo.height * 3));
  }
  const std::pair<const char*, const GrayImage*> maps[] = {
      {"mask", input.mask}, {"density map", input.densityMap}, {"scar map", input.scars}};
  for (const auto& [name, map] : maps) {
    if (map == nullptr) continue;
    if (map->width != photo.width || map->height != photo.height ||
        map->pixels.size() != static_cast<std::size_t>(map->width) * map->height) {
      throw EngineError(EngineErrorCode::kSizeMismatch,
                        std::string(name) + " is " + str(map->width) + "x" + str(map->height) +
                            " but the photo is " + str(photo.width) + "x" + str(photo.height));
    }
  }
  requireRange("density", params.densityPerCm2, kMinDensity, kMaxDensity, "impressions per cm2");
  requireRange("dot diameter", params.dotDiameterMm, kMinDotMm, kMaxDotMm, "mm");
  requireRange("head width", params.headWidthMm, kMinHeadWidthMm, kMaxHeadWidthMm, "mm");
  if (params.pxPerMm) requireRange("pixels per mm", *params.pxPerMm, 0.5, 100, "px/mm");
  requireRange("years since last session", params.yearsSinceSession, kMinYears, kMaxYears, "years");
  requireRange("session stage", params.sessionStage, 1, 3, "");
  requireRange("Fitzpatrick skin type", params.fitzpatrick, 1, 6, "");
  if (params.hairlinePlacement) {
    const auto& hp = *params.hairlinePlacement;
    if (!std::isfinite(hp.centerX) || !std::isfinite(hp.frontY) || !std::isfinite(hp.halfWidth) ||
        hp.halfWidth <= 0) {
      throw EngineError(
          EngineErrorCode::kOutOfRange,
          "hairline placement must be finite with a positive half width, got " + str(hp.halfWidth));
    }
  }
  if (params.hairlineControls) {
    const auto& c = *params.hairlineControls;
    if (c.size() < 2 || c.size() > 64) {
      throw EngineError(EngineErrorCode::kOutOfRange,
                        "hairline has " + str(c.size()) + " control points: valid 2-64");
    }
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!std::isfinite(c[i].x) || !std::isfinite(c[i].y) || (i > 0 && c[i].x <= c[i - 1].x)) {
        throw EngineError(EngineErrorCode::kOutOfRange,
                          "hairline control point " + str(i) +
                              " must be finite and to the right of the previous one");
      }
    }
  }
}

std::vector<Dot> placeDots(const PreviewInput& input, const PreviewParams& params,
                           PreviewResult* out, const std::atomic<bool>* cancel) {
  validate(input, params);
  const int w = input.photo->width;
  const int h = input.photo->height;
  const Box box = maskBounds(input.mask, w, h);
  const int boxWidth = std::max(1, box.x1 - box.x0);
  const double pxPerMm = params.pxPerMm.value_or(boxWidth / params.headWidthMm);
  // Default hairline: centred on the scalp region, a third of the way down it.
  const HairlinePlacement placement = params.hairlinePlacement.value_or(HairlinePlacement{
      0.5 * (box.x0 + box.x1), box.y0 + 0.35 * (box.y1 - box.y0), 0.32 * boxWidth});
  Hairline hairline = makeHairline(params.hairline, placement, pxPerMm);
  if (params.hairlineControls && params.hairline != HairlineStyle::kNone) {
    hairline.controls = *params.hairlineControls;
  }
  if (out) {
    out->pxPerMm = pxPerMm;
    out->placement = placement;
    out->hairline = hairline;
  }
  if (box.x1 <= box.x0) return {};

  std::vector<float> columns;
  PlacementRequest request;
  request.field.width = w;
  request.field.height = h;
  request.field.mask = input.mask ? input.mask->pixels.data() : nullptr;
  request.field.densityMap = input.densityMap ? input.densityMap->pixels.data() : nullptr;
  if (params.hairline != HairlineStyle::kNone) {
    columns = hairline.columns(0, w);
    request.field.hairlineY = columns.data();
    request.field.transitionPx = static_cast<float>(hairline.transitionDepthPx);
    request.field.microIrregularityPx = static_cast<float>(hairline.microIrregularityPx);
  }
  request.x0 = box.x0;
  request.y0 = box.y0;
  request.x1 = box.x1;
  request.y1 = box.y1;
  request.pxPerMm = pxPerMm;
  request.densityPerMm2 = params.densityPerCm2 / 100.0;
  request.sessionStage = params.sessionStage;
  request.seed = params.seed;
  request.cancel = cancel;
  const std::vector<PlacedPoint> points = placePoints(request);
  if (cancel && cancel->load()) {
    if (out) out->cancelled = true;
    return {};
  }

  // Aging: over the years pigment spreads and fades, which is why clinics book top-ups.
  const double years = params.yearsSinceSession;
  const float spread = static_cast<float>(1.0 + 0.05 * years);
  const float fade = static_cast<float>(std::exp(-0.07 * years));
  // A single pass looks lighter than the finished, layered result.
  const float depth = params.sessionStage == 1 ? 0.8f : (params.sessionStage == 2 ? 0.9f : 1.0f);
  const float baseDiameter = static_cast<float>(params.dotDiameterMm * pxPerMm);
  std::vector<Dot> dots;
  dots.reserve(points.size());
  for (const PlacedPoint& p : points) {
    // Needles and skin vary: +-15 % in size and some in depth, from the dot's own identity.
    const float u1 = static_cast<float>((p.id >> 16) & 0xFF) / 255.0f;
    const float u2 = static_cast<float>((p.id >> 24) & 0xFF) / 255.0f;
    float diameter = baseDiameter * (0.85f + 0.30f * u1) * spread;
    float opacity = (0.85f + 0.15f * u2) * fade * depth;
    if (input.scars) {
      // Scar tissue takes pigment unevenly: lighter, a little wider.
      const float s = input.scars->at(static_cast<int>(p.x), static_cast<int>(p.y)) / 255.0f;
      opacity *= 1.0f - 0.35f * s;
      diameter *= 1.0f + 0.2f * s * u1;
    }
    dots.push_back({p.x, p.y, diameter, opacity, p.session});
  }
  return dots;
}

RgbImage composite(const RgbImage& photo, const std::vector<Dot>& dots, const PreviewParams& params,
                   double pxPerMm) {
  RgbImage out = photo;
  const Pigment pigment = pigmentFor(params);
  // Old pigment also blurs: the edge widens by about 0.02 mm a year.
  const float edge = 1.0f + static_cast<float>(0.02 * params.yearsSinceSession * pxPerMm);
  std::array<float, 3> absorb;
  for (int c = 0; c < 3; ++c) absorb[static_cast<std::size_t>(c)] = 1.0f - pigment.transmittance[c];
  auto deposit = [&](int x, int y, float amount) {
    if (x < 0 || y < 0 || x >= out.width || y >= out.height || amount <= 0) return;
    std::uint8_t* px = out.at(x, y);
    const float a = std::min(1.0f, amount * pigment.strength);
    for (int c = 0; c < 3; ++c) {
      const float kept = 1.0f - a * absorb[static_cast<std::size_t>(c)];
      px[c] = static_cast<std::uint8_t>(static_cast<float>(px[c]) * kept + 0.5f);
    }
  };
  // Light scattering in the dermis: each impression also darkens a soft halo around it, bluer
  // than its core (the Tyndall effect that makes tattoo black read blue-black). Its total
  // absorption is half the core's; sigma 0.3 mm (wider as pigment migrates with the years).
  const float sigma = static_cast<float>(0.3 * pxPerMm * (1.0 + 0.05 * params.yearsSinceSession));
  const std::array<float, 3> haloAbsorb{0.55f, 0.5f, 0.35f};
  const int haloReach = static_cast<int>(std::ceil(2.5f * sigma));
  std::vector<float> haloKernel;
  if (sigma >= 0.3f) {
    for (int y = -haloReach; y <= haloReach; ++y)
      for (int x = -haloReach; x <= haloReach; ++x)
        haloKernel.push_back(std::exp(-static_cast<float>(x * x + y * y) / (2 * sigma * sigma)) /
                             (2 * 3.14159265f * sigma * sigma));
  }
  for (const Dot& d : dots) {
    const float r = 0.5f * d.diameterPx;
    if (!haloKernel.empty()) {
      const float total = 0.5f * 3.14159265f * r * r * d.opacity * pigment.strength;
      const int cx = static_cast<int>(d.x), cy = static_cast<int>(d.y);
      std::size_t k = 0;
      for (int y = -haloReach; y <= haloReach; ++y) {
        for (int x = -haloReach; x <= haloReach; ++x, ++k) {
          const int px = cx + x, py = cy + y;
          if (px < 0 || py < 0 || px >= out.width || py >= out.height) continue;
          std::uint8_t* p = out.at(px, py);
          const float a = std::min(1.0f, total * haloKernel[k]);
          for (int c = 0; c < 3; ++c) {
            p[c] = static_cast<std::uint8_t>(
                static_cast<float>(p[c]) * (1.0f - a * haloAbsorb[static_cast<std::size_t>(c)]) +
                0.5f);
          }
        }
      }
    }
    if (r < 0.75f && edge <= 1.0f) {
      // Sub-pixel impression: splat its area bilinearly so tiny dots keep their weight.
      const float area = std::min(1.0f, 3.14159265f * r * r) * d.opacity;
      const float fx = d.x - 0.5f, fy = d.y - 0.5f;
      const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
      const float tx = fx - static_cast<float>(x0), ty = fy - static_cast<float>(y0);
      deposit(x0, y0, area * (1 - tx) * (1 - ty));
      deposit(x0 + 1, y0, area * tx * (1 - ty));
      deposit(x0, y0 + 1, area * (1 - tx) * ty);
      deposit(x0 + 1, y0 + 1, area * tx * ty);
      continue;
    }
    // A disc with an anti-aliased edge `edge` px wide; its total weight matches pi r^2.
    const float reach = r + edge;
    const float norm = std::min(
        1.0f, 3.14159265f * r * r / std::max(1e-3f, 3.14159265f * (r * r + edge * edge / 12.0f)));
    const int x0 = static_cast<int>(std::floor(d.x - reach)),
              x1 = static_cast<int>(std::ceil(d.x + reach));
    const int y0 = static_cast<int>(std::floor(d.y - reach)),
              y1 = static_cast<int>(std::ceil(d.y + reach));
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) {
        const float dx = static_cast<float>(x) + 0.5f - d.x;
        const float dy = static_cast<float>(y) + 0.5f - d.y;
        const float dist = std::sqrt(dx * dx + dy * dy);
        const float coverage = std::clamp((r - dist) / edge + 0.5f, 0.0f, 1.0f);
        deposit(x, y, coverage * d.opacity * norm);
      }
    }
  }
  return out;
}

PreviewResult renderPreview(const PreviewInput& input, const PreviewParams& params,
                            const std::atomic<bool>* cancel) {
  PreviewResult result;
  result.dots = placeDots(input, params, &result, cancel);
  if (result.cancelled) return result;
  result.image = composite(*input.photo, result.dots, params, result.pxPerMm);
  return result;
}

}  // namespace smp::engine
