// Key layouts and drawing. Keys register as tap targets "key:<name>" (phone: "pad:<digit>").
#include "app/ui/on_screen_keyboard.h"

#include <imgui.h>

#include <cctype>

namespace smp::ui {
namespace {

constexpr float kGap = 8.0f;
constexpr float kKeyH = 72.0f;

bool key(const std::string& label, const std::string& name, float w, TapTargets& targets) {
  ImGui::PushID(name.c_str());
  const bool pressed = ImGui::Button(label.c_str(), ImVec2(w, kKeyH));
  ImGui::PopID();
  targets.addLastItem(name);
  return pressed;
}

void eraseLastCodePoint(std::string& text) {
  if (text.empty()) return;
  std::size_t n = text.size() - 1;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  text.erase(n);
}

}  // namespace

bool OnScreenKeyboard::draw(std::string& text, KeyboardLayout layout, float width,
                            TapTargets& targets, std::size_t maxLength,
                            const core::Translations& tr) {
  bool changed = false;
  auto append = [&](const std::string& s) {
    if (text.size() + s.size() > maxLength) return;
    text += s;
    changed = true;
  };
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(kGap, kGap));
  if (layout == KeyboardLayout::kPhone) {
    static const char* kPad[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "0"};
    const float w = (width - 2 * kGap) / 3;
    for (int i = 0; i < 11; ++i) {
      if (i % 3 != 0) ImGui::SameLine();
      if (key(kPad[i], std::string("pad:") + kPad[i], w, targets)) {
        if (kPad[i][0] != '+' || text.empty()) append(kPad[i]);
      }
    }
    ImGui::SameLine();
    if (key(tr("keyboard.delete"), "pad:delete", w, targets)) {
      eraseLastCodePoint(text);
      changed = true;
    }
    ImGui::PopStyleVar();
    return changed;
  }
  static const char* kRows[] = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm'._"};
  const float keyW = (width - kGap * 9) / 10.0f;
  for (const char* row : kRows) {
    for (const char* c = row; *c; ++c) {
      if (c != row) ImGui::SameLine();
      char ch = *c;
      if (m_shift && std::isalpha(static_cast<unsigned char>(ch)))
        ch = static_cast<char>(std::toupper(ch));
      if (key(std::string(1, ch), std::string("key:") + *c, keyW, targets)) {
        append(std::string(1, ch));
        if (m_shift && std::isalpha(static_cast<unsigned char>(ch))) m_shift = false;
      }
    }
  }
  // Accented letters for Spanish and French names (é, ñ, ç ...); shift gives the capitals.
  static const char* kAccents[][2] = {{"á", "Á"}, {"é", "É"}, {"í", "Í"}, {"ó", "Ó"}, {"ú", "Ú"},
                                      {"ñ", "Ñ"}, {"ç", "Ç"}, {"è", "È"}, {"à", "À"}, {"ü", "Ü"}};
  for (int i = 0; i < 10; ++i) {
    if (i > 0) ImGui::SameLine();
    const std::string ch = kAccents[i][m_shift ? 1 : 0];
    if (key(ch, std::string("key:") + kAccents[i][0], keyW, targets)) {
      append(ch);
      m_shift = false;
    }
  }
  if (key(m_shift ? "SHIFT" : tr("keyboard.shift"), "key:shift", keyW * 2 + kGap, targets))
    m_shift = !m_shift;
  ImGui::SameLine();
  if (layout == KeyboardLayout::kUrl) {
    if (key(":", "key::", keyW, targets)) append(":");
    ImGui::SameLine();
    if (key("/", "key:/", keyW, targets)) append("/");
    ImGui::SameLine();
    if (key("https://", "key:https", keyW * 3 + kGap * 2, targets)) append("https://");
  } else if (layout == KeyboardLayout::kEmail) {
    if (key("@", "key:@", keyW, targets)) append("@");
    ImGui::SameLine();
    if (key(".com", "key:.com", keyW * 2 + kGap, targets)) append(".com");
    ImGui::SameLine();
    if (key(tr("keyboard.space"), "key:space", keyW * 2 + kGap, targets) && !text.empty())
      append(" ");
  } else {
    if (key(tr("keyboard.space"), "key:space", keyW * 5 + kGap * 4, targets) && !text.empty()) {
      append(" ");
      m_shift = true;  // the next word (a surname) starts with a capital
    }
  }
  ImGui::SameLine();
  if (key(tr("keyboard.delete"), "key:backspace", keyW * 3 + kGap * 2, targets) && !text.empty()) {
    eraseLastCodePoint(text);
    m_shift = text.empty() && layout == KeyboardLayout::kText;
    changed = true;
  }
  ImGui::PopStyleVar();
  return changed;
}

}  // namespace smp::ui
