#include "app/ui/staff/edit_screen.h"

#include "app/core/consultation_draft.h"

namespace smp::ui {

using palette::kStaffMargin;

void EditScreen::draw(StaffContext& c) {
  drawStaffTabs(c);
  auto& e = c.staff.edits();
  const float w = c.width(), h = c.height();
  // Left: the three contact fields and the keyboard for the selected one.
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 120));
  ImGui::BeginGroup();
  struct Field {
    const char* labelKey;
    std::string* value;
    KeyboardLayout layout;
    float keyboardWidth;
    std::size_t maxLength;
  };
  const Field fields[] = {{"contact.name", &e.clientName, KeyboardLayout::kText, 840, 100},
                          {"contact.phone", &e.phone, KeyboardLayout::kPhone, 500, 120},
                          {"contact.email", &e.email, KeyboardLayout::kEmail, 840, 120}};
  for (int i = 0; i < 3; ++i) {
    ImGui::TextUnformatted(c.tr(fields[i].labelKey).c_str());
    if (textField(c.targets, "edit-field:" + std::to_string(i), *fields[i].value, m_field == i,
                  ImVec2(840, 70))) {
      m_field = i;
    }
  }
  ImGui::Dummy(ImVec2(0, 6));
  const Field& f = fields[m_field];
  c.keyboard.draw(*f.value, f.layout, f.keyboardWidth, c.targets, f.maxLength, c.tr);
  ImGui::EndGroup();
  // Right: the health answers.
  const float x = kStaffMargin + 900;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(w - kStaffMargin - 300);
  for (const auto& q : core::kHealthQuestions) {
    const float y = ImGui::GetCursorPosY();
    ImGui::PushFont(c.host.fonts().small);
    ImGui::TextUnformatted(c.tr("health." + q).c_str());
    ImGui::PopFont();
    ImGui::SetCursorPos(ImVec2(w - kStaffMargin - 290, y));
    const auto it = e.health.find(q);
    if (c.button("edit-health:" + q + ":yes", c.tr("health.yes"), 140, 64, false,
                 it != e.health.end() && it->second)) {
      e.health[q] = true;
    }
    ImGui::SameLine(0, 10);
    if (c.button("edit-health:" + q + ":no", c.tr("health.no"), 140, 64, false,
                 it != e.health.end() && !it->second)) {
      e.health[q] = false;
    }
    ImGui::SetCursorPos(ImVec2(x, y + 74));
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  // Under the health answers: the keyboard fills the left column to the bottom.
  ImGui::SetCursorPos(ImVec2(x, h - 130));
  if (c.button("edit-cancel", c.tr("staff.cancel"), 300, 90))
    c.staff.show(core::StaffScreen::kDetail);
  ImGui::SameLine(0, 40);
  if (c.button("edit-save", c.tr("staff.save_changes"), 400, 90, true)) c.staff.saveEdits();
  if (!c.staff.notice().empty()) {
    ImGui::SameLine(0, 40);
    drawNotice(c, c.staff.notice());
  }
}

}  // namespace smp::ui
