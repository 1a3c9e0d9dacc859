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
  double templeRiseMm;   // how far the line climbs from the mid-front to the temples
  double frontOffsetMm;  // positive moves the whole line up (a mature line sits ~15 mm higher)
  double transitionMm;   // behind the line, density rises 10 % -> 90 % over this depth
  double macroMm;        // waviness along the line
  double microMm;        // scatter of single impressions at the edge
  double peakMm;         // widow's peak depth at the centre
};

constexpr std::array<StyleInfo, 6> kStyles{{
    {HairlineStyle::kNone, "none", 0, 0, 0, 0, 0, 0},
    // Practitioners' widths: soft 5-10 mm, sharp 2-4 mm (../shared/DOMAIN.md).
    {HairlineStyle::kSoft, "soft", 10, 0, 7.5, 1.0, 1.2, 0},
    {HairlineStyle::kSharp, "sharp", 10, 0, 3, 0.3, 0.3, 0},
    {HairlineStyle::kMature, "mature", 25, 15, 6, 1.5, 1.0, 0},
    {HairlineStyle::kBroken, "broken", 14, 0, 6, 3.5, 2.0, 0},
    {HairlineStyle::kWidowsPeak, "widows-peak", 16, 0, 5, 1.0, 0.8, 9},
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
  if (controls.empty()) return -1e30;
  const std::size_t n = controls.size();
  double y;
  if (n == 1) {
    y = controls[0].y;
  } else {
    auto slope = [&](std::size_t i) {
      const std::size_t a = i == 0 ? 0 : i - 1, b = i + 1 >= n ? n - 1 : i + 1;
      return (controls[b].y - controls[a].y) / (controls[b].x - controls[a].x);
    };
    if (x <= controls.front().x) {
      y = controls.front().y + slope(0) * (x - controls.front().x);
    } else if (x >= controls.back().x) {
      y = controls.back().y + slope(n - 1) * (x - controls.back().x);
    } else {
      const auto it = std::upper_bound(controls.begin(), controls.end(), x,
                                       [](double v, const ControlPoint& c) { return v < c.x; });
      const std::size_t i = static_cast<std::size_t>(it - controls.begin()) - 1;
      const double h = controls[i + 1].x - controls[i].x;
      const double t = (x - controls[i].x) / h;
      const double t2 = t * t, t3 = t2 * t;
      y = (2 * t3 - 3 * t2 + 1) * controls[i].y + (t3 - 2 * t2 + t) * h * slope(i) +
          (-2 * t3 + 3 * t2) * controls[i + 1].y + (t3 - t2) * h * slope(i + 1);
    }
  }
  if (macroIrregularityPx > 0 && n >= 2) {
    // Two incommensurate waves across the line's width: fixed per line, so a template looks
    // the same on every render and moves with its control points.
    const double span = controls.back().x - controls.front().x;
    const double u = (x - controls.front().x) / span * 4.0 - 2.0;
    y += macroIrregularityPx * (0.6 * std::sin(7.3 * u + 0.7) + 0.4 * std::sin(17.1 * u + 2.1));
  }
  return y;
}

double Hairline::densityFactor(double x, double y) const {
  if (style == HairlineStyle::kNone) return 1.0;
  const double behind = curveY(x) - y;  // image y grows downwards, towards the face
  if (behind <= 0) return 0.0;          // in front of the line: the forehead
  // A linear ramp 0 -> 1 over transition / 0.8, so 10 % -> 90 % spans the transition depth.
  const double ramp = transitionDepthPx / 0.8;
  return ramp <= 0 ? 1.0 : std::min(1.0, behind / ramp);
}

std::vector<float> Hairline::columns(int x0, int x1) const {
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(std::max(0, x1 - x0)));
  for (int x = x0; x < x1; ++x) out.push_back(static_cast<float>(curveY(x + 0.5)));
  return out;
}

Hairline makeHairline(HairlineStyle style, const HairlinePlacement& placement, double pxPerMm,
                      double templeDropPx) {
  const StyleInfo& s = info(style);
  Hairline h;
  h.style = style;
  if (style == HairlineStyle::kNone) return h;
  h.transitionDepthPx = s.transitionMm * pxPerMm;
  h.macroIrregularityPx = s.macroMm * pxPerMm;
  h.microIrregularityPx = s.microMm * pxPerMm;
  // Nine controls from -2 to +2 frontotemporal half-widths (a widow's peak adds two).
  std::vector<double> ts = {-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0};
  if (s.peakMm > 0) ts = {-2.0, -1.5, -1.0, -0.5, -0.18, 0.0, 0.18, 0.5, 1.0, 1.5, 2.0};
  for (double t : ts) {
    const double a = std::abs(t);
    // Past the corners (|t| > 1) the line either keeps climbing (no face known) or turns down
    // the temples, reaching the brow line's height two frontotemporal half-widths out.
    const double climb = templeDropPx > 0 ? std::min(a, 1.0) : a;
    double upMm = s.frontOffsetMm + s.templeRiseMm * climb * climb;
    upMm -= s.peakMm * std::max(0.0, 1.0 - a / 0.18);
    double y = placement.frontY - upMm * pxPerMm;
    if (templeDropPx > 0 && a > 1) {
      // The temporal line runs steeply down from the corner: most of the drop is done half a
      // half-width out, where the side of the head turns away from the camera.
      const double u = std::min(1.0, a - 1);  // 0 at the corner, 1 two half-widths out
      y += templeDropPx * (1 - (1 - u) * (1 - u) * (1 - u));
    }
    h.controls.push_back({placement.centerX + t * placement.halfWidth, y});
  }
  return h;
}

}  // namespace smp::engine
