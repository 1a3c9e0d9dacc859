// Reads the last ImGui item's rectangle into the tap-target registry.
#include "app/ui/tap_targets.h"

#include <imgui.h>

namespace smp::ui {

void TapTargets::addLastItem(const std::string& name) {
  const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  add(name, {min.x, min.y, size.x, size.y});
}

}  // namespace smp::ui
