// The hairline styles a client chooses from, ready to draw: the name for tap targets, the
// translation key, and a sketch of the line's shape for the choice's tile. The screens draw
// these and never call the engine.
#pragma once

#include <string>
#include <vector>

#include "engine/hairline.h"

namespace smp::core {

struct SketchPoint {
  float x;  // 0..1 across the tile
  float y;  // 0..1 down the tile
};

struct HairlineChoice {
  engine::HairlineStyle style;
  std::string name;                 // "soft": tap target "hairline:soft"
  std::string labelKey;             // "hairline.soft"
  std::vector<SketchPoint> sketch;  // the line across a forehead, left to right
  bool bold = false;                // a sharp line is drawn heavier, as it looks
};

// Soft, sharp, mature, broken, widow's peak: the order the screens show them in.
const std::vector<HairlineChoice>& hairlineChoices();

}  // namespace smp::core
