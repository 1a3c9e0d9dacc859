// Our own simple drawings of the hair-loss scales, seen from above (forehead at the top):
// Norwood I-VII and Ludwig I-III, rasterised per pixel so every shape stays inside the head.
#pragma once

#include <string>

#include "engine/image.h"

namespace smp::ui {

engine::RgbImage renderLossIcon(const std::string& stage, int size);

}  // namespace smp::ui
