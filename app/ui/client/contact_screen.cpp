// Contact details on the on-screen keyboard and phone keypad, validated inline.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawContact() {
  drawHeader("contact.title");
  const auto& d = m_flow.draft();
  const float leftW = 760;
  struct FieldView {
    Field field;
    const char* name;
    const char* labelKey;
    const std::string& value;
    std::string error;
  };
  const FieldView fields[] = {
      {Field::kName, "field:name", "contact.name", d.clientName,
       d.clientName.empty() ? "" : core::validateName(d.clientName)},
      {Field::kPhone, "field:phone", "contact.phone", d.phone,
       d.phone.empty() ? "" : core::validatePhone(d.phone)},
      {Field::kEmail, "field:email", "contact.email", d.email, core::validateEmail(d.email)},
  };
  float y = kTop;
  for (const FieldView& f : fields) {
    ImGui::SetCursorPos(ImVec2(kMargin, y));
    ImGui::TextUnformatted(m_tr(f.labelKey).c_str());
    ImGui::SetCursorPos(ImVec2(kMargin, y + 44));
    const bool active = m_field == f.field;
    ImGui::PushStyleColor(ImGuiCol_Button,
                          active ? ImVec4(1, 1, 1, 1) : ImVec4(0.93f, 0.93f, 0.94f, 1));
    ImGui::PushStyleColor(ImGuiCol_Border,
                          active ? ImVec4(0.08f, 0.32f, 0.30f, 1) : ImVec4(0.6f, 0.6f, 0.62f, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, active ? 3.0f : 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    if (ImGui::Button((f.value + (active ? "|" : "") + "##" + f.name).c_str(), ImVec2(leftW, 84)))
      m_field = f.field;
    m_targets.addLastItem(f.name);
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(2);
    if (!f.error.empty()) {
      // Inline validation, shown once something has been typed.
      ImGui::SetCursorPosX(kMargin);
      ImGui::PushStyleColor(ImGuiCol_Text, kError);
      ImGui::PushFont(m_host.fonts().small);
      ImGui::TextUnformatted(m_tr(f.error).c_str());
      ImGui::PopFont();
      ImGui::PopStyleColor();
    }
    y += 190;
  }
  // The keyboard for the active field, on the right.
  const float kbX = kMargin + leftW + 60;
  const float kbW = static_cast<float>(m_host.width()) - kMargin - kbX;
  ImGui::SetCursorPos(ImVec2(kbX, kTop + 44));
  ImGui::BeginGroup();
  std::string text =
      m_field == Field::kName ? d.clientName : (m_field == Field::kPhone ? d.phone : d.email);
  const KeyboardLayout layout = m_field == Field::kPhone   ? KeyboardLayout::kPhone
                                : m_field == Field::kEmail ? KeyboardLayout::kEmail
                                                           : KeyboardLayout::kText;
  const std::size_t max = m_field == Field::kName    ? core::kMaxNameLength
                          : m_field == Field::kPhone ? core::kMaxPhoneLength
                                                     : core::kMaxEmailLength;
  if (m_keyboard.draw(text, layout, layout == KeyboardLayout::kPhone ? kbW * 0.6f : kbW, m_targets,
                      max, m_tr)) {
    if (m_field == Field::kName) m_flow.setName(text);
    if (m_field == Field::kPhone) m_flow.setPhone(text);
    if (m_field == Field::kEmail) {
      m_flow.setEmail(text);
    }
  }
  ImGui::EndGroup();
  drawFooter(true);
}

}  // namespace smp::ui
