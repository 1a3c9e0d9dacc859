// Hairlines: templates (soft, sharp, mature, broken, widow's peak) as smooth curves through
// control points that the kiosk can drag, and the density that builds up behind them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smp::engine {

enum class HairlineStyle { kNone, kSoft, kSharp, kMature, kBroken, kWidowsPeak };

std::string_view hairlineStyleName(HairlineStyle style);
std::optional<HairlineStyle> parseHairlineStyle(std::string_view name);
// All accepted names, for help texts and error messages ("none|soft|...").
std::string hairlineStyleNames();

// Where the hairline sits on the photo, in pixels. The mid-frontal point is (centerX, frontY);
// halfWidth reaches the frontotemporal points (roughly above the outer corners of the eyes).
struct HairlinePlacement {
  double centerX = 0;
  double frontY = 0;
  double halfWidth = 0;
};

struct ControlPoint {
  double x;
  double y;
};

// A concrete hairline in pixels.
struct Hairline {
  HairlineStyle style = HairlineStyle::kNone;
  std::vector<ControlPoint> controls;  // sorted by x; a smooth curve passes through each
  double transitionDepthPx = 0;        // behind the line: density 10 % -> 90 % over this depth
  double macroIrregularityPx = 0;      // slow waviness along the line
  double microIrregularityPx = 0;      // per-impression scatter of the edge

  // Curve height at x: cubic Hermite through the controls plus the macro waviness; beyond the
  // outer controls it continues with the end slopes (the sides climb away from the face).
  double curveY(double x) const;
  // Density factor in [0, 1] ignoring micro scatter: 0 in front of (below) the line, rising
  // behind it to 1 past the transition; practitioners draw the line as the front edge.
  double densityFactor(double x, double y) const;
  // curveY for each column x0..x1-1, for fast placement.
  std::vector<float> columns(int x0, int x1) const;
};

// Builds a template hairline, scaled from millimetres with pxPerMm. The controls span twice
// the frontotemporal width. With `templeDropPx` 0 (no face known) the line climbs clear of the
// face at the sides. Given (the distance from the frontotemporal corners down to the brow line,
// known from a found face), the line turns down past the corners as the temporal hairline does,
// towards the sideburns, so the sides above the ears are treated too; the scalp zone (nothing
// below the brow line) keeps the face clear.
Hairline makeHairline(HairlineStyle style, const HairlinePlacement& placement, double pxPerMm,
                      double templeDropPx = 0);

}  // namespace smp::engine
