// Key layout and drawing. Key names are registered as tap targets "key:<label>".
#include "app/ui/on_screen_keyboard.h"

#include <imgui.h>

#include <cctype>

namespace smp::ui {

bool OnScreenKeyboard::draw(std::string& text, float width, TapTargets& targets,
                            std::size_t maxLength) {
  static const char* kRows[] = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm'.@"};
  const float gap = 8.0f;
  const float keyW = (width - gap * 9) / 10.0f;
  const float keyH = 72.0f;
  bool changed = false;
  auto key = [&](const std::string& label, const std::string& name, float w) {
    const bool pressed = ImGui::Button(label.c_str(), ImVec2(w, keyH));
    targets.addLastItem("key:" + name);
    return pressed;
  };
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
  for (const char* row : kRows) {
    for (const char* c = row; *c; ++c) {
      if (c != row) ImGui::SameLine();
      char ch = *c;
      if (m_shift && std::isalpha(static_cast<unsigned char>(ch)))
        ch = static_cast<char>(std::toupper(ch));
      const std::string label(1, ch);
      ImGui::PushID(c);
      if (key(label, std::string(1, *c), keyW) && text.size() < maxLength) {
        text += ch;
        changed = true;
        if (m_shift && std::isalpha(static_cast<unsigned char>(ch))) m_shift = false;
      }
      ImGui::PopID();
    }
  }
  if (key(m_shift ? "SHIFT" : "shift", "shift", keyW * 2 + gap)) m_shift = !m_shift;
  ImGui::SameLine();
  if (key("space", "space", keyW * 5 + gap * 4) && text.size() < maxLength && !text.empty()) {
    text += ' ';
    m_shift = true;  // the next word (a surname) starts with a capital
    changed = true;
  }
  ImGui::SameLine();
  if (key("delete", "backspace", keyW * 3 + gap * 2) && !text.empty()) {
    // Remove one UTF-8 code point, not one byte.
    std::size_t n = text.size() - 1;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text.erase(n);
    m_shift = text.empty();
    changed = true;
  }
  ImGui::PopStyleVar();
  return changed;
}

}  // namespace smp::ui
