// Our own simple drawings of the hair-loss scales, seen from above (forehead at the top):
// Norwood I-VII and Ludwig I-III. Drawn with ImGui's draw list, no image files.
#pragma once

#include <string>

struct ImDrawList;
struct ImVec2;

namespace smp::ui {

void drawLossIcon(ImDrawList* dl, const ImVec2& center, float size, const std::string& stage);

}  // namespace smp::ui
