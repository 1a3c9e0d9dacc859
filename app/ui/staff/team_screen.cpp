#include "app/ui/staff/team_screen.h"

#include "app/core/staff_accounts.h"

namespace smp::ui {

using palette::kStaffMargin;

void TeamScreen::enter(StaffContext& c) {
  m_field = 0;
  c.keyboard.capitalizeNext();  // a name starts with a capital
}

void TeamScreen::draw(StaffContext& c) {
  drawStaffTabs(c);
  drawMembers(c);
  drawNewMemberForm(c);
}

void TeamScreen::drawMembers(StaffContext& c) {
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 130));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(c.tr("staff.team_members").c_str());
  for (const auto& m : c.staff.members()) {
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(kStaffMargin, y + 18));
    ImGui::TextUnformatted(
        (m.name + (m.admin ? "  (" + c.tr("staff.team_admin_badge") + ")" : "")).c_str());
    ImGui::SetCursorPos(ImVec2(kStaffMargin + 340, y));
    if (c.staff.removeArmed() == m.id) {
      if (c.button("team-keep:" + m.id, c.tr("staff.team_keep"), 160, 70)) c.staff.disarmRemove();
      ImGui::SameLine(0, 12);
      if (c.button("team-remove-confirm:" + m.id, c.tr("staff.team_remove_confirm"), 330, 70,
                   true)) {
        c.staff.confirmRemove();
      }
    } else if (!c.staff.staff() || m.id != c.staff.staff()->id) {
      if (c.button("team-remove:" + m.id, c.tr("staff.team_remove"), 180, 70))
        c.staff.armRemove(m.id);
    } else {
      ImGui::Dummy(ImVec2(180, 70));  // no way to remove yourself
    }
  }
  ImGui::EndGroup();
}

void TeamScreen::drawNewMemberForm(StaffContext& c) {
  auto& form = c.staff.newStaff();
  const float x = kStaffMargin + 900, fieldW = c.width() - kStaffMargin - x;
  const float halfW = (fieldW - 20) / 2;
  ImGui::SetCursorPos(ImVec2(x, 130));
  ImGui::BeginGroup();
  // The heading line doubles as the outcome line: seen where the admin is looking, and the
  // keyboard below never moves.
  if (c.staff.notice().empty()) {
    ImGui::TextUnformatted(c.tr("staff.team_add_title").c_str());
  } else {
    drawNotice(c, c.staff.notice(), false);
  }
  auto field = [&](int index, const char* labelKey, const std::string& shown, float width) {
    ImGui::BeginGroup();
    mutedText(c.tr(labelKey));
    if (textField(c.targets, "team-field:" + std::to_string(index), shown, m_field == index,
                  ImVec2(width, 70))) {
      m_field = index;
    }
    ImGui::EndGroup();
  };
  field(0, "staff.team_name", form.name, fieldW);
  const float pinY = ImGui::GetCursorPosY();
  field(1, "staff.team_pin", secretDots(form.pin.size()), halfW);
  ImGui::SetCursorPos(
      ImVec2(x + halfW + 20, pinY));  // not SameLine: that shifts a text-first group
  field(2, "staff.team_pin_again", secretDots(form.pinAgain.size()), halfW);
  ImGui::SetCursorPosX(x);
  if (c.button("team-admin", c.tr("staff.team_admin"), halfW, 70, false, form.admin))
    form.admin = !form.admin;
  ImGui::SameLine(0, 20);
  if (c.button("team-add", c.tr("staff.team_add"), halfW, 70, true) && c.staff.addStaff()) enter(c);
  ImGui::Dummy(ImVec2(0, 4));
  if (m_field == 0) {
    c.keyboard.draw(form.name, KeyboardLayout::kText, fieldW, c.targets, core::kMaxStaffNameChars,
                    c.tr);
  } else {
    const float keyW = (fieldW - 5 * 12) / 6;
    applyDigit(keypad(c.targets, "team-pin:", KeypadShape::kTwoRows, ImVec2(keyW, 90),
                      c.tr("keyboard.delete")),
               m_field == 1 ? form.pin : form.pinAgain, core::kMaxPinDigits);
  }
  ImGui::EndGroup();
}

}  // namespace smp::ui
