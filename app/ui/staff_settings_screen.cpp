// The staff settings screen: the language new clients start in, the UI scale and the camera
// (any staff); the clinic name, head office's address and the idle timeouts (admins); what
// enrolment and head office set, read-only.
#include <imgui.h>

#include <algorithm>

#include "app/core/kiosk_settings.h"
#include "app/ui/staff_screens.h"
#include "app/ui/staff_style.h"

namespace smp::ui {
namespace {

using namespace staff_style;

constexpr float kLabelW = 500.0f;  // labels left, values and buttons right of this
constexpr float kLeftW = 1080.0f;

void mutedText(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

// A label and a value on a row at least 70 px tall, centred like the buttons beside them. Long
// labels (French) wrap inside their column; a value may use another font (addresses: small).
void labelledRow(const std::string& label, const std::string& value, ImFont* valueFont = nullptr) {
  const float y = ImGui::GetCursorPosY();
  ImGui::SetCursorPosY(y + 16);
  ImGui::PushTextWrapPos(kMargin + kLabelW - 20);
  mutedText(label);
  ImGui::PopTextWrapPos();
  const float below = std::max(ImGui::GetCursorPosY(), y + 70 + ImGui::GetStyle().ItemSpacing.y);
  ImGui::SetCursorPos(ImVec2(kMargin + kLabelW, y + (valueFont ? 22 : 16)));
  if (valueFont) ImGui::PushFont(valueFont);
  ImGui::PushTextWrapPos(kMargin + kLeftW - 220);
  ImGui::TextUnformatted(value.c_str());
  ImGui::PopTextWrapPos();
  if (valueFont) ImGui::PopFont();
  ImGui::SetCursorPos(ImVec2(kMargin, std::max(below, ImGui::GetCursorPosY())));
}

}  // namespace

void StaffScreens::drawSettings() {
  drawTabs();
  if (!m_settingsLoaded) {
    // Read once per visit: sysfs for cameras, the store for the idle values being adjusted.
    m_cameraChoices = platform::listCameras();
    const auto idle = m_staff.idleTimeouts();
    m_idleWarn = static_cast<int>(idle.warnAfter.count());
    m_idleReset = static_cast<int>(idle.resetAfter.count());
    m_cameraMessage.clear();
    m_settingsEditor = SettingsEditor::kNone;
    m_settingsLoaded = true;
  }
  if (m_settingsEditor != SettingsEditor::kNone) return drawSettingsEditor();
  const bool admin = m_staff.isAdmin();

  ImGui::SetCursorPos(ImVec2(kMargin, 120));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(kMargin + kLeftW);
  // Any staff: the language new clients start in and the UI scale.
  mutedText(m_tr("settings.default_language"));
  const std::string current = m_staff.defaultLanguage();
  static const std::pair<const char*, const char*> kNames[] = {{"en", "English"},
                                                               {"es", "Espa\xC3\xB1ol"},
                                                               {"fr",
                                                                "Fran\xC3\xA7"
                                                                "ais"}};
  for (const auto& [code, name] : kNames) {
    if (code != kNames[0].first) ImGui::SameLine(0, 12);
    if (button(std::string("settings-language:") + code, name, 240, 70, false, current == code)) {
      m_staff.setDefaultLanguage(code);
    }
  }
  drawUiScaleChoice();
  ImGui::Dummy(ImVec2(0, 4));

  // Admins: the clinic name, head office's address, the idle timeouts.
  const float y = ImGui::GetCursorPosY();
  labelledRow(m_tr("settings.clinic_name"), m_staff.clinicName());
  if (admin) {
    ImGui::SetCursorPos(ImVec2(kMargin + kLeftW - 200, y));
    if (button("settings-clinic-edit", m_tr("settings.change"), 200, 70)) {
      m_settingsEditor = SettingsEditor::kClinicName;
      m_settingsText = m_staff.clinicName();
      m_keyboard.capitalizeNext();
    }
  }
  // The address gets a line of its own: URLs have no spaces to wrap at.
  const float y2 = ImGui::GetCursorPosY();
  labelledRow(m_tr("settings.server"), "");
  if (admin) {
    ImGui::SetCursorPos(ImVec2(kMargin + kLeftW - 200, y2));
    if (button("settings-server-edit", m_tr("settings.change"), 200, 70)) {
      m_settingsEditor = SettingsEditor::kServer;
      m_settingsText = m_staff.headOfficeUrl();
    }
  }
  ImGui::SetCursorPos(ImVec2(kMargin, y2 + 62));
  ImGui::PushFont(m_host.fonts().small);
  const std::string url = m_staff.headOfficeUrl();
  ImGui::TextUnformatted(url.empty() ? m_tr("settings.not_enrolled").c_str() : url.c_str());
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, 2));
  drawIdleTimeouts();
  ImGui::Dummy(ImVec2(0, 4));
  if (!admin) mutedText(m_tr("settings.admin_only"));
  const std::string& message = m_staff.message();
  if (!message.empty()) {
    const bool good = message == "staff.settings_saved" || message == "staff.server_changed";
    ImGui::PushStyleColor(ImGuiCol_Text, good ? kPrimary : kWarn);
    ImGui::TextUnformatted(m_tr(message).c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  // Right: the camera, with its live picture to check before a client stands in front of it.
  // Below it, what enrolment and head office set, read-only.
  const float x = kMargin + kLeftW + 60, rightW = static_cast<float>(m_host.width()) - kMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginGroup();
  drawCameraChoice(rightW);
  ImGui::Dummy(ImVec2(0, 4));
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushTextWrapPos(x + rightW);
  mutedText(m_tr("staff.settings_note"));
  for (const auto& [key, value] : m_staff.headOfficeSettings()) {
    mutedText(m_tr(key));
    ImGui::SameLine(260);  // inside a group, SameLine counts from the group's left edge
    ImGui::TextUnformatted(value.empty() ? "-" : value.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::EndGroup();
}

void StaffScreens::drawUiScaleChoice() {
  mutedText(m_tr("settings.ui_scale"));
  const int chosen = m_staff.uiScalePercent();
  bool first = true;
  for (const int percent : core::kUiScales) {
    if (!m_host.scaleFits(percent)) continue;  // it would cut the screens off on this display
    if (!first) ImGui::SameLine(0, 12);
    first = false;
    const std::string label =
        percent == 0 ? m_tr("settings.ui_scale_fit") : std::to_string(percent) + " %";
    if (button("settings-scale:" + std::to_string(percent), label, percent == 0 ? 300 : 150, 70,
               false, chosen == percent)) {
      m_staff.setUiScale(percent);
    }
  }
}

void StaffScreens::drawIdleTimeouts() {
  // Adjusted with steps, saved with one tap (one audit entry, not one per step).
  const bool admin = m_staff.isAdmin();
  const auto stepper = [&](const std::string& name, const std::string& label, int& value, int step,
                           int low, int high) {
    const float y = ImGui::GetCursorPosY();
    labelledRow(label, m_tr.format("settings.seconds", {std::to_string(value)}));
    if (!admin) return;
    ImGui::SetCursorPos(ImVec2(kMargin + kLeftW - 200, y));
    if (button(name + "-less", "-", 90, 70)) value = std::max(low, value - step);
    ImGui::SameLine(0, 20);
    if (button(name + "-more", "+", 90, 70)) value = std::min(high, value + step);
  };
  stepper("settings-idle-warn", m_tr("settings.idle_warn"), m_idleWarn, 15, core::kIdleWarnMin,
          core::kIdleWarnMax);
  stepper("settings-idle-reset", m_tr("settings.idle_reset"), m_idleReset, 5, core::kIdleResetMin,
          core::kIdleResetMax);
  ImGui::SetCursorPosX(kMargin + kLabelW);
  if (!admin) {
    mutedText(
        m_tr(m_staff.idleTimeoutsAreLocal() ? "settings.idle_local" : "settings.idle_head_office"));
    return;
  }
  if (button("settings-idle-save", m_tr("settings.save"), 200, 70, true))
    m_staff.setIdleTimeouts(m_idleWarn, m_idleReset);
  ImGui::SameLine(0, 20);
  if (m_staff.idleTimeoutsAreLocal()) {
    if (button("settings-idle-head-office", m_tr("settings.idle_use_head_office"), 356, 70)) {
      m_staff.useHeadOfficeIdleTimeouts();
      const auto idle = m_staff.idleTimeouts();
      m_idleWarn = static_cast<int>(idle.warnAfter.count());
      m_idleReset = static_cast<int>(idle.resetAfter.count());
    }
  } else {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 16);
    mutedText(m_tr("settings.idle_head_office"));
  }
}

void StaffScreens::drawCameraChoice(float width) {
  mutedText(m_tr("settings.camera"));
  // The cameras found, plus the one in use if it is not among them (a still file, say).
  std::vector<platform::CameraChoice> choices = m_cameraChoices;
  const std::string inUse = m_cameraFeed.slot().spec();
  if (!inUse.empty() && std::none_of(choices.begin(), choices.end(),
                                     [&](const auto& c) { return c.spec == inUse; })) {
    choices.insert(choices.begin(),
                   {inUse, inUse == "v4l2" ? m_tr("settings.camera_default") : inUse});
  }
  ImGui::PushFont(m_host.fonts().small);
  for (const auto& choice : choices) {
    const bool selected = choice.spec == inUse && m_cameraFeed.slot().available();
    const std::string label =
        choice.spec == "test" ? m_tr("settings.camera_test_picture") : choice.label;
    if (button("settings-camera:" + choice.spec, label, width, 64, false, selected) && !selected) {
      if (m_cameraFeed.slot().switchTo(choice.spec)) {
        m_staff.cameraChosen(choice.spec);
        m_cameraMessage.clear();
      } else {
        m_cameraMessage = m_tr("settings.camera_failed") + " " + m_cameraFeed.slot().error();
      }
    }
  }
  ImGui::PopFont();
  if (!m_cameraMessage.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::PushFont(m_host.fonts().small);
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextUnformatted(m_cameraMessage.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::PopTextWrapPos();
  }
  drawLiveCamera(width, 400);
}

void StaffScreens::drawSettingsEditor() {
  const bool server = m_settingsEditor == SettingsEditor::kServer;
  const float w = static_cast<float>(m_host.width()), fieldW = w - 2 * kMargin;
  ImGui::SetCursorPos(ImVec2(kMargin, 115));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(w - kMargin);
  ImGui::TextUnformatted(m_tr(server ? "settings.server" : "settings.clinic_name").c_str());
  ImGui::PushFont(m_host.fonts().small);
  mutedText(m_tr(server ? "settings.server_hint" : "settings.clinic_name_hint"));
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
  ImGui::Button((m_settingsText + "|##settings-text").c_str(), ImVec2(fieldW, 70));
  m_targets.addLastItem("settings-text");
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  // Two small lines are kept for the answer, so the keyboard does not jump when it comes.
  const float messageY = ImGui::GetCursorPosY();
  const std::string& message = m_staff.message();
  ImGui::PushFont(m_host.fonts().small);
  if (m_staff.checking()) {
    mutedText(m_tr("staff.checking"));
  } else if (!message.empty() && message != "staff.settings_saved") {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextUnformatted(m_tr(message).c_str());
    ImGui::TextUnformatted(m_staff.messageDetail().c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopFont();
  ImGui::PopTextWrapPos();
  ImGui::SetCursorPosY(messageY + 90);
  m_keyboard.draw(m_settingsText, server ? KeyboardLayout::kUrl : KeyboardLayout::kText, fieldW,
                  m_targets, server ? 200 : 60, m_tr);
  if (button("settings-cancel", m_tr("staff.cancel"), 300, 90)) {
    m_settingsEditor = SettingsEditor::kNone;
    m_staff.show(core::StaffScreen::kSettings);  // clears any message of the edit
  }
  ImGui::SameLine(0, 20);
  if (button("settings-save", m_tr(server ? "settings.server_check" : "settings.save"),
             fieldW - 320, 90, true) &&
      !m_staff.checking()) {
    if (server) {
      m_staff.changeServer(m_settingsText);  // the answer arrives in a later frame
    } else if (m_staff.setClinicName(m_settingsText)) {
      m_settingsEditor = SettingsEditor::kNone;
    }
  }
  // A confirmed new address closes the editor.
  if (server && m_staff.message() == "staff.server_changed") {
    m_settingsEditor = SettingsEditor::kNone;
  }
  ImGui::EndGroup();
}

}  // namespace smp::ui
