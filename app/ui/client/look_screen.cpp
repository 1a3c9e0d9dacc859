// The hairline and density the client wants.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawLook() {
  drawHeader("look.title");
  const auto& d = m_flow.draft();
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 10));
  ImGui::TextUnformatted(m_tr("look.hairline").c_str());
  const engine::HairlineStyle styles[] = {
      engine::HairlineStyle::kSoft, engine::HairlineStyle::kSharp, engine::HairlineStyle::kMature,
      engine::HairlineStyle::kBroken, engine::HairlineStyle::kWidowsPeak};
  for (int i = 0; i < 5; ++i) {
    const std::string name(engine::hairlineStyleName(styles[i]));
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(i) * 356, kTop + 60));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (tile("hairline:" + name, m_tr("hairline." + name), 336, 200, d.hairline == styles[i])) {
      m_flow.setHairline(styles[i]);
    }
    // A small drawing of the line's shape across the forehead (within +-1.2 half-widths).
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const engine::Hairline h = engine::makeHairline(styles[i], {at.x + 168, at.y + 100, 110}, 1.3);
    for (float x = at.x + 36; x < at.x + 296; x += 4) {
      dl->AddLine(ImVec2(x, static_cast<float>(h.curveY(x))),
                  ImVec2(x + 4, static_cast<float>(h.curveY(x + 4))), IM_COL32(60, 50, 45, 255),
                  styles[i] == engine::HairlineStyle::kSharp ? 5.0f : 3.0f);
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
