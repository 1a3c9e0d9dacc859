// Hairline templates: shapes and transition depths in millimetres, from ../shared/DOMAIN.md.
#include "engine/hairline.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace smp::engine {
namespace {

struct StyleInfo {
  HairlineStyle style;
  std::string_view name;
  double templeRiseMm;    // how far the line climbs from the mid-front to the temples
  double frontOffsetMm;   // positive moves the whole line up (a mature line sits ~15 mm higher)
  double transitionMm;    // depth of the faded zone below the line
  double irregularityMm;  // macro irregularity amplitude
  double peakMm;          // widow's peak depth at the centre
};

constexpr std::array<StyleInfo, 6> kStyles{{
    {HairlineStyle::kNone, "none", 0, 0, 0, 0, 0},
    {HairlineStyle::kSoft, "soft", 10, 0, 25, 1.0, 0},
    {HairlineStyle::kSharp, "sharp", 10, 0, 5, 0.3, 0},
    {HairlineStyle::kMature, "mature", 25, 15, 12, 1.5, 0},
    {HairlineStyle::kBroken, "broken", 14, 0, 15, 3.5, 0},
    {HairlineStyle::kWidowsPeak, "widows-peak", 16, 0, 10, 1.0, 9},
}};

const StyleInfo& info(HairlineStyle style) {
  for (const auto& s : kStyles) {
    if (s.style == style) return s;
  }
  return kStyles[0];
}

}  // namespace

std::string_view hairlineStyleName(HairlineStyle style) { return info(style).name; }

std::optional<HairlineStyle> parseHairlineStyle(std::string_view name) {
  for (const auto& s : kStyles) {
    if (s.name == name) return s.style;
  }
  return std::nullopt;
}

std::string hairlineStyleNames() {
  std::string out;
  for (const auto& s : kStyles) {
    if (!out.empty()) out += '|';
    out += s.name;
  }
  return out;
}

double Hairline::curveY(double x) const {
  if (controlX.empty()) return -1e30;
  if (controlX.size() == 1) return controlY[0];
  auto it = std::upper_bound(controlX.begin(), controlX.end(), x);
  std::size_t i = static_cast<std::size_t>(it - controlX.begin());
  i = std::clamp<std::size_t>(i, 1, controlX.size() - 1);
  const double t = (x - controlX[i - 1]) / (controlX[i] - controlX[i - 1]);
  return controlY[i - 1] + t * (controlY[i] - controlY[i - 1]);
}

double Hairline::densityFactor(double x, double y) const {
  if (style == HairlineStyle::kNone) return 1.0;
  const double below = y - curveY(x);  // image y grows downwards, towards the face
  if (below <= 0) return 1.0;
  if (transitionDepthPx <= 0 || below >= transitionDepthPx) return 0.0;
  // Quadratic falloff: the faded zone thins out quickly into scattered, broken dots.
  const double f = 1.0 - below / transitionDepthPx;
  return f * f;
}

Hairline makeHairline(HairlineStyle style, const HairlinePlacement& placement, double pxPerMm) {
  const StyleInfo& s = info(style);
  Hairline h;
  h.style = style;
  if (style == HairlineStyle::kNone) return h;
  h.transitionDepthPx = s.transitionMm * pxPerMm;
  h.irregularityPx = s.irregularityMm * pxPerMm;
  // 33 control points across twice the frontotemporal width: beyond the temples the line keeps
  // climbing so that the sides of the face stay clear.
  constexpr int kPoints = 33;
  for (int i = 0; i < kPoints; ++i) {
    const double t = -2.0 + 4.0 * i / (kPoints - 1);
    const double x = placement.centerX + t * placement.halfWidth;
    double upMm = s.frontOffsetMm + s.templeRiseMm * t * t;
    upMm -= s.peakMm * std::max(0.0, 1.0 - std::abs(t) / 0.18);
    // Macro irregularity: two incommensurate waves, fixed per style so a template looks the same
    // on every render; micro irregularity comes from the stochastic thinning of dots.
    upMm += s.irregularityMm * (0.6 * std::sin(7.3 * t + 0.7) + 0.4 * std::sin(17.1 * t + 2.1));
    h.controlX.push_back(x);
    h.controlY.push_back(placement.frontY - upMm * pxPerMm);
  }
  return h;
}

}  // namespace smp::engine
