// Validation, physical scaling, aging and compositing around the placement in stipple.cpp.
#include "engine/preview.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "engine/engine_error.h"
#include "engine/random.h"

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
                                                        str(hi) + " " + unit);
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
    for (int x = 0; x < width; ++x) {
      if (mask->at(x, y) == 0) continue;
      b.x0 = std::min(b.x0, x);
      b.y0 = std::min(b.y0, y);
      b.x1 = std::max(b.x1, x + 1);
      b.y1 = std::max(b.y1, y + 1);
    }
  }
  if (b.x1 <= b.x0) return {0, 0, 0, 0};
  return b;
}

// Pigment reflectance per channel: carbon black under skin reads slightly blue-black; lighter hair
// colours dilute it. Multiplying (not painting) keeps it right on light and dark skin alike.
struct Pigment {
  float reflectance[3];
  float strength;
};

Pigment pigmentFor(const PreviewParams& p) {
  float strength = 0.8f;
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
      strength = 0.55f;
      break;
  }
  // Darker skin absorbs less visible contrast from the same pigment; deposit a little more.
  strength = std::min(0.95f, strength + 0.02f * static_cast<float>(p.fitzpatrick - 3));
  return {{0.16f, 0.17f, 0.22f}, strength};
}

}  // namespace

void validate(const PreviewInput& input, const PreviewParams& params) {
  if (input.photo == nullptr) {
    throw EngineError(EngineErrorCode::kEmptyImage, "photo is missing");
  }
  const RgbImage& photo = *input.photo;
  requireImageSize("photo", photo.width, photo.height);
  if (photo.pixels.size() != static_cast<std::size_t>(photo.width) * photo.height * 3) {
    throw EngineError(EngineErrorCode::kSizeMismatch,
                      "photo buffer holds " + str(photo.pixels.size()) + " bytes, expected " +
                          str(static_cast<std::size_t>(photo.width) * photo.height * 3));
  }
  for (const auto& [name, map] :
       {std::pair{"mask", input.mask}, {"density map", input.densityMap}}) {
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
}

std::vector<Dot> placeDots(const PreviewInput& input, const PreviewParams& params,
                           double* pxPerMmOut, HairlinePlacement* placementOut) {
  validate(input, params);
  const int w = input.photo->width;
  const int h = input.photo->height;
  const Box box = maskBounds(input.mask, w, h);
  const int boxWidth = std::max(1, box.x1 - box.x0);
  const double pxPerMm = params.pxPerMm.value_or(boxWidth / params.headWidthMm);
  // Default hairline: centred on the scalp region, a third of the way down it.
  const HairlinePlacement placement = params.hairlinePlacement.value_or(HairlinePlacement{
      0.5 * (box.x0 + box.x1), box.y0 + 0.35 * (box.y1 - box.y0), 0.32 * boxWidth});
  if (pxPerMmOut) *pxPerMmOut = pxPerMm;
  if (placementOut) *placementOut = placement;
  if (box.x1 <= box.x0) return {};

  const Hairline hairline = makeHairline(params.hairline, placement, pxPerMm);
  // impressions per cm^2 -> per mm^2 (/100) -> per px^2 (/pxPerMm^2)
  const double peak = params.densityPerCm2 / 100.0 / (pxPerMm * pxPerMm);
  const GrayImage* mask = input.mask;
  const GrayImage* densityMap = input.densityMap;
  PlacementRequest request;
  request.originX = box.x0;
  request.originY = box.y0;
  request.width = box.x1 - box.x0;
  request.height = box.y1 - box.y0;
  request.maxDensityPerPx2 = peak;
  request.seed = params.seed;
  request.density = [&](double x, double y) {
    const int ix = std::clamp(static_cast<int>(x), 0, w - 1);
    const int iy = std::clamp(static_cast<int>(y), 0, h - 1);
    double f = 1.0;
    if (mask) f *= mask->at(ix, iy) / 255.0;
    if (densityMap) f *= densityMap->at(ix, iy) / 255.0;
    if (f <= 0) return 0.0;
    return peak * f * hairline.densityFactor(x, y);
  };
  const std::vector<PlacedPoint> points = placePoints(request);

  // Aging: pigment spreads and fades over the years, which is why clinics book top-ups.
  const double years = params.yearsSinceSession;
  const double spread = 1.0 + 0.05 * years;
  const double fade = std::exp(-0.07 * years);
  Random rng(params.seed ^ 0xD1CE5EEDull);
  std::vector<Dot> dots;
  dots.reserve(points.size());
  for (const PlacedPoint& p : points) {
    const double sizeJitter = rng.uniform(0.85, 1.15);
    const double opacityJitter = rng.uniform(0.85, 1.0);
    if (p.session > params.sessionStage) continue;
    // Later passes darken: a single pass looks lighter than the finished result.
    const double sessionDepth =
        params.sessionStage == 1 ? 0.8 : (params.sessionStage == 2 ? 0.9 : 1.0);
    dots.push_back({p.x, p.y,
                    static_cast<float>(params.dotDiameterMm * pxPerMm * sizeJitter * spread),
                    static_cast<float>(opacityJitter * fade * sessionDepth), p.session});
  }
  return dots;
}

RgbImage composite(const RgbImage& photo, const std::vector<Dot>& dots,
                   const PreviewParams& params) {
  RgbImage out = photo;
  const Pigment pigment = pigmentFor(params);
  auto deposit = [&](int x, int y, float amount) {
    if (x < 0 || y < 0 || x >= out.width || y >= out.height || amount <= 0) return;
    std::uint8_t* px = out.at(x, y);
    const float a = std::min(1.0f, amount * pigment.strength);
    for (int c = 0; c < 3; ++c) {
      const float absorbed = 1.0f - a * (1.0f - pigment.reflectance[c]);
      px[c] = static_cast<std::uint8_t>(std::lround(px[c] * absorbed));
    }
  };
  for (const Dot& d : dots) {
    const float r = 0.5f * d.diameterPx;
    if (r < 0.75f) {
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
    const int x0 = static_cast<int>(std::floor(d.x - r - 1)),
              x1 = static_cast<int>(std::ceil(d.x + r + 1));
    const int y0 = static_cast<int>(std::floor(d.y - r - 1)),
              y1 = static_cast<int>(std::ceil(d.y + r + 1));
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) {
        const float dx = static_cast<float>(x) + 0.5f - d.x;
        const float dy = static_cast<float>(y) + 0.5f - d.y;
        const float dist = std::sqrt(dx * dx + dy * dy);
        const float coverage = std::clamp(r + 0.5f - dist, 0.0f, 1.0f);  // anti-aliased edge
        deposit(x, y, coverage * d.opacity);
      }
    }
  }
  return out;
}

PreviewResult renderPreview(const PreviewInput& input, const PreviewParams& params) {
  PreviewResult result;
  result.dots = placeDots(input, params, &result.pxPerMm, &result.placement);
  result.image = composite(*input.photo, result.dots, params);
  return result;
}

}  // namespace smp::engine
