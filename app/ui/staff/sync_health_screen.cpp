#include "app/ui/staff/sync_health_screen.h"

namespace smp::ui {
namespace {

using palette::kStaffMargin;

std::string ago(std::int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " d";
}

}  // namespace

void SyncHealthScreen::enter() {
  m_reenrolling = false;
  m_token.clear();
}

void SyncHealthScreen::draw(StaffContext& c, StaffContext::Clock::time_point now) {
  drawStaffTabs(c);
  if (m_reenrolling) return drawReenrol(c);
  const core::SyncHealth s = c.staff.syncHealth(now);
  const float w = c.width();
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 140));
  ImGui::BeginGroup();
  ImGui::PushFont(c.host.fonts().title);
  coloredText(s.online ? palette::kPrimary : palette::kWarn,
              c.tr(s.online ? "staff.online" : "staff.offline"));
  ImGui::PopFont();
  ImGui::TextUnformatted(c.tr.format("staff.pending", {std::to_string(s.pending)}).c_str());
  if (s.oldestPendingSeconds) {
    const ImVec4 colour = s.oldestPendingWarning ? palette::kWarn : palette::kInk;
    coloredText(colour, c.tr.format("staff.oldest", {ago(*s.oldestPendingSeconds)}));
    if (s.oldestPendingWarning) coloredText(colour, c.tr("staff.oldest_warning"));
  }
  ImGui::PushTextWrapPos(w - kStaffMargin);
  ImGui::TextUnformatted(c.tr.format("staff.last_result", {s.lastResult}).c_str());
  if (!s.lastSyncAt.empty())
    ImGui::TextUnformatted(c.tr.format("staff.last_at", {s.lastSyncAt}).c_str());
  if (s.needsReenrolment) coloredText(palette::kWarn, c.tr("staff.reenrol"));
  drawNotice(c, c.staff.notice());  // "sending...", how the pass went, re-enrolled
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 10));
  if (c.button("sync-now", c.tr("staff.sync_now"), 360, 90, true)) c.staff.syncNow();
  if (s.needsReenrolment && c.staff.isAdmin()) {
    ImGui::SameLine(0, 20);
    if (c.button("reenrol-open", c.tr("staff.reenrol_open"), 420, 90)) {
      m_reenrolling = true;
      m_token.clear();
    }
  }
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(
      c.tr.format("staff.quarantined", {std::to_string(s.quarantined.size())}).c_str());
  for (const core::QuarantinedRow& q : s.quarantined) {
    coloredText(palette::kWarn, q.consultationId.substr(0, 8) + "  " + q.error);
    ImGui::SameLine(w - kStaffMargin - 300);
    if (c.button("release:" + q.consultationId, c.tr("staff.release"), 300, 70))
      c.staff.releaseQuarantine(q);
  }
  ImGui::EndGroup();
}

void SyncHealthScreen::drawReenrol(StaffContext& c) {
  // Left: what to do; right: the token field and the keyboard to type it on.
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 140));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(kStaffMargin + 780);
  ImGui::TextUnformatted(c.tr("staff.reenrol_how").c_str());
  if (!c.staff.notice().empty()) {
    ImGui::Dummy(ImVec2(0, 12));
    drawNotice(c, c.staff.notice());
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  const float x = kStaffMargin + 860, fieldW = c.width() - kStaffMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 140));
  ImGui::BeginGroup();
  mutedText(c.tr("staff.reenrol_token"));
  ImGui::PushFont(c.host.fonts().small);  // 69 characters must fit on one line
  textField(c.targets, "reenrol-token", m_token, true, ImVec2(fieldW, 70));
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, 6));
  c.keyboard.draw(m_token, KeyboardLayout::kText, fieldW, c.targets, 200, c.tr);
  ImGui::Dummy(ImVec2(0, 6));
  if (c.button("reenrol-cancel", c.tr("staff.cancel"), 300, 90)) enter();
  ImGui::SameLine(0, 20);
  if (c.button("reenrol-submit", c.tr("staff.reenrol_submit"), fieldW - 320, 90, true) &&
      !c.staff.checking()) {
    c.staff.reenrol(m_token);  // head office answers in a later frame
  }
  if (c.staff.notice().key == "staff.reenrolled") enter();  // a token does not stay in memory
  ImGui::EndGroup();
}

}  // namespace smp::ui
