// Validation, physical scaling, aging and compositing around the placement in stipple.cpp.
#include "engine/preview.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <sstream>
#include <string>

#include "engine/color.h"
#include "engine/engine_error.h"
#include "engine/pigment_layer.h"

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

// How much lighter than black each hair colour's shade is planned (its dilution).
double colourFactor(HairColour c) {
  switch (c) {
    case HairColour::kBlack:
      return 1.0;
    case HairColour::kDarkBrown:
      return 0.88;
    case HairColour::kBrown:
      return 0.78;
    case HairColour::kLightBrown:
      return 0.68;
    case HairColour::kGrey:
      return 0.6;
  }
  return 1.0;
}

// Carbon black diluted in the dermis reads nearly neutral; a touch less absorption in blue
// keeps it from turning warm, never so much that it turns blue.
constexpr float kInkAbsorb[3] = {1.0f, 1.0f, 0.97f};
// A single healed impression never turns black: at most about 70 % of the light is absorbed
// where the ink is densest (optical depth 1.2), or the zone reads as pepper.
constexpr double kMaxImpressionDepth = 1.2;
// The planned darkening of the scalp between kept grey or white strands, in L* (a hint).
constexpr double kKeptGreyHairDeltaL = -4;

double meanLuminance(const RgbImage& img, const std::vector<std::size_t>& pixels,
                     const std::vector<float>* ink, double strength) {
  double sum = 0;
  for (std::size_t i : pixels) {
    const float depth = ink ? static_cast<float>(strength) * (*ink)[i] : 0.0f;
    double lin[3];
    for (int c = 0; c < 3; ++c) {
      lin[c] =
          srgbToLinear(img.pixels[i * 3 + c]) * (ink ? std::exp(-depth * kInkAbsorb[c]) : 1.0f);
    }
    sum += relativeLuminance(lin[0], lin[1], lin[2]);
  }
  return pixels.empty() ? 0 : sum / static_cast<double>(pixels.size());
}

}  // namespace

double defaultTargetDeltaL(int fitzpatrick, HairColour colour) {
  // Mid-range for the skin type (issue 12's ranges), lighter for lighter hair, kept in range.
  const double black = fitzpatrick <= 3 ? -14.0 : (fitzpatrick == 4 ? -11.0 : -7.5);
  const auto [lo, hi] = deltaLRange(fitzpatrick);
  return std::clamp(black * colourFactor(colour), lo, hi);
}

std::pair<double, double> deltaLRange(int fitzpatrick) {
  if (fitzpatrick <= 3) return {-18, -8};
  if (fitzpatrick == 4) return {-14, -6};
  return {-10, -3};
}

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
  if (params.marks.size() > kMaxMarkStrokes) {
    throw EngineError(
        EngineErrorCode::kOutOfRange,
        str(params.marks.size()) + " marked strokes: at most " + str(kMaxMarkStrokes));
  }
  for (std::size_t i = 0; i < params.marks.size(); ++i) {
    const MarkStroke& m = params.marks[i];
    if (m.points.empty() || m.points.size() > kMaxMarkPoints || !markRadiusInRange(m.radiusPx)) {
      throw EngineError(EngineErrorCode::kOutOfRange,
                        "marked stroke " + str(i) + " must have 1-" + str(kMaxMarkPoints) +
                            " points and a radius of " + str(kMinMarkRadiusPx) + "-" +
                            str(kMaxMarkRadiusPx) + " px");
    }
    for (const ControlPoint& c : m.points) {
      if (!markPointInRange(c)) {
        throw EngineError(EngineErrorCode::kOutOfRange,
                          "marked stroke " + str(i) +
                              " has a point that is not finite or lies beyond 1,000,000 px");
      }
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

bool markPointInRange(const ControlPoint& point) {
  return std::isfinite(point.x) && std::isfinite(point.y) &&
         std::abs(point.x) <= kMaxMarkCoordinatePx && std::abs(point.y) <= kMaxMarkCoordinatePx;
}

bool markRadiusInRange(double radiusPx) {
  return std::isfinite(radiusPx) && radiusPx >= kMinMarkRadiusPx && radiusPx <= kMaxMarkRadiusPx;
}

namespace {

// Calls f(pixel index, coverage 0-1) for every pixel a stroke covers: each segment between
// consecutive points is a capsule, with a soft edge of about 1.5 px. A pixel under several
// segments is visited once per segment; callers combine with max or min.
template <typename F>
void forEachStrokePixel(const MarkStroke& m, int width, int height, F f) {
  const double r = m.radiusPx;
  for (std::size_t k = 0; k < m.points.size(); ++k) {
    const ControlPoint a = m.points[k];
    const ControlPoint b = m.points[k + 1 < m.points.size() ? k + 1 : k];
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min(a.x, b.x) - r - 2)));
    const int x1 = std::min(width - 1, static_cast<int>(std::ceil(std::max(a.x, b.x) + r + 2)));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min(a.y, b.y) - r - 2)));
    const int y1 = std::min(height - 1, static_cast<int>(std::ceil(std::max(a.y, b.y) + r + 2)));
    const double vx = b.x - a.x, vy = b.y - a.y, len2 = vx * vx + vy * vy;
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) {
        const double px = x + 0.5 - a.x, py = y + 0.5 - a.y;
        const double t = len2 > 0 ? std::clamp((px * vx + py * vy) / len2, 0.0, 1.0) : 0.0;
        const double d = std::hypot(px - t * vx, py - t * vy);
        const double v = std::clamp((r - d) / 1.5 + 0.5, 0.0, 1.0);
        if (v > 0) f(static_cast<std::size_t>(y) * width + x, v);
      }
    }
  }
}

std::uint8_t level(double coverage) {
  return static_cast<std::uint8_t>(std::lround(255 * coverage));
}

}  // namespace

std::string_view markKindName(MarkKind kind) {
  switch (kind) {
    case MarkKind::kScar:
      return "scar";
    case MarkKind::kAddScalp:
      return "add_scalp";
    case MarkKind::kRemoveScalp:
      return "remove_scalp";
  }
  return "scar";
}

std::optional<MarkKind> parseMarkKind(std::string_view name) {
  for (MarkKind k : {MarkKind::kScar, MarkKind::kAddScalp, MarkKind::kRemoveScalp})
    if (markKindName(k) == name) return k;
  return std::nullopt;
}

GrayImage rasterizeMarks(const std::vector<MarkStroke>& marks, int width, int height) {
  GrayImage map(width, height, 0);
  for (const MarkStroke& m : marks) {
    if (m.kind != MarkKind::kScar) continue;
    forEachStrokePixel(m, width, height, [&](std::size_t i, double v) {
      map.pixels[i] = std::max(map.pixels[i], level(v));
    });
  }
  return map;
}

namespace {
bool isZoneEdit(const MarkStroke& m) { return m.kind != MarkKind::kScar; }
}  // namespace

bool hasZoneEdits(const std::vector<MarkStroke>& marks) {
  return std::any_of(marks.begin(), marks.end(), isZoneEdit);
}

std::vector<MarkStroke> zoneEditsOf(const std::vector<MarkStroke>& marks) {
  std::vector<MarkStroke> out;
  std::copy_if(marks.begin(), marks.end(), std::back_inserter(out), isZoneEdit);
  return out;
}

void applyZoneEdits(GrayImage& zone, const std::vector<MarkStroke>& marks) {
  for (const MarkStroke& m : marks) {
    if (m.kind == MarkKind::kAddScalp) {
      forEachStrokePixel(m, zone.width, zone.height, [&](std::size_t i, double v) {
        zone.pixels[i] = std::max(zone.pixels[i], level(v));
      });
    } else if (m.kind == MarkKind::kRemoveScalp) {
      forEachStrokePixel(m, zone.width, zone.height, [&](std::size_t i, double v) {
        zone.pixels[i] = std::min(zone.pixels[i], level(1 - v));
      });
    }
  }
}

namespace {

// Scale, placement and curve of the hairline (into `out`), before any dot is placed.
void layout(const PreviewInput& input, const PreviewParams& params, PreviewResult& out) {
  const int w = input.photo->width;
  const int h = input.photo->height;
  const Box box = maskBounds(input.mask, w, h);
  const int boxWidth = std::max(1, box.x1 - box.x0);
  const FaceGeometry* face = input.analysis ? &input.analysis->geometry : nullptr;
  const double pxPerMm = params.pxPerMm.value_or(
      face && face->pxPerMm > 0 ? face->pxPerMm : boxWidth / params.headWidthMm);
  // Default hairline: from the face's proportions, else centred on the scalp region, a third
  // of the way down it.
  const HairlinePlacement placement = params.hairlinePlacement.value_or(
      face ? face->hairline
           : HairlinePlacement{0.5 * (box.x0 + box.x1), box.y0 + 0.35 * (box.y1 - box.y0),
                               0.32 * boxWidth});
  // With a found face the temporal hairline turns down the sides to the brow line's height.
  const double cornerY = placement.frontY - 10 * pxPerMm;
  // From above there is no brow line in view: the line's ends climb clear as the temples do.
  const double templeDrop =
      face && face->view == HeadView::kFront && face->browY > cornerY ? face->browY - cornerY : 0;
  Hairline hairline = makeHairline(params.hairline, placement, pxPerMm, templeDrop);
  if (params.hairlineControls && params.hairline != HairlineStyle::kNone) {
    hairline.controls = *params.hairlineControls;
  }
  out.pxPerMm = pxPerMm;
  out.placement = placement;
  out.hairline = hairline;
}

}  // namespace

std::vector<Dot> placeDots(const PreviewInput& input, const PreviewParams& params,
                           PreviewResult* out, const std::atomic<bool>* cancel) {
  validate(input, params);
  const int w = input.photo->width;
  const int h = input.photo->height;
  const Box box = maskBounds(input.mask, w, h);
  PreviewResult shape;
  layout(input, params, shape);
  const double pxPerMm = shape.pxPerMm;
  const Hairline& hairline = shape.hairline;
  if (out) {
    out->pxPerMm = pxPerMm;
    out->placement = shape.placement;
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
  const GrayImage* unbounded = input.unbounded ? input.unbounded : input.scars;
  request.field.marked = unbounded ? unbounded->pixels.data() : nullptr;
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

  // Aging: over the years pigment fades (the dermis clears it), which is why clinics book
  // top-ups; it also softens (the blur widens in the pigment layer). Never darker.
  const double years = params.yearsSinceSession;
  const float fade = static_cast<float>(std::exp(-0.06 * years));
  // Darker skin: slightly larger impressions (../shared/DOMAIN.md).
  const float skinSize = 1.0f + 0.04f * static_cast<float>(std::max(0, params.fitzpatrick - 3));
  const float baseDiameter = static_cast<float>(params.dotDiameterMm * pxPerMm) * skinSize;
  std::vector<Dot> dots;
  dots.reserve(points.size());
  for (const PlacedPoint& p : points) {
    // Needles and skin vary: +-15 % in size and some in depth, from the dot's own identity.
    const float u1 = static_cast<float>((p.id >> 16) & 0xFF) / 255.0f;
    const float u2 = static_cast<float>((p.id >> 24) & 0xFF) / 255.0f;
    float diameter = baseDiameter * (0.85f + 0.30f * u1);
    float opacity = (0.85f + 0.15f * u2) * fade;
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

PreviewResult renderPreview(const PreviewInput& input, const PreviewParams& params,
                            const std::atomic<bool>* cancel) {
  validate(input, params);
  const RgbImage& photo = *input.photo;
  const int w = photo.width, h = photo.height;
  const std::size_t n = static_cast<std::size_t>(w) * h;
  PreviewResult result;

  // Without an analysis the base is the photo itself, with no stubble: referred to, not copied
  // (at 12 MP a copy is 36 MB, and the copies were most of the time).
  ShavedBase localBase;
  const ShavedBase* base = input.base;
  if (!base && input.analysis) {
    localBase = makeShavedBase(photo, *input.analysis, params.mode);
    base = &localBase;
  } else if (!base) {
    base = &localBase;
  }
  // Where pigment may go: the analysis's scalp zone, the given mask, or where both allow it
  // (copied only then: a live update should not copy a full-size map for nothing).
  std::optional<GrayImage> both;
  const GrayImage* allowed = input.mask;
  if (input.analysis) {
    allowed = &input.analysis->layers.scalpZone;
    if (input.mask) {
      both = *allowed;
      for (std::size_t i = 0; i < n; ++i)
        both->pixels[i] = std::min(both->pixels[i], input.mask->pixels[i]);
      allowed = &*both;
    }
  }
  // Scalp added or removed by touch wins over the automatic zone.
  if (hasZoneEdits(params.marks)) {
    if (!both) both = allowed ? *allowed : GrayImage(w, h, 255);
    applyZoneEdits(*both, params.marks);
    allowed = &*both;
  }

  // The hairline's layout, for the treated zone the tone is calibrated on.
  PreviewResult probe;
  PreviewInput placeIn = input;
  placeIn.mask = allowed;
  // Marked scars and patches: the caller's map, or the touch strokes drawn into one.
  std::optional<GrayImage> marked;
  if (!input.scars && !params.marks.empty()) {
    marked = rasterizeMarks(params.marks, w, h);
    placeIn.scars = &*marked;
  }
  layout(placeIn, params, probe);
  // Per column: where the hairline's density reaches 90 % (the defined zone starts there).
  std::vector<float> fullBehind(static_cast<std::size_t>(w), static_cast<float>(h));
  if (probe.hairline.style != HairlineStyle::kNone) {
    const std::vector<float> cols = probe.hairline.columns(0, w);
    const double ramp = probe.hairline.transitionDepthPx / 0.8;
    for (int x = 0; x < w; ++x)
      fullBehind[static_cast<std::size_t>(x)] =
          static_cast<float>(cols[static_cast<std::size_t>(x)] - 0.9 * ramp);
  }

  const RgbImage& baseImage = base->image.pixels.empty() ? photo : base->image;
  const bool hasStubble = !base->stubble.pixels.empty();

  // Where the client's own clipped hair is dense, pigment has less to add (buzz), or no room
  // (keep my hair: the dots go between hairs only).
  GrayImage density(w, h, 255);
  const double stubbleShare =
      params.mode == PreviewMode::kBuzz ? 0.7 * base->stubbleVisibility : 1.0;
  const bool awayFromHead = !base->clippedAway.pixels.empty();
  for (std::size_t i = 0; i < n; ++i) {
    if (allowed && allowed->pixels[i] == 0) continue;  // no dot goes there anyway
    double d = hasStubble ? 1.0 - stubbleShare * base->stubble.pixels[i] / 255.0 : 1.0;
    if (input.densityMap) d *= input.densityMap->pixels[i] / 255.0;
    // A marked scar or patch has no hair of its own to spare pigment for: full density.
    if (placeIn.scars) d = std::max(d, placeIn.scars->pixels[i] / 255.0);
    // Hair taken away with its volume left background there: no dot lands on it.
    if (awayFromHead) d *= 1.0 - base->clippedAway.pixels[i] / 255.0;
    density.pixels[i] = static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(d, 0.0, 1.0)));
  }
  placeIn.densityMap = &density;
  // Buzz: where the client has hair of their own (the sides, what is left on top), the clipped
  // head gets pigment too, however the hairline runs, so the whole head reads as one buzz (the
  // stubble already lowered the density there); marks count as well.
  std::optional<GrayImage> unbounded;
  if (!base->ownHair.empty()) {
    if (placeIn.scars) {
      unbounded = base->ownHair;
      for (std::size_t i = 0; i < n; ++i)
        unbounded->pixels[i] = std::max(unbounded->pixels[i], placeIn.scars->pixels[i]);
      placeIn.unbounded = &*unbounded;
    } else {
      placeIn.unbounded = &base->ownHair;
    }
  }
  result.dots = placeDots(placeIn, params, &result, cancel);
  if (result.cancelled) return result;

  PigmentOptics optics;
  optics.pxPerMm = result.pxPerMm;
  optics.dermalBlurMm *= 1.0 + 0.06 * params.yearsSinceSession;  // softer with the years
  // Keeping the hair, a strand over the scalp hides the pigment under it.
  auto hideUnderStrands = [&](std::vector<float>& deposited) {
    if (base->scalpShows.empty()) return;
    for (std::size_t i = 0; i < n; ++i)
      if (deposited[i] > 0) deposited[i] *= base->scalpShows.pixels[i] * (1.0f / 255.0f);
  };
  std::vector<float> ink = depositPigment(result.dots, w, h, optics);
  hideUnderStrands(ink);

  // Tone: match the clipped sides where the client has them, else the calibrated default;
  // planned for the finished result (session 3, year 0) so sessions build up and years fade.
  const auto [lo, hi] = deltaLRange(params.fitzpatrick);
  std::vector<std::size_t> treated;
  // Keeping the hair, the tone is that of the scalp the pigment shows on: the strands over the
  // rest hide it, and a zone mean over them asked each visible dot to make up for the hidden
  // ones (black pepper along a grey-haired client's hairline).
  const bool keepingHair = !base->scalpShows.empty();
  std::vector<std::size_t> scalpShowing;
  // A sample of the treated zone is plenty for a mean: every third pixel each way at the
  // kiosk's scale (about 4 px/mm), the same spacing in millimetres on a larger photo (a 12 MP
  // photo would otherwise sample ten times as many pixels, 28 times over, for the same mean).
  const int stride = std::max(3, static_cast<int>(result.pxPerMm / 1.4));
  for (int y = 1; y < h; y += stride) {
    for (int x = 1; x < w; x += stride) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      if ((!allowed || allowed->pixels[i] == 255) && y <= fullBehind[static_cast<std::size_t>(x)] &&
          (!awayFromHead || base->clippedAway.pixels[i] == 0)) {
        treated.push_back(i);
        if (keepingHair && density.pixels[i] >= 128 && base->scalpShows.pixels[i] >= 128)
          scalpShowing.push_back(i);
      }
    }
  }
  // Hair dense all over shows no scalp to sample: the zone's own mean then, as in the buzz.
  if (keepingHair && scalpShowing.size() >= std::max<std::size_t>(30, treated.size() / 20))
    treated = std::move(scalpShowing);
  else if (keepingHair && treated.size() >= 30)
    result.hairHidesPigment = true;
  const double baseY = meanLuminance(baseImage, treated, nullptr, 0);
  // Grey or white hair hardly shows against the skin: the shade follows it, whatever colour
  // was picked (black dots on grey hair are the commonest fake look).
  const HairColour colour =
      base->hairFound && base->stubbleVisibility < 0.3 ? HairColour::kGrey : params.hairColour;
  double target = defaultTargetDeltaL(params.fitzpatrick, colour);
  // Keeping grey or white hair, which hardly stands apart from the skin, the scalp between the
  // strands takes only a hint of shade: darkened as for the buzz (-8.4 L*), it read as a band
  // of brown dots under a grey-haired client's white hairline.
  if (keepingHair && colour == HairColour::kGrey) target = std::max(target, kKeptGreyHairDeltaL);
  if (params.mode == PreviewMode::kBuzz && base->hasClippedSides && !treated.empty() &&
      base->stubbleVisibility >= 0.3) {
    target = std::clamp(base->sidesColour.L - lightnessFromY(baseY), lo, hi);
    result.shadeFromSides = true;
  }
  result.targetDeltaL = target;
  double strength = params.inkStrength.value_or(0);
  if (!params.inkStrength && !treated.empty()) {
    std::vector<float> finishedInk;
    const std::vector<float>* calib = &ink;
    if (params.sessionStage != 3 || params.yearsSinceSession != 0) {
      PreviewParams finished = params;
      finished.sessionStage = 3;
      finished.yearsSinceSession = 0;
      PigmentOptics fresh;  // the healed, not yet aged blur
      fresh.pxPerMm = optics.pxPerMm;
      finishedInk = depositPigment(placeDots(placeIn, finished, nullptr, cancel), w, h, fresh);
      hideUnderStrands(finishedInk);
      calib = &finishedInk;
    }
    const double wantY = yFromLightness(lightnessFromY(baseY) + target);
    double a = 0, b = 64;  // optical depth per unit of ink area
    for (int it = 0; it < 28; ++it) {
      const double mid = 0.5 * (a + b);
      (meanLuminance(baseImage, treated, calib, mid) > wantY ? a : b) = mid;
    }
    strength = 0.5 * (a + b);
    // A single healed impression never turns black: at most about 70 % of the light is
    // absorbed where the ink is densest (the 90th percentile), or the zone reads as pepper.
    // Keeping the hair, it is judged where no strand hides part of it.
    std::vector<float> inked;
    for (std::size_t i : treated)
      if ((*calib)[i] > 0 && (!keepingHair || base->scalpShows.pixels[i] == 255))
        inked.push_back((*calib)[i]);
    if (!inked.empty()) {
      auto p90 = inked.begin() + static_cast<std::ptrdiff_t>(inked.size() * 9 / 10);
      std::nth_element(inked.begin(), p90, inked.end());
      if (*p90 > 0) strength = std::min(strength, kMaxImpressionDepth / *p90);
    }
  }
  result.inkStrength = strength;
  result.image = applyPigment(baseImage, ink, allowed, strength, kInkAbsorb);
  // Where scalp was removed by touch, the photo shows as it is: a base made before the edit may
  // have clipped hair there (an eyebrow the automatic zone took for hair, say).
  const GrayImage* automatic = input.analysis ? &input.analysis->layers.scalpZone : input.mask;
  if (automatic && allowed != automatic && allowed) {
    for (std::size_t i = 0; i < n; ++i) {
      const int removed = automatic->pixels[i] - allowed->pixels[i];
      if (removed <= 0) continue;
      const float keep = removed / 255.0f;
      for (int c = 0; c < 3; ++c) {
        std::uint8_t& out = result.image.pixels[3 * i + c];
        out = static_cast<std::uint8_t>(
            std::lround(out + keep * (photo.pixels[3 * i + c] - static_cast<float>(out))));
      }
    }
  }
  return result;
}

}  // namespace smp::engine
