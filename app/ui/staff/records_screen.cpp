#include "app/ui/staff/records_screen.h"

namespace smp::ui {

using palette::kStaffMargin;

void drawRecordsScreen(StaffContext& c) {
  drawStaffTabs(c);
  const float listW = 1080;
  auto& q = c.staff.query();
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 120));
  ImGui::BeginChild("records", ImVec2(listW, c.height() - 160), true);
  std::string open;
  const auto& rows = c.staff.records();
  if (rows.empty()) ImGui::TextUnformatted(c.tr("staff.no_records").c_str());
  if (c.staff.recordsSealed()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kWarn);
    ImGui::TextWrapped("%s", c.tr("staff.records_sealed").c_str());
    ImGui::PopStyleColor();
  }
  for (const core::RecordRow& r : rows) {
    const std::string label = r.purged   ? c.tr("staff.purged_row") + "\n" + r.when
                              : r.sealed ? c.tr("staff.record_sealed_row") + "\n" + r.when
                                         : r.clientName + "   " + r.phone + "\n" + r.when;
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    if (c.button("record:" + r.id, label + "##" + r.id, listW - 60, 100)) open = r.id;
    ImGui::PopStyleVar();
    // Badges at the right end of the row: flags, sync state, status.
    const ImVec2 max = ImGui::GetItemRectMax();
    std::string badges;
    if (r.flagged) badges += c.tr("staff.flagged") + "  ";
    badges += c.tr(r.syncKey);
    if (!r.statusKey.empty()) badges += "  " + c.tr(r.statusKey);
    const ImVec2 size = ImGui::CalcTextSize(badges.c_str());
    ImGui::GetWindowDrawList()->AddText(
        ImVec2(max.x - size.x - 20, max.y - 44),
        ImGui::GetColorU32(r.flagged || r.quarantined ? palette::kWarn : palette::kMuted),
        badges.c_str());
  }
  ImGui::EndChild();
  // Opened after the loop: opening may change the list the loop walks.
  if (!open.empty()) c.staff.openRecord(open);
  // Search and filters on the right.
  const float x = kStaffMargin + listW + 40, panelW = c.width() - kStaffMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(c.tr("staff.search").c_str());
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette::kWhite);
  ImGui::BeginChild("search", ImVec2(panelW, 76), true);
  ImGui::TextUnformatted((q.text + "|").c_str());
  ImGui::EndChild();
  ImGui::PopStyleColor();
  if (c.button("filter:flagged", c.tr("staff.filter_flagged"), panelW, 70, false, q.flaggedOnly))
    q.flaggedOnly = !q.flaggedOnly;
  if (c.button("filter:pending", c.tr("staff.filter_pending"), panelW, 70, false, q.pendingOnly))
    q.pendingOnly = !q.pendingOnly;
  if (c.button("filter:quarantined", c.tr("staff.filter_quarantined"), panelW, 70, false,
               q.quarantinedOnly)) {
    q.quarantinedOnly = !q.quarantinedOnly;
  }
  c.keyboard.draw(q.text, KeyboardLayout::kEmail, panelW, c.targets, 40, c.tr);
  ImGui::EndGroup();
  if (!c.staff.notice().empty()) {
    ImGui::SetCursorPos(ImVec2(x, c.height() - 60));
    drawNotice(c, c.staff.notice());
  }
}

}  // namespace smp::ui
