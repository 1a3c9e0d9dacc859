// The hairline and density the client wants.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/core/hairline_choices.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawLook() {
  drawHeader("look.title");
  const auto& d = m_flow.draft();
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 10));
  ImGui::TextUnformatted(m_tr("look.hairline").c_str());
  float left = kMargin;
  for (const core::HairlineChoice& choice : core::hairlineChoices()) {
    constexpr float kTileW = 336, kTileH = 200;
    ImGui::SetCursorPos(ImVec2(left, kTop + 60));
    left += kTileW + 20;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (tile("hairline:" + choice.name, m_tr(choice.labelKey), kTileW, kTileH,
             d.hairline == choice.style)) {
      m_flow.setHairline(choice.style);
    }
    // A small drawing of the line's shape across the forehead.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t k = 1; k < choice.sketch.size(); ++k) {
      const core::SketchPoint a = choice.sketch[k - 1], b = choice.sketch[k];
      dl->AddLine(ImVec2(at.x + a.x * kTileW, at.y + a.y * kTileH),
                  ImVec2(at.x + b.x * kTileW, at.y + b.y * kTileH), IM_COL32(60, 50, 45, 255),
                  choice.bold ? 5.0f : 3.0f);
    }
  }
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 320));
  ImGui::TextUnformatted(m_tr("look.density").c_str());
  int i = 0;
  for (const char* choice : {"light", "medium", "full"}) {
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(i++) * 420, kTop + 370));
    if (button(std::string("density:") + choice, m_tr(std::string("density.") + choice), 400, 120,
               false, d.density == choice)) {
      m_flow.setDensityChoice(choice);
    }
  }
  drawFooter(true);
}

}  // namespace smp::ui
