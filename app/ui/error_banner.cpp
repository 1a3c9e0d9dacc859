#include "app/ui/error_banner.h"

#include "app/ui/widgets.h"

namespace smp::ui {

void ErrorBanner::draw(SdlHost& host, const core::Translations& tr) {
  m_targets.clear();
  m_area.reset();
  if (m_notice.empty()) return;
  const float w = static_cast<float>(host.width());
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(w, 0));
  ImGui::SetNextWindowFocus();
  ImGui::PushStyleColor(ImGuiCol_WindowBg, palette::kWarn);
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kWhite);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(40, 24));
  ImGui::Begin("error-banner", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PushTextWrapPos(w - 340);
  ImGui::TextUnformatted(tr(m_notice.key).c_str());
  if (!m_notice.detail.empty()) {
    ImGui::PushFont(host.fonts().small);
    ImGui::TextUnformatted(m_notice.detail.c_str());
    ImGui::PopFont();
  }
  ImGui::PopTextWrapPos();
  ImGui::SetCursorPos(ImVec2(w - 300, 24));
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kInk);
  ImGui::PushStyleColor(ImGuiCol_Button, palette::kWhite);
  if (button(m_targets, "error-banner:ok", tr("error.unexpected_ok"), ImVec2(260, 70)))
    m_notice = {};
  ImGui::PopStyleColor(2);
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  m_area = Rect{pos.x, pos.y, size.x, size.y};
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
}

}  // namespace smp::ui
