#include "app/ui/widgets.h"

#include <algorithm>

namespace smp::ui {

bool button(TapTargets& targets, const std::string& name, const std::string& label, ImVec2 size,
            ButtonKind kind, bool selected) {
  const bool filled = kind != ButtonKind::kPlain || selected;
  if (filled) {
    const ImVec4 fill = kind == ButtonKind::kDanger ? palette::kDanger : palette::kPrimary;
    ImGui::PushStyleColor(ImGuiCol_Button, fill);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                          kind == ButtonKind::kDanger ? fill : palette::kPrimaryHover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, fill);
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kWhite);
  }
  ImGui::PushID(name.c_str());
  const std::string text = selected ? "\xE2\x9C\x93 " + label : label;
  const float textW = ImGui::CalcTextSize(text.c_str()).x;
  const float room = size.x - 2 * ImGui::GetStyle().FramePadding.x;
  bool pressed = false;
  if (size.x > 0 && textW > room) {
    // Too long for its button in this language or text size: drawn smaller, never cut off
    // (down to 60 % of the font; beyond that it is clipped as before).
    const float fontSize = ImGui::GetFontSize() * std::max(0.6f, room / textW);
    pressed = ImGui::Button("##button", size);
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    const float w = textW * fontSize / ImGui::GetFontSize();
    const ImVec2 at(std::max(lo.x + 4, 0.5f * (lo.x + hi.x - w)), 0.5f * (lo.y + hi.y - fontSize));
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), fontSize, at,
                                        ImGui::GetColorU32(ImGuiCol_Text), text.c_str(), nullptr,
                                        0.0f, nullptr);
  } else {
    pressed = ImGui::Button(text.c_str(), size);
  }
  ImGui::PopID();
  if (filled) ImGui::PopStyleColor(4);
  targets.addLastItem(name);
  return pressed;
}

bool textField(TapTargets& targets, const std::string& name, const std::string& shown, bool focused,
               ImVec2 size) {
  ImGui::PushStyleColor(ImGuiCol_Button, palette::kWhite);
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
  const bool pressed = ImGui::Button((shown + (focused ? "|" : "") + "##" + name).c_str(), size);
  targets.addLastItem(name);
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  return pressed;
}

std::string secretDots(std::size_t count) {
  std::string dots;
  for (std::size_t i = 0; i < count; ++i) dots += "\xE2\x80\xA2 ";
  return dots;
}

void coloredText(const ImVec4& colour, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

void noticeText(const core::Translations& tr, const core::Notice& notice, ImFont* detailFont) {
  if (notice.empty()) return;
  using Tone = core::Notice::Tone;
  const ImVec4 colour = notice.tone == Tone::kSuccess   ? palette::kPrimary
                        : notice.tone == Tone::kWarning ? palette::kWarn
                        : notice.tone == Tone::kWorking ? palette::kMuted
                                                        : palette::kInk;
  coloredText(colour, notice.args.empty() ? tr(notice.key) : tr.format(notice.key, notice.args));
  if (detailFont && !notice.detail.empty()) {
    ImGui::PushFont(detailFont);
    mutedText(notice.detail);
    ImGui::PopFont();
  }
}

KeypadPress keypad(TapTargets& targets, const std::string& prefix, KeypadShape shape,
                   ImVec2 keySize, const std::string& deleteLabel) {
  constexpr float kGap = 12.0f;
  KeypadPress press;
  auto digitKey = [&](char d) {
    if (button(targets, prefix + d, std::string(1, d), keySize)) press = {KeypadPress::kDigit, d};
  };
  auto deleteKey = [&] {
    if (button(targets, prefix + "delete", deleteLabel, keySize)) press = {KeypadPress::kDelete};
  };
  if (shape == KeypadShape::kPinPad) {
    static const char* kDigits = "123456789";
    for (int i = 0; i < 9; ++i) {
      if (i % 3) ImGui::SameLine(0, kGap);
      digitKey(kDigits[i]);
    }
    deleteKey();
    ImGui::SameLine(0, kGap);
    digitKey('0');
    ImGui::SameLine(0, kGap);
    if (button(targets, prefix + "ok", "OK", keySize, ButtonKind::kPrimary))
      press = {KeypadPress::kOk};
  } else {
    static const char* kDigits = "1234567890";
    for (int i = 0; i < 10; ++i) {
      if (i % 5) ImGui::SameLine(0, kGap);
      digitKey(kDigits[i]);
      if (i == 4) {
        ImGui::SameLine(0, kGap);
        deleteKey();
      }
    }
  }
  return press;
}

bool applyDigit(const KeypadPress& press, std::string& digits, std::size_t maxDigits) {
  if (press.kind == KeypadPress::kDigit && digits.size() < maxDigits) {
    digits += press.digit;
    return true;
  }
  if (press.kind == KeypadPress::kDelete && !digits.empty()) {
    digits.pop_back();
    return true;
  }
  return false;
}

}  // namespace smp::ui
