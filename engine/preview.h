// The engine's front door: a photo, a scalp mask and SMP parameters in; dots and a composite out.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/hairline.h"
#include "engine/head_analysis.h"
#include "engine/image.h"
#include "engine/shaved_base.h"
#include "engine/stipple.h"

namespace smp::engine {

// Limits checked on every request; messages name the value and these ranges.
inline constexpr int kMinImageSide = 16;
inline constexpr int kMaxImageSide = 8192;
inline constexpr long long kMaxImagePixels = 40'000'000;      // a 40 MP photo is the cap
inline constexpr double kMinDensity = 40, kMaxDensity = 160;  // impressions per cm^2
inline constexpr double kMinDotMm = 0.10, kMaxDotMm = 0.40;   // healed impression diameter
inline constexpr double kMinHeadWidthMm = 80, kMaxHeadWidthMm = 260;
inline constexpr double kMinYears = 0, kMaxYears = 10;

// Hair colour picks how far the carbon black is diluted.
enum class HairColour { kBlack, kDarkBrown, kBrown, kLightBrown, kGrey };
std::optional<HairColour> parseHairColour(std::string_view name);
std::string_view hairColourName(HairColour colour);

// What a finger stroke on the photo does.
enum class MarkKind {
  kScar,         // a scar to hide or an alopecia patch to fill: pigment goes there whatever
                 // the hairline says (within the scalp zone); scar tissue takes it a little
                 // unevenly (lighter, wider)
  kAddScalp,     // the automatic scalp zone missed this: it is scalp
  kRemoveScalp,  // the automatic scalp zone took this (an ear, a brow, the background): it is not
};
std::string_view markKindName(MarkKind kind);
std::optional<MarkKind> parseMarkKind(std::string_view name);

// A stroke is a chain of discs of radiusPx through its points (photo pixels). Strokes apply in
// order: a later one wins where they overlap.
struct MarkStroke {
  std::vector<ControlPoint> points;
  double radiusPx = 0;
  MarkKind kind = MarkKind::kScar;
};
inline constexpr std::size_t kMaxMarkStrokes = 64;
inline constexpr std::size_t kMaxMarkPoints = 512;  // per stroke
inline constexpr double kMinMarkRadiusPx = 1, kMaxMarkRadiusPx = 1000;
inline constexpr double kMaxMarkCoordinatePx = 1e6;  // |x| and |y|
// A mark's point is finite and within kMaxMarkCoordinatePx; its radius within the range above.
bool markPointInRange(const ControlPoint& point);
bool markRadiusInRange(double radiusPx);

struct PreviewParams {
  // Buzz: the head clipped short, pigment filling the bald and thin zones. Keep my hair: the
  // hair stays, pigment only darkens the scalp that shows through it.
  PreviewMode mode = PreviewMode::kBuzz;
  double densityPerCm2 = 100;
  double dotDiameterMm = 0.25;
  // Physical scale: pixels per mm, or derived from the head width across the mask's bounding box.
  std::optional<double> pxPerMm;
  double headWidthMm = 150;
  HairlineStyle hairline = HairlineStyle::kNone;
  // Where the template sits; by default it is placed from the mask's bounding box.
  std::optional<HairlinePlacement> hairlinePlacement;
  // Control points dragged by the client or staff; they replace the template's curve but keep
  // the style's transition and irregularity.
  std::optional<std::vector<ControlPoint>> hairlineControls;
  HairColour hairColour = HairColour::kBlack;
  int fitzpatrick = 3;   // skin type I-VI
  int sessionStage = 3;  // 1..3: the preview after this many sessions
  double yearsSinceSession = 0;
  std::uint64_t seed = 1;
  // The ink's strength, calibrated on the first render of a photo (see PreviewResult) and
  // passed back on live updates so that only the dots are redone.
  std::optional<double> inkStrength;
  // Scars and patches marked by touch (used when PreviewInput::scars is not given).
  std::vector<MarkStroke> marks;
};

// The scar marks as a map at the photo's size: 255 inside a stroke, a soft edge of about 1.5 px
// (strokes of other kinds are left out).
GrayImage rasterizeMarks(const std::vector<MarkStroke>& marks, int width, int height);
// True when some stroke adds or removes scalp.
bool hasZoneEdits(const std::vector<MarkStroke>& marks);
// The strokes that add or remove scalp, in order (the scar marks left out).
std::vector<MarkStroke> zoneEditsOf(const std::vector<MarkStroke>& marks);
// Applies the add- and remove-scalp strokes, in order, to a zone map at the photo's size
// (255 = scalp). The result depends only on the zone and the strokes: applying the same strokes
// twice gives the same map, so a caller may edit the analysis's zone before renderPreview
// (which applies them again) without harm.
void applyZoneEdits(GrayImage& zone, const std::vector<MarkStroke>& marks);

struct PreviewInput {
  const RgbImage* photo = nullptr;
  const GrayImage* mask = nullptr;        // optional: 255 = scalp; default whole image
  const GrayImage* densityMap = nullptr;  // optional: grey level scales density per pixel
  // optional: 255 = scar or patch (pigment goes there whatever the hairline; scar tissue takes
  // it unevenly). Default: PreviewParams::marks rasterized.
  const GrayImage* scars = nullptr;
  // Optional: the face and the head's layers (app/vision). With it, scale and hairline come
  // from the face, the buzz base replaces the hair, and nothing outside the scalp zone changes.
  const HeadAnalysis* analysis = nullptr;
  // Optional: a shaved base made earlier for this photo and analysis (it is the slow part).
  const ShavedBase* base = nullptr;
  // Optional: where pigment goes whatever the hairline says, with probability value/255 (a
  // soft edge dithers). Default: the scar map. renderPreview sets it to the marks and, in buzz
  // mode, the client's own clipped hair.
  const GrayImage* unbounded = nullptr;
};

struct PreviewResult {
  std::vector<Dot> dots;
  RgbImage image;
  double pxPerMm = 0;
  HairlinePlacement placement;
  Hairline hairline;            // the curve actually used, for drawing its control handles
  double inkStrength = 0;       // what the tone calibration chose (pass back in PreviewParams)
  double targetDeltaL = 0;      // the treated zone's planned change in L* after session 3
  bool shadeFromSides = false;  // the target came from the client's own clipped sides
  // Keep my hair: the client's hair covers the scalp nearly everywhere pigment would go, so
  // the preview hardly changes (the kiosk says so, and suggests the buzz).
  bool hairHidesPigment = false;
  bool cancelled = false;
};

// The treated zone's planned lightness change at session 3 for a skin type and hair colour,
// when there are no clipped sides to match: calibrated defaults (negative: darker).
double defaultTargetDeltaL(int fitzpatrick, HairColour colour);
// The range a realistic result keeps to, per skin type: {darkest, lightest} change in L*.
std::pair<double, double> deltaLRange(int fitzpatrick);

// Throws EngineError when an input is empty, too small, too large, mismatched or out of range.
void validate(const PreviewInput& input, const PreviewParams& params);

// Places the dots of sessions 1..sessionStage (aged by yearsSinceSession) without compositing.
// `out` receives scale, placement and curve. Empty (and out->cancelled) when cancelled.
std::vector<Dot> placeDots(const PreviewInput& input, const PreviewParams& params,
                           PreviewResult* out = nullptr, const std::atomic<bool>* cancel = nullptr);

PreviewResult renderPreview(const PreviewInput& input, const PreviewParams& params,
                            const std::atomic<bool>* cancel = nullptr);

}  // namespace smp::engine
