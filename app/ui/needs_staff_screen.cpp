// The "needs staff" screen.
#include "app/ui/needs_staff_screen.h"

#include <imgui.h>

namespace smp::ui {

void drawNeedsStaffScreen(const SdlHost& host, const std::string& technicalReason) {
  const float w = static_cast<float>(host.width()), h = static_cast<float>(host.height());
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::Begin(
      "needs-staff", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::SetCursorPos(ImVec2(80, h * 0.3f));
  ImGui::PushFont(host.fonts().title);
  ImGui::TextUnformatted("This kiosk is taking a short break");
  ImGui::PopFont();
  ImGui::SetCursorPosX(80);
  ImGui::PushTextWrapPos(w - 80);
  ImGui::TextUnformatted(
      "Please ask a member of our team: they will be glad to help you with your "
      "consultation.");
  ImGui::Dummy(ImVec2(0, 60));
  ImGui::SetCursorPosX(80);
  ImGui::PushFont(host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.30f, 0.32f, 0.36f, 1.0f));
  ImGui::TextUnformatted(
      "For staff: the kiosk's records could not be opened safely, so nothing new is "
      "being saved and nothing was overwritten.");
  ImGui::SetCursorPosX(80);
  ImGui::TextUnformatted(technicalReason.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::PopTextWrapPos();
  ImGui::End();
}

}  // namespace smp::ui
