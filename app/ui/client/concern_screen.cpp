// What brings the client: pattern baldness, thinning, alopecia, scar, after chemotherapy.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawConcern() {
  drawHeader("concern.title");
  const float colW = (contentWidth() - 40) / 3;
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 40));
  ImGui::BeginGroup();
  int i = 0;
  for (std::string_view concern : protocol::kConcerns) {
    const std::string id(concern);
    if (i % 3 != 0) ImGui::SameLine(0, 20);
    if (button("concern:" + id, m_tr("concern." + id), colW, 160, false,
               m_flow.draft().concern == id)) {
      m_flow.setConcern(id);
    }
    if (i % 3 == 2) ImGui::Dummy(ImVec2(0, 20));
    ++i;
  }
  ImGui::EndGroup();
  drawFooter(true);
}

}  // namespace smp::ui
