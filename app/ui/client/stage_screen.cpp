// The hair-loss stage, on our own drawings of the Norwood and Ludwig scales.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/core/scales.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawStage() {
  drawHeader("stage.title");
  const float cell = 200, icon = 150;
  auto group = [&](const char* captionKey, const char* prefix, int count, float y) {
    ImGui::SetCursorPos(ImVec2(kMargin, y));
    ImGui::TextUnformatted(m_tr(captionKey).c_str());
    for (int n = 1; n <= count; ++n) {
      const std::string id = std::string(prefix) + "-" + std::to_string(n);
      ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(n - 1) * (cell + 16), y + 50));
      const ImVec2 at = ImGui::GetCursorScreenPos();
      if (tile("stage:" + id, core::romanNumeral(n), cell, cell + 40,
               m_flow.draft().lossStage == id)) {
        m_flow.setLossStage(id);
      }
      const ImageTexture& t = *m_lossIcons.at(id);
      ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(t.texture()),
                                           ImVec2(at.x + (cell - icon) / 2, at.y + 14),
                                           ImVec2(at.x + (cell + icon) / 2, at.y + 14 + icon));
    }
  };
  group("stage.norwood", "norwood", 7, kTop - 10);
  group("stage.ludwig", "ludwig", 3, kTop + 300);
  drawFooter(true);
}

}  // namespace smp::ui
