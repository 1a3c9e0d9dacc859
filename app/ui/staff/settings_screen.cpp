// The staff settings screen: the language new clients start in, the UI scale and the camera
// (any staff); the clinic name, head office's address and the idle timeouts (admins); what
// enrolment and head office set, read-only.
#include "app/ui/staff/settings_screen.h"

#include <imgui.h>

#include <algorithm>

#include "app/core/kiosk_settings.h"

namespace smp::ui {
namespace {

using palette::kMuted;
using palette::kStaffMargin;
constexpr float kMargin = kStaffMargin;

constexpr float kLabelW = 500.0f;  // labels left, values and buttons right of this
constexpr float kLeftW = 1080.0f;

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

void SettingsScreen::enter(StaffContext& c) {
  // Read once per visit: sysfs for cameras, the store for the idle values being adjusted.
  m_cameraChoices = platform::listCameras();
  const core::SettingsView& v = c.staff.settingsView();
  m_idleWarn = v.idleWarnSeconds;
  m_idleReset = v.idleResetSeconds;
  m_cameraMessage.clear();
  m_editor = Editor::kNone;
}

void SettingsScreen::draw(StaffContext& c) {
  drawStaffTabs(c);
  if (m_editor != Editor::kNone) return drawEditor(c);
  const bool admin = c.staff.isAdmin();

  ImGui::SetCursorPos(ImVec2(kMargin, 120));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(kMargin + kLeftW);
  // Any staff: the language new clients start in and the UI scale.
  mutedText(c.tr("settings.default_language"));
  const std::string current = c.staff.settingsView().defaultLanguage;
  static const std::pair<const char*, const char*> kNames[] = {{"en", "English"},
                                                               {"es", "Espa\xC3\xB1ol"},
                                                               {"fr",
                                                                "Fran\xC3\xA7"
                                                                "ais"}};
  for (const auto& [code, name] : kNames) {
    if (code != kNames[0].first) ImGui::SameLine(0, 12);
    if (c.button(std::string("settings-language:") + code, name, 240, 70, false, current == code)) {
      c.staff.setDefaultLanguage(code);
    }
  }
  drawUiScaleChoice(c);
  ImGui::Dummy(ImVec2(0, 4));

  // Admins: the clinic name, head office's address, the idle timeouts.
  const float y = ImGui::GetCursorPosY();
  labelledRow(c.tr("settings.clinic_name"), c.staff.settingsView().clinicName);
  if (admin) {
    ImGui::SetCursorPos(ImVec2(kMargin + kLeftW - 200, y));
    if (c.button("settings-clinic-edit", c.tr("settings.change"), 200, 70)) {
      m_editor = Editor::kClinicName;
      m_text = c.staff.settingsView().clinicName;
      c.keyboard.capitalizeNext();
    }
  }
  // The address gets a line of its own: URLs have no spaces to wrap at.
  const float y2 = ImGui::GetCursorPosY();
  labelledRow(c.tr("settings.server"), "");
  if (admin) {
    ImGui::SetCursorPos(ImVec2(kMargin + kLeftW - 200, y2));
    if (c.button("settings-server-edit", c.tr("settings.change"), 200, 70)) {
      m_editor = Editor::kServer;
      m_text = c.staff.settingsView().headOfficeUrl;
    }
  }
  ImGui::SetCursorPos(ImVec2(kMargin, y2 + 62));
  ImGui::PushFont(c.host.fonts().small);
  const std::string url = c.staff.settingsView().headOfficeUrl;
  ImGui::TextUnformatted(url.empty() ? c.tr("settings.not_enrolled").c_str() : url.c_str());
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, 2));
  drawIdleTimeouts(c);
  ImGui::Dummy(ImVec2(0, 4));
  if (!admin) mutedText(c.tr("settings.admin_only"));
  drawNotice(c, c.staff.notice(), false);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  // Right: the camera, with its live picture to check before a client stands in front of it.
  // Below it, what enrolment and head office set, read-only.
  const float x = kMargin + kLeftW + 60, rightW = static_cast<float>(c.host.width()) - kMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginGroup();
  drawCameraChoice(c, rightW);
  ImGui::Dummy(ImVec2(0, 4));
  ImGui::PushFont(c.host.fonts().small);
  ImGui::PushTextWrapPos(x + rightW);
  mutedText(c.tr("staff.settings_note"));
  // A copy: a tap elsewhere this frame may refresh the view.
  const auto headOffice = c.staff.settingsView().headOffice;
  for (const auto& [key, value] : headOffice) {
    mutedText(c.tr(key));
    ImGui::SameLine(260);  // inside a group, SameLine counts from the group's left edge
    ImGui::TextUnformatted(value.empty() ? "-" : value.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::EndGroup();
}

void SettingsScreen::drawUiScaleChoice(StaffContext& c) {
  mutedText(c.tr("settings.ui_scale"));
  const int chosen = c.staff.settingsView().uiScalePercent;
  bool first = true;
  for (const int percent : core::kUiScales) {
    if (!c.host.scaleFits(percent)) continue;  // it would cut the screens off on this display
    if (!first) ImGui::SameLine(0, 12);
    first = false;
    const std::string label =
        percent == 0 ? c.tr("settings.ui_scale_fit") : std::to_string(percent) + " %";
    if (c.button("settings-scale:" + std::to_string(percent), label, percent == 0 ? 300 : 150, 70,
                 false, chosen == percent)) {
      c.staff.setUiScale(percent);
    }
  }
}

void SettingsScreen::drawIdleTimeouts(StaffContext& c) {
  // Adjusted with steps, saved with one tap (one audit entry, not one per step).
  const bool admin = c.staff.isAdmin();
  const auto stepper = [&](const std::string& name, const std::string& label, int& value, int step,
                           int low, int high) {
    const float y = ImGui::GetCursorPosY();
    labelledRow(label, c.tr.format("settings.seconds", {std::to_string(value)}));
    if (!admin) return;
    ImGui::SetCursorPos(ImVec2(kMargin + kLeftW - 200, y));
    if (c.button(name + "-less", "-", 90, 70)) value = std::max(low, value - step);
    ImGui::SameLine(0, 20);
    if (c.button(name + "-more", "+", 90, 70)) value = std::min(high, value + step);
  };
  stepper("settings-idle-warn", c.tr("settings.idle_warn"), m_idleWarn, 15, core::kIdleWarnMin,
          core::kIdleWarnMax);
  stepper("settings-idle-reset", c.tr("settings.idle_reset"), m_idleReset, 5, core::kIdleResetMin,
          core::kIdleResetMax);
  ImGui::SetCursorPosX(kMargin + kLabelW);
  if (!admin) {
    mutedText(c.tr(c.staff.settingsView().idleTimeoutsAreLocal ? "settings.idle_local"
                                                               : "settings.idle_head_office"));
    return;
  }
  if (c.button("settings-idle-save", c.tr("settings.save"), 200, 70, true))
    c.staff.setIdleTimeouts(m_idleWarn, m_idleReset);
  ImGui::SameLine(0, 20);
  if (c.staff.settingsView().idleTimeoutsAreLocal) {
    if (c.button("settings-idle-head-office", c.tr("settings.idle_use_head_office"), 356, 70)) {
      c.staff.useHeadOfficeIdleTimeouts();
      m_idleWarn = c.staff.settingsView().idleWarnSeconds;
      m_idleReset = c.staff.settingsView().idleResetSeconds;
    }
  } else {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 16);
    mutedText(c.tr("settings.idle_head_office"));
  }
}

void SettingsScreen::drawCameraChoice(StaffContext& c, float width) {
  mutedText(c.tr("settings.camera"));
  // The cameras found, plus the one in use if it is not among them (a still file, say).
  std::vector<platform::CameraChoice> choices = m_cameraChoices;
  const std::string inUse = c.camera.slot().spec();
  if (!inUse.empty() && std::none_of(choices.begin(), choices.end(),
                                     [&](const auto& choice) { return choice.spec == inUse; })) {
    choices.insert(choices.begin(),
                   {inUse, inUse == "v4l2" ? c.tr("settings.camera_default") : inUse});
  }
  ImGui::PushFont(c.host.fonts().small);
  for (const auto& choice : choices) {
    const bool selected = choice.spec == inUse && c.camera.slot().available();
    const std::string label =
        choice.spec == "test" ? c.tr("settings.camera_test_picture") : choice.label;
    if (c.button("settings-camera:" + choice.spec, label, width, 64, false, selected) &&
        !selected) {
      switchCamera(c, choice.spec);
    }
  }
  ImGui::PopFont();
  if (c.camera.slot().switching()) {
    ImGui::PushFont(c.host.fonts().small);
    mutedText(c.tr("settings.camera_switching"));
    ImGui::PopFont();
  }
  if (!m_cameraMessage.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::PushFont(c.host.fonts().small);
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kWarn);
    ImGui::TextUnformatted(m_cameraMessage.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::PopTextWrapPos();
  }
  drawLiveCamera(c, width, 400);
}

void SettingsScreen::switchCamera(StaffContext& c, const std::string& spec) {
  platform::CameraSlot& slot = c.camera.slot();
  auto sw = slot.beginSwitch(spec);
  if (!sw) {
    if (!slot.switching() && slot.spec() != spec)
      m_cameraMessage = c.tr("settings.camera_failed") + " " + slot.error();
    return;
  }
  m_cameraMessage.clear();
  // The slot outlives every screen (kiosk_app owns it); staff mode and translations too. The
  // guarded finish is made here, on the UI thread, so the worker never touches this screen.
  auto pending = std::make_shared<platform::CameraSlot::Switch>(std::move(*sw));
  core::StaffMode& staff = c.staff;
  const core::Translations& tr = c.tr;
  core::UiQueue::Task finish = m_lifeline.guard([this, &slot, &staff, &tr, pending, spec] {
    if (slot.finishSwitch(std::move(*pending))) {
      staff.cameraChosen(spec);
    } else {
      m_cameraMessage = tr("settings.camera_failed") + " " + slot.error();
    }
  });
  staff.runInBackground([pending, finish] {
    pending->run();
    return finish;
  });
}

void SettingsScreen::drawEditor(StaffContext& c) {
  const bool server = m_editor == Editor::kServer;
  const float w = static_cast<float>(c.host.width()), fieldW = w - 2 * kMargin;
  ImGui::SetCursorPos(ImVec2(kMargin, 115));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(w - kMargin);
  ImGui::TextUnformatted(c.tr(server ? "settings.server" : "settings.clinic_name").c_str());
  ImGui::PushFont(c.host.fonts().small);
  mutedText(c.tr(server ? "settings.server_hint" : "settings.clinic_name_hint"));
  ImGui::PopFont();
  textField(c.targets, "settings-text", m_text, true, ImVec2(fieldW, 70));
  // Two small lines are kept for the answer, so the keyboard does not jump when it comes.
  const float messageY = ImGui::GetCursorPosY();
  ImGui::PushFont(c.host.fonts().small);
  if (c.staff.checking()) {
    mutedText(c.tr("staff.checking"));
  } else if (c.staff.notice().tone == core::Notice::Tone::kWarning) {
    drawNotice(c, c.staff.notice());
  }
  ImGui::PopFont();
  ImGui::PopTextWrapPos();
  ImGui::SetCursorPosY(messageY + 90);
  c.keyboard.draw(m_text, server ? KeyboardLayout::kUrl : KeyboardLayout::kText, fieldW, c.targets,
                  server ? 200 : core::kMaxClinicNameChars, c.tr);
  if (c.button("settings-cancel", c.tr("staff.cancel"), 300, 90)) {
    m_editor = Editor::kNone;
    c.staff.show(core::StaffScreen::kSettings);  // clears any message of the edit
  }
  ImGui::SameLine(0, 20);
  if (c.button("settings-save", c.tr(server ? "settings.server_check" : "settings.save"),
               fieldW - 320, 90, true) &&
      !c.staff.checking()) {
    if (server) {
      c.staff.changeServer(m_text);  // the answer arrives in a later frame
    } else if (c.staff.setClinicName(m_text)) {
      m_editor = Editor::kNone;
    }
  }
  // A confirmed new address closes the editor.
  if (server && c.staff.notice().key == "staff.server_changed") {
    m_editor = Editor::kNone;
  }
  ImGui::EndGroup();
}

}  // namespace smp::ui
