// Formulas from CIE 15:2004 (CIELAB) and Sharma, Wu and Dalal, "The CIEDE2000 colour-difference
// formula" (2005); sRGB transfer function from IEC 61966-2-1.
#include "engine/color.h"

#include <algorithm>
#include <cmath>

namespace smp::engine {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kWhiteX = 0.95047, kWhiteY = 1.0, kWhiteZ = 1.08883;  // D65

double labF(double t) {
  constexpr double d = 6.0 / 29.0;
  return t > d * d * d ? std::cbrt(t) : t / (3 * d * d) + 4.0 / 29.0;
}

const std::array<float, 256>& decodeTable() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) {
      const double c = i / 255.0;
      t[static_cast<std::size_t>(i)] =
          static_cast<float>(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
    }
    return t;
  }();
  return table;
}

// The linear values where the encoded 8-bit level steps up: level k starts at the linear value
// of (k - 0.5) / 255.
const std::array<double, 256>& encodeThresholds() {
  static const std::array<double, 256> thresholds = [] {
    std::array<double, 256> t{};
    t[0] = -1;  // level 0 starts below everything
    for (int k = 1; k < 256; ++k) {
      const double s = (k - 0.5) / 255.0;
      t[static_cast<std::size_t>(k)] =
          s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    }
    return t;
  }();
  return thresholds;
}

double radians(double deg) { return deg * kPi / 180.0; }
double degrees(double rad) { return rad * 180.0 / kPi; }

}  // namespace

float srgbToLinear(std::uint8_t v) { return decodeTable()[v]; }

std::uint8_t linearToSrgb(float v) {
  if (!(v > 0)) return 0;  // below 0, and NaN
  if (v >= 1) return 255;
  // The level at the start of v's bin of a fine table, then one step up if v has passed the
  // next level's threshold: a bin (1/65536) is narrower than the closest two thresholds
  // (about 1/3300), so one comparison makes it exact. Faster than a pow per channel.
  constexpr int kBins = 65536;
  static const std::array<std::uint8_t, kBins> levelAtBin = [] {
    std::array<std::uint8_t, kBins> t{};
    const auto& th = encodeThresholds();
    int level = 0;
    for (int i = 0; i < kBins; ++i) {
      const double c = static_cast<double>(i) / kBins;
      while (level < 255 && th[static_cast<std::size_t>(level + 1)] <= c) ++level;
      t[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(level);
    }
    return t;
  }();
  int level = levelAtBin[static_cast<std::size_t>(static_cast<double>(v) * kBins)];
  if (level < 255 &&
      static_cast<double>(v) >= encodeThresholds()[static_cast<std::size_t>(level + 1)])
    ++level;
  return static_cast<std::uint8_t>(level);
}

double relativeLuminance(double r, double g, double b) {
  return 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
}

Lab linearRgbToLab(double r, double g, double b) {
  const double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const double y = relativeLuminance(r, g, b);
  const double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
  const double fx = labF(x / kWhiteX), fy = labF(y / kWhiteY), fz = labF(z / kWhiteZ);
  return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

Lab srgbToLab(const std::uint8_t* rgb) {
  return linearRgbToLab(srgbToLinear(rgb[0]), srgbToLinear(rgb[1]), srgbToLinear(rgb[2]));
}

double lightnessFromY(double y) { return 116 * labF(std::max(0.0, y)) - 16; }

double yFromLightness(double lightness) {
  const double f = (lightness + 16) / 116;
  constexpr double d = 6.0 / 29.0;
  return f > d ? f * f * f : 3 * d * d * (f - 4.0 / 29.0);
}

double hueDegrees(const Lab& c) {
  const double h = degrees(std::atan2(c.b, c.a));
  return h < 0 ? h + 360 : h;
}

double hueDifferenceDegrees(double h1, double h2) {
  const double d = std::fmod(std::abs(h1 - h2), 360.0);
  return d > 180 ? 360 - d : d;
}

double deltaE2000(const Lab& x, const Lab& y) {
  const double c1 = std::hypot(x.a, x.b), c2 = std::hypot(y.a, y.b);
  const double cMean = 0.5 * (c1 + c2);
  const double c7 = std::pow(cMean, 7);
  const double g = 0.5 * (1 - std::sqrt(c7 / (c7 + std::pow(25.0, 7))));
  const double a1 = (1 + g) * x.a, a2 = (1 + g) * y.a;
  const double cp1 = std::hypot(a1, x.b), cp2 = std::hypot(a2, y.b);
  auto hueOf = [](double b, double a) {
    if (a == 0 && b == 0) return 0.0;
    const double h = degrees(std::atan2(b, a));
    return h < 0 ? h + 360 : h;
  };
  const double hp1 = hueOf(x.b, a1), hp2 = hueOf(y.b, a2);
  const double dL = y.L - x.L, dC = cp2 - cp1;
  double dh = 0;
  if (cp1 * cp2 != 0) {
    dh = hp2 - hp1;
    if (dh > 180) dh -= 360;
    if (dh < -180) dh += 360;
  }
  const double dH = 2 * std::sqrt(cp1 * cp2) * std::sin(radians(dh / 2));
  const double lMean = 0.5 * (x.L + y.L), cpMean = 0.5 * (cp1 + cp2);
  double hMean = hp1 + hp2;
  if (cp1 * cp2 != 0) {
    if (std::abs(hp1 - hp2) <= 180) {
      hMean = 0.5 * (hp1 + hp2);
    } else {
      hMean = hp1 + hp2 < 360 ? 0.5 * (hp1 + hp2 + 360) : 0.5 * (hp1 + hp2 - 360);
    }
  }
  const double t = 1 - 0.17 * std::cos(radians(hMean - 30)) + 0.24 * std::cos(radians(2 * hMean)) +
                   0.32 * std::cos(radians(3 * hMean + 6)) -
                   0.20 * std::cos(radians(4 * hMean - 63));
  const double dTheta = 30 * std::exp(-std::pow((hMean - 275) / 25, 2));
  const double cp7 = std::pow(cpMean, 7);
  const double rC = 2 * std::sqrt(cp7 / (cp7 + std::pow(25.0, 7)));
  const double l50 = (lMean - 50) * (lMean - 50);
  const double sL = 1 + 0.015 * l50 / std::sqrt(20 + l50);
  const double sC = 1 + 0.045 * cpMean;
  const double sH = 1 + 0.015 * cpMean * t;
  const double rT = -std::sin(radians(2 * dTheta)) * rC;
  const double tl = dL / sL, tc = dC / sC, th = dH / sH;
  return std::sqrt(tl * tl + tc * tc + th * th + rT * tc * th);
}

}  // namespace smp::engine
