#include "app/ui/setup/setup_screen.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "app/core/staff_accounts.h"
#include "app/ui/widgets.h"

namespace smp::ui {

namespace {

constexpr float kMargin = 80.0f;
constexpr float kFieldHeight = 70.0f;
constexpr std::size_t kMaxAddressChars = 200;
constexpr std::size_t kMaxCodeChars = 24;  // 16 characters, dashes and spaces

}  // namespace

SetupScreen::SetupScreen(SdlHost& host, core::KioskSetup& setup, core::Translations& tr,
                         platform::CameraSlot& camera)
    : m_host(host),
      m_setup(setup),
      m_tr(tr),
      m_cameraSlot(camera),
      m_camera(host.renderer(), camera),
      m_cameraChoices(platform::listCameras()) {}

SetupScreen::~SetupScreen() {
  if (m_qrRead.valid()) m_qrRead.wait();  // it reads m_qrReader
}

bool SetupScreen::button(const std::string& name, const std::string& label, float w, float h,
                         bool primary, bool selected) {
  return ui::button(m_targets, name, label, ImVec2(w, h),
                    primary ? ButtonKind::kPrimary : ButtonKind::kPlain, selected);
}

void SetupScreen::draw() {
  m_targets.clear();
  const float w = static_cast<float>(m_host.width()), h = static_cast<float>(m_host.height());
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, palette::kStaffBackground);
  ImGui::Begin("setup", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::SetCursorPos(ImVec2(kMargin, 50));
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr("setup.title").c_str());
  ImGui::PopFont();
  const auto step = m_setup.step();
  if (step != m_shownStep) {  // a new step starts at its first field, a name with a capital
    m_shownStep = step;
    m_field = 0;
    m_keyboard.capitalizeNext();
  }
  if (m_setup.checksFinished() != m_checksSeen) {
    m_checksSeen = m_setup.checksFinished();
    // A refused check puts the keyboard on the field to fix: the code when head office refused
    // it or it was mistyped, else the address.
    if (const auto& problem = m_setup.problem()) {
      const auto kind = problem->problem();
      m_field =
          kind == core::SetupProblem::kCodeRefused || kind == core::SetupProblem::kBadCode ? 1 : 0;
    }
  }
  const int shown =
      step == core::KioskSetup::Step::kConnect || step == core::KioskSetup::Step::kChecking ? 1
      : step == core::KioskSetup::Step::kAdmin                                              ? 2
                                                                                            : 3;
  ImGui::SetCursorPosX(kMargin);
  mutedText(m_tr.format("setup.step_of", {std::to_string(shown), "3"}));
  const float columnW = w - 2 * kMargin;
  switch (m_setup.step()) {
    case core::KioskSetup::Step::kConnect:
      drawConnect(kMargin, columnW * 0.56f);
      drawScanner(kMargin + columnW * 0.60f, columnW * 0.40f);
      break;
    case core::KioskSetup::Step::kChecking:
      drawChecking(kMargin);
      break;
    case core::KioskSetup::Step::kAdmin:
      drawAdmin(kMargin, columnW * 0.56f);
      break;
    case core::KioskSetup::Step::kCamera:
    case core::KioskSetup::Step::kDone:
      drawCamera(kMargin, columnW);
      break;
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

std::string SetupScreen::problemText() const {
  if (!m_setup.problem()) return {};
  switch (m_setup.problem()->problem()) {
    case core::SetupProblem::kBadAddress:
      return m_tr("setup.problem_address");
    case core::SetupProblem::kBadCode:
      return m_tr("setup.problem_code");
    case core::SetupProblem::kCodeRefused:
      return m_tr("setup.problem_refused");
    case core::SetupProblem::kUnreachable:
      return m_tr("setup.problem_unreachable");
    case core::SetupProblem::kCertificate:
      return m_tr("setup.problem_certificate");
    case core::SetupProblem::kServer:
      return m_tr("setup.problem_server");
  }
  return {};
}

void SetupScreen::drawConnect(float x, float width) {
  // The fields at the top, the keyboard at the bottom; the explanation is in the right column.
  ImGui::SetCursorPos(ImVec2(x, 190));
  ImGui::BeginGroup();
  mutedText(m_tr("setup.server"));
  if (textField(m_targets, "setup-field:0", m_setup.serverUrl, m_field == 0,
                ImVec2(width, kFieldHeight))) {
    m_field = 0;
  }
  // The button beside the code, so the keyboard below always fits on the screen.
  const float buttonW = 330;
  mutedText(m_tr("setup.code"));
  if (textField(m_targets, "setup-field:1", m_setup.code, m_field == 1,
                ImVec2(width - buttonW - 20, kFieldHeight))) {
    m_field = 1;
  }
  ImGui::SameLine(0, 20);
  if (button("setup-connect", m_tr("setup.connect"), buttonW, kFieldHeight, true)) {
    m_setup.connect();
  }
  ImGui::EndGroup();
  drawKeyboardAtBottom(x, [&] {
    if (m_field == 0) {
      m_keyboard.draw(m_setup.serverUrl, KeyboardLayout::kUrl, width, m_targets, kMaxAddressChars,
                      m_tr);
    } else if (m_keyboard.draw(m_setup.code, KeyboardLayout::kText, width, m_targets, kMaxCodeChars,
                               m_tr)) {
      // Codes are shown in capitals, as head office prints them (the server takes either).
      for (char& ch : m_setup.code) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
    }
  });
}

void SetupScreen::drawKeyboardAtBottom(float x, const std::function<void()>& draw) {
  const float top = static_cast<float>(m_host.height()) - m_keyboardHeight - 30;
  ImGui::SetCursorPos(ImVec2(x, top));
  ImGui::BeginGroup();
  draw();
  ImGui::EndGroup();
  // Measured, so the next frame places it exactly (keyboards differ in rows).
  m_keyboardHeight = ImGui::GetItemRectSize().y;
}

void SetupScreen::drawScanner(float x, float width) {
  ImGui::SetCursorPos(ImVec2(x, 190));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(x + width);
  ImGui::TextUnformatted(m_tr("setup.connect_intro").c_str());
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(m_tr("setup.scan_title").c_str());
  mutedText(m_tr("setup.scan_hint"));
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 10));
  m_camera.drawLive(m_tr, m_host.fonts().small, width * 0.8f, width * 0.8f * 0.5625f);
  ImGui::PushTextWrapPos(x + width);
  if (m_foreignQrCode) coloredText(palette::kWarn, m_tr("setup.scan_other_code"));
  // What head office or the network said about the last try, beside where it was typed.
  if (const std::string problem = problemText(); !problem.empty()) {
    ImGui::Dummy(ImVec2(0, 10));
    coloredText(palette::kWarn, problem);
    ImGui::PushFont(m_host.fonts().small);
    mutedText(m_setup.problem()->what());
    ImGui::PopFont();
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  scanForQrCode();
}

void SetupScreen::scanForQrCode() {
  using namespace std::chrono_literals;
  if (m_qrRead.valid()) {
    if (m_qrRead.wait_for(0s) != std::future_status::ready) return;
    if (const auto text = m_qrRead.get()) m_foreignQrCode = !m_setup.qrCodeRead(*text);
    if (m_setup.step() != core::KioskSetup::Step::kConnect) return;
  }
  // The newest frame only, and each frame once.
  auto frame = m_cameraSlot.latestFrame(m_qrFrameSequence, &m_qrFrameSequence);
  if (!frame) return;
  m_qrRead = std::async(std::launch::async,
                        [this, image = std::move(*frame)] { return m_qrReader.read(image); });
}

void SetupScreen::waitForQrRead() {
  if (m_qrRead.valid()) m_qrRead.wait_for(std::chrono::seconds(10));
}

void SetupScreen::drawChecking(float x) {
  ImGui::SetCursorPos(ImVec2(x, 260));
  ImGui::TextUnformatted(m_tr.format("setup.checking", {m_setup.serverUrl}).c_str());
  ImGui::SetCursorPosX(x);
  mutedText(m_tr("setup.checking_hint"));
}

void SetupScreen::drawAdmin(float x, float width) {
  // Who this kiosk is and what the admin is for, in the right column; the fields at the top
  // left and the keyboard at the bottom, as on the first step.
  const float rightX = x + width + 60;
  ImGui::SetCursorPos(ImVec2(rightX, 190));
  ImGui::PushTextWrapPos(static_cast<float>(m_host.width()) - kMargin);
  coloredText(palette::kPrimary, m_tr.format("setup.connected", {m_setup.enrolled().clinic,
                                                                 m_setup.enrolled().kioskId}));
  ImGui::SetCursorPosX(rightX);
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::SetCursorPosX(rightX);
  ImGui::TextUnformatted(m_tr("setup.admin_intro").c_str());
  ImGui::PopTextWrapPos();
  ImGui::SetCursorPos(ImVec2(x, 190));
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0, 10));
  const float halfW = (width - 20) / 2;
  auto field = [&](int index, const char* labelKey, const std::string& shown, float fieldW) {
    ImGui::BeginGroup();
    mutedText(m_tr(labelKey));
    if (textField(m_targets, "setup-admin-field:" + std::to_string(index), shown, m_field == index,
                  ImVec2(fieldW, kFieldHeight))) {
      if (index == 0 && m_field != 0) m_keyboard.capitalizeNext();
      m_field = index;
    }
    ImGui::EndGroup();
  };
  if (m_field > 2) m_field = 0;
  field(0, "staff.team_name", m_setup.adminName, width);
  const float pinY = ImGui::GetCursorPosY();
  field(1, "staff.team_pin", secretDots(m_setup.pin.size()), halfW);
  ImGui::SetCursorPos(ImVec2(x + halfW + 20, pinY));
  field(2, "staff.team_pin_again", secretDots(m_setup.pinAgain.size()), halfW);
  ImGui::SetCursorPosX(x);
  if (!m_adminProblem.empty()) {
    ImGui::PushTextWrapPos(x + width);
    coloredText(palette::kWarn, m_tr(m_adminProblem));
    ImGui::PopTextWrapPos();
  }
  if (button("setup-admin-create", m_tr("setup.admin_create"), width, kFieldHeight, true)) {
    const auto problem = m_setup.createAdmin();
    m_adminProblem = problem ? *problem : "";
    m_field = problem && *problem != "staff.team_name_invalid" ? 1 : 0;
  }
  ImGui::EndGroup();
  drawKeyboardAtBottom(x, [&] {
    if (m_field == 0) {
      m_keyboard.draw(m_setup.adminName, KeyboardLayout::kText, width, m_targets,
                      core::kMaxStaffNameChars, m_tr);
    } else {
      const float keyW = (width - 5 * 12) / 6;
      applyDigit(keypad(m_targets, "setup-pin:", KeypadShape::kTwoRows, ImVec2(keyW, 90),
                        m_tr("keyboard.delete")),
                 m_field == 1 ? m_setup.pin : m_setup.pinAgain, core::kMaxPinDigits);
    }
  });
}

void SetupScreen::drawCamera(float x, float width) {
  ImGui::SetCursorPos(ImVec2(x, 190));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(x + width * 0.4f);
  ImGui::TextUnformatted(m_tr("setup.camera_intro").c_str());
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 10));
  // The cameras found, plus the one in use if it is not among them (a still file, say).
  std::vector<platform::CameraChoice> choices = m_cameraChoices;
  const std::string inUse = m_cameraSlot.spec();
  if (std::none_of(choices.begin(), choices.end(),
                   [&](const auto& c) { return c.spec == inUse; })) {
    choices.insert(choices.begin(),
                   {inUse, inUse == "v4l2" ? m_tr("settings.camera_default") : inUse});
  }
  for (const auto& choice : choices) {
    const bool selected = choice.spec == inUse && m_cameraSlot.available();
    const std::string label =
        choice.spec == "test" ? m_tr("settings.camera_test_picture") : choice.label;
    if (button("setup-camera:" + choice.spec, label, width * 0.4f, 64, false, selected) &&
        choice.spec != inUse) {
      // Blocking is fine here: a technician is choosing, and nothing else runs yet.
      m_cameraMessage = m_cameraSlot.switchTo(choice.spec)
                            ? ""
                            : m_tr("settings.camera_failed") + " " + m_cameraSlot.error();
    }
  }
  if (!m_cameraMessage.empty()) {
    ImGui::PushTextWrapPos(x + width * 0.4f);
    coloredText(palette::kWarn, m_cameraMessage);
    ImGui::PopTextWrapPos();
  }
  ImGui::Dummy(ImVec2(0, 20));
  if (button("setup-start", m_tr("setup.start"), width * 0.4f, 90, true)) {
    m_setup.finish(m_cameraSlot.available() ? m_cameraSlot.spec() : "");
  }
  ImGui::EndGroup();
  ImGui::SetCursorPos(ImVec2(x + width * 0.45f, 190));
  m_camera.drawLive(m_tr, m_host.fonts().small, width * 0.55f, 620);
}

}  // namespace smp::ui
