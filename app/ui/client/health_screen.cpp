// Medical screening: yes or no to each question.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawHealth() {
  drawHeader("health.title");
  ImGui::SetCursorPos(ImVec2(kMargin, kTop - 36));
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m_tr("health.subtitle").c_str());
  ImGui::PopStyleColor();
  const auto& answers = m_flow.draft().health;
  const float rowH = 78;
  for (std::size_t i = 0; i < core::kHealthQuestions.size(); ++i) {
    const std::string& q = core::kHealthQuestions[i];
    const float y = kTop + 16 + static_cast<float>(i) * rowH;
    ImGui::SetCursorPos(ImVec2(kMargin, y + 18));
    ImGui::TextUnformatted(m_tr("health." + q).c_str());
    const auto it = answers.find(q);
    ImGui::SetCursorPos(ImVec2(static_cast<float>(m_host.width()) - kMargin - 2 * 180 - 16, y));
    if (button("health:" + q + ":yes", m_tr("health.yes"), 180, 70, false,
               it != answers.end() && it->second)) {
      m_flow.setHealthAnswer(q, true);
    }
    ImGui::SameLine(0, 16);
    if (button("health:" + q + ":no", m_tr("health.no"), 180, 70, false,
               it != answers.end() && !it->second)) {
      m_flow.setHealthAnswer(q, false);
    }
  }
  if (!m_flow.draft().healthFlags().empty()) {
    // Calm, never alarming: a yes only means a specialist talks it through.
    ImGui::SetCursorPos(ImVec2(kMargin, kTop + 16 + 8 * rowH + 4));
    ImGui::PushStyleColor(ImGuiCol_Text, kPrimary);
    ImGui::TextUnformatted(m_tr("health.flag_note").c_str());
    ImGui::PopStyleColor();
  }
  drawFooter(true);
}

}  // namespace smp::ui
