// The attract loop: before/after pairs of our own mannequins, the start button and languages.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawAttract(Clock::time_point now) {
  const float w = static_cast<float>(m_host.width());
  if (!m_clinicName.empty()) {
    ImGui::SetCursorPos(ImVec2(kMargin + 20, 110));
    ImGui::PushStyleColor(ImGuiCol_Text, kPrimary);
    ImGui::TextUnformatted(m_clinicName.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::SetCursorPos(ImVec2(kMargin + 20, 180));
  ImGui::BeginGroup();
  ImGui::PushFont(m_host.fonts().title);
  ImGui::PushTextWrapPos(kMargin + 20 + 760);
  ImGui::TextUnformatted(m_tr("attract.title").c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::PushTextWrapPos(kMargin + 20 + 740);
  ImGui::TextUnformatted(m_tr("attract.subtitle").c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, 40));
  if (button("start", m_tr("attract.start"), 420, 120, true)) m_flow.start(now);
  ImGui::Dummy(ImVec2(0, 40));
  for (const std::string& lang : core::kLanguages) {
    static const std::map<std::string, std::string> kNames = {
        {"en", "English"}, {"es", "Español"}, {"fr", "Français"}};
    if (button("lang:" + lang, kNames.at(lang), 230, 80, false, m_flow.draft().language == lang))
      m_flow.setLanguage(lang);
    ImGui::SameLine(0, 16);
  }
  ImGui::EndGroup();
  // A calm loop: three generated heads, before and after, changing every five seconds.
  const auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::size_t pair = static_cast<std::size_t>((secs / 5) % 3);
  const float imgW = 440, imgH = 330;
  for (int k = 0; k < 2; ++k) {
    ImGui::SetCursorPos(
        ImVec2(w - kMargin - 2 * imgW - 20 + static_cast<float>(k) * (imgW + 20), 240));
    imageFit(*m_attract[pair * 2 + static_cast<std::size_t>(k)], imgW, imgH);
    ImGui::SetCursorPosX(w - kMargin - 2 * imgW - 20 + static_cast<float>(k) * (imgW + 20));
    ImGui::TextUnformatted(m_tr(k == 0 ? "attract.before" : "attract.after").c_str());
  }
  ImGui::SetCursorPos(ImVec2(w - kMargin - 2 * imgW - 20, 650));
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m_tr("attract.caption").c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

}  // namespace smp::ui
