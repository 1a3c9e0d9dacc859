#include "app/core/hairline_choices.h"

namespace smp::core {
namespace {

// Sampled from the engine's own templates, so the sketch is the line the preview will draw:
// a forehead 220 units wide in a 336 x 200 tile, 1.3 units per millimetre.
constexpr double kTileW = 336, kTileH = 200;

HairlineChoice choiceFor(engine::HairlineStyle style) {
  HairlineChoice c;
  c.style = style;
  c.name = std::string(engine::hairlineStyleName(style));
  c.labelKey = "hairline." + c.name;
  c.bold = style == engine::HairlineStyle::kSharp;
  const engine::Hairline h = engine::makeHairline(style, {kTileW / 2, kTileH / 2, 110}, 1.3);
  for (double x = 36; x <= 300; x += 4) {
    c.sketch.push_back({static_cast<float>(x / kTileW), static_cast<float>(h.curveY(x) / kTileH)});
  }
  return c;
}

}  // namespace

const std::vector<HairlineChoice>& hairlineChoices() {
  static const std::vector<HairlineChoice> choices = [] {
    std::vector<HairlineChoice> out;
    for (auto style : {engine::HairlineStyle::kSoft, engine::HairlineStyle::kSharp,
                       engine::HairlineStyle::kMature, engine::HairlineStyle::kBroken,
                       engine::HairlineStyle::kWidowsPeak}) {
      out.push_back(choiceFor(style));
    }
    return out;
  }();
  return choices;
}

}  // namespace smp::core
