// Saved: thanks, what happens next, and back to the start.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawSaved(Clock::time_point now) {
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(kMargin + 20, 300));
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr("saved.title").c_str());
  ImGui::PopFont();
  ImGui::SetCursorPosX(kMargin + 20);
  ImGui::PushTextWrapPos(w - kMargin);
  ImGui::TextUnformatted(m_tr("saved.body").c_str());
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 40));
  ImGui::SetCursorPosX(kMargin + 20);
  if (button("done", m_tr("saved.done"), 360, 110, true)) m_flow.finish();
  // Hand-back: the screen clears itself so the next person never sees this client's session.
  constexpr auto kHandBack = std::chrono::seconds(30);
  const auto left =
      std::chrono::duration_cast<std::chrono::seconds>(kHandBack - (now - m_screenEnteredAt));
  ImGui::SetCursorPosX(kMargin + 20);
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(
      m_tr.format("saved.countdown", {std::to_string(std::max<long>(0, left.count()))}).c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (left.count() <= 0) m_flow.finish();
}

}  // namespace smp::ui
