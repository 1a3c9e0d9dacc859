#include "app/ui/widget_gallery.h"

#include "app/ui/widgets.h"

namespace smp::ui {
namespace {

// Two rows of three columns on the 1920 x 1080 layout.
constexpr float kColumnW = 560.0f;
constexpr float kRow1 = 130.0f;
constexpr float kRow2 = 510.0f;
constexpr float kKeyboardX = 470.0f, kKeyboardW = 700.0f;
constexpr float kRightX = kKeyboardX + kKeyboardW + 50.0f;

void heading(const std::string& text, float width) {
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  mutedText(text);
  ImGui::PopTextWrapPos();
}

void at(float x, float y) {
  ImGui::SetCursorPos(ImVec2(x, y));
  ImGui::BeginGroup();
}

}  // namespace

void WidgetGallery::draw() {
  m_targets.clear();
  const float w = static_cast<float>(m_host.width()), h = static_cast<float>(m_host.height());
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, palette::kStaffBackground);
  ImGui::Begin(
      "gallery", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  const float m = palette::kStaffMargin;
  ImGui::SetCursorPos(ImVec2(m, 24));
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted("Widget gallery");
  ImGui::PopFont();
  at(m, kRow1);
  drawButtons();
  ImGui::EndGroup();
  at(m + kColumnW + 70, kRow1);
  drawFields();
  ImGui::EndGroup();
  at(m + 2 * (kColumnW + 70), kRow1);
  drawNotices();
  ImGui::EndGroup();
  drawKeypads();
  at(kKeyboardX, kRow2);
  drawKeyboard();
  ImGui::EndGroup();
  ImGui::End();
  ImGui::PopStyleColor();
  m_banner.draw(m_host, m_tr);
  for (const auto& [name, rect] : m_banner.targets().all()) m_targets.add(name, rect);
}

void WidgetGallery::drawButtons() {
  heading("button: plain, primary, selected (tap it), danger, disabled", kColumnW);
  const ImVec2 half((kColumnW - 12) / 2, 70);
  if (button(m_targets, "gallery:plain", "Plain", half)) ++m_pressed;
  ImGui::SameLine(0, 12);
  if (button(m_targets, "gallery:primary", "Primary", half, ButtonKind::kPrimary)) ++m_pressed;
  if (button(m_targets, "gallery:selected", "Selected", half, ButtonKind::kPlain, m_selected))
    m_selected = !m_selected;
  ImGui::SameLine(0, 12);
  if (button(m_targets, "gallery:danger", "Error banner", half, ButtonKind::kDanger))
    m_banner.show(core::Notice::warning(
        "error.disk_full", {}, "executing 'COMMIT': database or disk is full (kiosk.sqlite)"));
  ImGui::BeginDisabled();
  button(m_targets, "gallery:disabled", "Disabled", half);
  ImGui::EndDisabled();
  ImGui::SameLine(0, 24);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 18);
  mutedText("pressed " + std::to_string(m_pressed) + "x");
}

void WidgetGallery::drawFields() {
  heading("textField: empty, focused (caret), secret. The keyboard types into the focused one",
          kColumnW);
  const char* names[] = {"gallery:field-empty", "gallery:field-name", "gallery:field-pin"};
  const std::string shown[] = {m_empty, m_name, secretDots(m_pin.size())};
  for (int i = 0; i < 3; ++i) {
    if (textField(m_targets, names[i], shown[i], m_focusedField == i, ImVec2(kColumnW, 70)))
      m_focusedField = i;
  }
}

void WidgetGallery::drawKeypads() {
  const float m = palette::kStaffMargin;
  at(m, kRow2);
  heading("keypad: PIN pad  " + secretDots(m_pinPad.size()), 384);
  applyDigit(keypad(m_targets, "gallery-pin:", KeypadShape::kPinPad, ImVec2(120, 80),
                    m_tr("keyboard.delete")),
             m_pinPad, 8);
  ImGui::EndGroup();
  const float width = static_cast<float>(m_host.width()) - m - kRightX;
  at(kRightX, kRow2);
  heading("keypad: two rows, into the secret field", width);
  ImGui::PushFont(m_host.fonts().small);
  applyDigit(keypad(m_targets, "gallery-row:", KeypadShape::kTwoRows,
                    ImVec2((width - 5 * 12) / 6, 80), m_tr("keyboard.delete")),
             m_pin, 8);
  // The keyboard's layouts, chosen here so the keyboard keeps its full height.
  ImGui::Dummy(ImVec2(0, 16));
  heading("OnScreenKeyboard layout", width);
  const std::pair<KeyboardLayout, const char*> layouts[] = {{KeyboardLayout::kText, "text"},
                                                            {KeyboardLayout::kEmail, "email"},
                                                            {KeyboardLayout::kPhone, "phone"},
                                                            {KeyboardLayout::kUrl, "address"}};
  const ImVec2 half((width - 12) / 2, 70);
  for (int i = 0; i < 4; ++i) {
    if (i % 2) ImGui::SameLine(0, 12);
    if (button(m_targets, std::string("gallery-layout:") + layouts[i].second, layouts[i].second,
               half, ButtonKind::kPlain, m_layout == layouts[i].first)) {
      m_layout = layouts[i].first;
    }
  }
  ImGui::PopFont();
  ImGui::EndGroup();
}

void WidgetGallery::drawNotices() {
  heading("noticeText: info, success, warning with detail, working", kColumnW);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + kColumnW);
  noticeText(m_tr, core::Notice::info("staff.no_records"), nullptr);
  noticeText(m_tr, core::Notice::success("staff.settings_saved"), nullptr);
  noticeText(m_tr, core::Notice::warning("staff.team_pin_mismatch", {}, "detail in small print"),
             m_host.fonts().small);
  noticeText(m_tr, core::Notice::working("staff.checking"), nullptr);
  ImGui::PopTextWrapPos();
}

void WidgetGallery::drawKeyboard() {
  heading("OnScreenKeyboard", kKeyboardW);
  m_keyboard.draw(m_focusedField == 0 ? m_empty : m_name, m_layout, kKeyboardW, m_targets, 60,
                  m_tr);
}

int runWidgetGallery(const WindowOptions& window, const std::filesystem::path& assetsDir,
                     long maxFrames) {
  const core::Translations tr = core::Translations::load(assetsDir);
  SdlHost host(window, assetsDir);
  WidgetGallery gallery(host, tr);
  long frames = 0;
  while (host.pumpEvents()) {
    host.beginFrame();
    gallery.draw();
    host.endFrame();
    if (maxFrames > 0 && ++frames >= maxFrames) break;
    SDL_Delay(16);
  }
  return 0;
}

}  // namespace smp::ui
