#include "app/ui/staff/staff_context.h"

#include <algorithm>

namespace smp::ui {

using palette::kStaffMargin;

void drawStaffTabs(StaffContext& c) {
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 24));
  const auto screen = c.staff.screen();
  if (c.button("tab:records", c.tr("staff.records"), 260, 70, false,
               screen == core::StaffScreen::kRecords || screen == core::StaffScreen::kDetail)) {
    c.staff.show(core::StaffScreen::kRecords);
  }
  ImGui::SameLine(0, 12);
  if (c.button("tab:sync", c.tr("staff.sync_health"), 300, 70, false,
               screen == core::StaffScreen::kSyncHealth)) {
    c.staff.show(core::StaffScreen::kSyncHealth);
  }
  ImGui::SameLine(0, 12);
  if (c.button("tab:settings", c.tr("staff.settings"), 260, 70, false,
               screen == core::StaffScreen::kSettings)) {
    c.staff.show(core::StaffScreen::kSettings);
  }
  if (c.staff.isAdmin()) {
    ImGui::SameLine(0, 12);
    if (c.button("tab:team", c.tr("staff.team"), 220, 70, false,
                 screen == core::StaffScreen::kTeam)) {
      c.staff.show(core::StaffScreen::kTeam);
    }
  }
  ImGui::SetCursorPos(ImVec2(c.width() - kStaffMargin - 260 - 20 - 420, 44));
  mutedText(c.tr.format("staff.signed_in", {c.staff.staff() ? c.staff.staff()->name : ""}));
  ImGui::SetCursorPos(ImVec2(c.width() - kStaffMargin - 260, 24));
  if (c.button("logout", c.tr("staff.logout"), 260, 70, true)) c.staff.logout();
}

void drawNotice(StaffContext& c, const core::Notice& notice, bool withDetail) {
  noticeText(c.tr, notice, withDetail ? c.host.fonts().small : nullptr);
}

void drawLiveCamera(StaffContext& c, float maxW, float maxH) {
  c.camera.drawLive(c.tr, c.host.fonts().small, maxW, maxH);
}

}  // namespace smp::ui
