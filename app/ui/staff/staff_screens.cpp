#include "app/ui/staff/staff_screens.h"

#include "app/ui/staff/pin_screen.h"
#include "app/ui/staff/records_screen.h"

namespace smp::ui {
namespace {

constexpr float kCorner = 120.0f;  // the square, top left, held for kEntryHold to open

}  // namespace

StaffScreens::StaffScreens(SdlHost& host, core::StaffMode& staff, core::Translations& tr,
                           platform::CameraSlot& camera)
    : m_staff(staff), m_cameraFeed(host.renderer(), camera), m_context{host,       staff,
                                                                       tr,         m_targets,
                                                                       m_keyboard, m_cameraFeed} {}

void StaffScreens::watchCorner(Clock::time_point now) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool inCorner = io.MouseDown[0] && io.MousePos.x >= 0 && io.MousePos.x < kCorner &&
                        io.MousePos.y >= 0 && io.MousePos.y < kCorner;
  if (!inCorner) {
    m_cornerSince.reset();
    return;
  }
  if (!m_cornerSince) m_cornerSince = now;
  m_staff.cornerHeld(now - *m_cornerSince, now);
  if (m_staff.active()) m_cornerSince.reset();
}

void StaffScreens::entered(core::StaffScreen screen) {
  switch (screen) {
    case core::StaffScreen::kEdit:
      m_edit.enter();
      break;
    case core::StaffScreen::kSyncHealth:
      m_syncHealth.enter();
      break;
    case core::StaffScreen::kSettings:
      m_settings.enter(m_context);
      break;
    case core::StaffScreen::kTeam:
      m_team.enter(m_context);
      break;
    case core::StaffScreen::kClosed:
      m_detail.reset();  // nothing of a record stays on screen after sign-out
      break;
    default:
      break;
  }
}

std::vector<Rect> StaffScreens::detailPictures() const {
  if (m_shown != core::StaffScreen::kDetail) return {};
  return m_detail.shownPictures();
}

void StaffScreens::draw(Clock::time_point now) {
  m_targets.clear();
  m_context.host.setTextScale(1.0f);  // a client's large-text choice is theirs, not staff's
  if (ImGui::IsMouseDown(0)) m_staff.touched(now);
  m_staff.tick(now);
  if (m_staff.screen() != m_shown) {
    m_shown = m_staff.screen();
    entered(m_shown);
  }
  if (!m_staff.active()) return;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(m_context.width(), m_context.height()));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, palette::kStaffBackground);
  ImGui::Begin(
      "staff", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  switch (m_staff.screen()) {
    case core::StaffScreen::kPin:
      drawPinScreen(m_context, now);
      break;
    case core::StaffScreen::kRecords:
      drawRecordsScreen(m_context);
      break;
    case core::StaffScreen::kDetail:
      m_detail.draw(m_context);
      break;
    case core::StaffScreen::kEdit:
      m_edit.draw(m_context);
      break;
    case core::StaffScreen::kSyncHealth:
      m_syncHealth.draw(m_context, now);
      break;
    case core::StaffScreen::kSettings:
      m_settings.draw(m_context);
      break;
    case core::StaffScreen::kTeam:
      m_team.draw(m_context);
      break;
    case core::StaffScreen::kClosed:
      break;
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

}  // namespace smp::ui
