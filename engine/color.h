// Colour science the preview is judged by: sRGB decoding, CIELAB (D65) and CIEDE2000.
#pragma once

#include <array>
#include <cstdint>

namespace smp::engine {

struct Lab {
  double L = 0, a = 0, b = 0;
};

// sRGB byte -> linear light in [0, 1] (table lookup) and back (rounded, clamped).
float srgbToLinear(std::uint8_t v);
std::uint8_t linearToSrgb(float v);

// Linear RGB in [0, 1] -> CIELAB under D65, and sRGB bytes -> CIELAB.
Lab linearRgbToLab(double r, double g, double b);
Lab srgbToLab(const std::uint8_t* rgb);
// Relative luminance Y of linear RGB (sRGB primaries, D65).
double relativeLuminance(double r, double g, double b);
// Relative luminance Y in [0, 1] -> L*; and back.
double lightnessFromY(double y);
double yFromLightness(double lightness);

// CIEDE2000 colour difference (Sharma, Wu and Dalal 2005); kL = kC = kH = 1.
double deltaE2000(const Lab& x, const Lab& y);
// Hue angle h_ab in degrees [0, 360); and the smallest difference between two hues.
double hueDegrees(const Lab& c);
double hueDifferenceDegrees(double h1, double h2);

}  // namespace smp::engine
