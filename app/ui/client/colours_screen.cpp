// Skin tone and hair colour, on swatches.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/core/scales.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

namespace {

const char* kHairColourNames[] = {"black", "dark-brown", "brown", "light-brown", "grey"};
const ImU32 kHairSwatches[] = {IM_COL32(28, 24, 22, 255), IM_COL32(66, 44, 30, 255),
                               IM_COL32(110, 74, 46, 255), IM_COL32(160, 120, 80, 255),
                               IM_COL32(170, 170, 168, 255)};
const ImU32 kSkinSwatches[] = {IM_COL32(242, 214, 196, 255), IM_COL32(228, 190, 164, 255),
                               IM_COL32(204, 160, 126, 255), IM_COL32(170, 124, 90, 255),
                               IM_COL32(120, 82, 58, 255),   IM_COL32(78, 52, 38, 255)};

}  // namespace

void KioskScreens::drawColours() {
  drawHeader("colours.title");
  const auto& d = m_flow.draft();
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 10));
  ImGui::TextUnformatted(m_tr("colours.hair").c_str());
  for (int i = 0; i < 5; ++i) {
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(i) * 330, kTop + 60));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const auto colour = static_cast<engine::HairColour>(i);
    const std::string name = kHairColourNames[i];
    if (tile("hair:" + name, m_tr("hair." + name), 310, 170, d.hairColour == colour))
      m_flow.setHairColour(colour);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x + 20, at.y + 16),
                                              ImVec2(at.x + 290, at.y + 90), kHairSwatches[i], 10);
  }
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 290));
  ImGui::TextUnformatted(m_tr("colours.skin").c_str());
  for (int t = 1; t <= 6; ++t) {
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(t - 1) * 275, kTop + 340));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (tile("skin:" + std::to_string(t), core::romanNumeral(t), 255, 170, d.fitzpatrick == t))
      m_flow.setFitzpatrick(t);
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(at.x + 20, at.y + 16), ImVec2(at.x + 235, at.y + 90), kSkinSwatches[t - 1], 10);
  }
  drawFooter(true);
}

}  // namespace smp::ui
