// Hairline templates (soft, sharp, mature, broken, widow's peak) and the density falloff below
// them.
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

// A concrete hairline: the curve's control points (pixels) and the transition zone depth.
struct Hairline {
  HairlineStyle style = HairlineStyle::kNone;
  std::vector<double> controlX;  // increasing
  std::vector<double> controlY;
  double transitionDepthPx = 0;
  double irregularityPx = 0;  // amplitude of the macro wave along the line

  // Curve height at x (piecewise-linear between control points, extended by the end slopes).
  double curveY(double x) const;
  // Density factor in [0, 1]: 1 above the line (scalp), falling to 0 across the transition zone.
  double densityFactor(double x, double y) const;
};

// Builds a hairline from a template, scaled from millimetres with pxPerMm.
Hairline makeHairline(HairlineStyle style, const HairlinePlacement& placement, double pxPerMm);

}  // namespace smp::engine
