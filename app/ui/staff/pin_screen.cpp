#include "app/ui/staff/pin_screen.h"

namespace smp::ui {

using palette::kStaffMargin;

void drawPinScreen(StaffContext& c, StaffContext::Clock::time_point now) {
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 40));
  ImGui::PushFont(c.host.fonts().title);
  ImGui::TextUnformatted(c.tr("staff.title").c_str());
  ImGui::PopFont();
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 160));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(c.tr("staff.who").c_str());
  for (const auto& m : c.staff.members()) {
    if (c.button("who:" + m.id, m.name, 520, 80, false, c.staff.chosenStaff() == m.id))
      c.staff.chooseStaff(m.id);
  }
  ImGui::EndGroup();
  ImGui::SetCursorPos(ImVec2(c.width() / 2 + 40, 160));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(c.tr("staff.pin").c_str());
  ImGui::PushFont(c.host.fonts().title);
  const std::string dots = secretDots(c.staff.pinEntered().size());
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  ImGui::PopFont();
  const KeypadPress press =
      keypad(c.targets, "pin:", KeypadShape::kPinPad, ImVec2(160, 100), c.tr("keyboard.delete"));
  if (press.kind == KeypadPress::kDigit) c.staff.pinDigit(press.digit);
  if (press.kind == KeypadPress::kDelete) c.staff.pinDelete();
  if (press.kind == KeypadPress::kOk) c.staff.submitPin(now);
  ImGui::PushTextWrapPos(c.width() - kStaffMargin);
  drawNotice(c, c.staff.notice());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  ImGui::SetCursorPos(ImVec2(kStaffMargin, c.height() - 140));
  if (c.button("cancel", c.tr("staff.cancel"), 300, 100)) c.staff.cancel();
}

}  // namespace smp::ui
