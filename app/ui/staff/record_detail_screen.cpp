#include "app/ui/staff/record_detail_screen.h"

#include <algorithm>
#include <vector>

#include "app/ui/staff/picture_grid.h"

namespace smp::ui {

using palette::kStaffMargin;

namespace {

// The left column: pictures, the note keyboard, the camera while retaking, the erase warning.
constexpr float kLeftColumnW = 800;

// The erase warning in full, wrapped to the left column, above the bottom row of buttons.
float eraseWarningHeight(StaffContext& c) {
  const std::string warning = c.tr("staff.erase_confirm");
  return ImGui::CalcTextSize(warning.c_str(), nullptr, false, kLeftColumnW).y;
}

}  // namespace

void RecordDetailScreen::reset() {
  m_note.clear();
  m_noteEditing = false;
  m_retaking = false;
  m_imagesOf.clear();
  m_images.clear();
}

void RecordDetailScreen::uploadImages(StaffContext& c, const core::RecordDetailView& view) {
  const std::string of = view.id + "/" + std::to_string(view.revision);
  if (m_imagesOf == of) return;
  m_images.clear();
  for (const auto& [role, image] : view.images) {
    auto texture = std::make_unique<ImageTexture>(c.host.renderer());
    texture->update(image);
    m_images[role] = std::move(texture);
  }
  m_imagesOf = of;
}

void RecordDetailScreen::draw(StaffContext& c) {
  drawStaffTabs(c);
  const core::RecordDetailView* view = c.staff.openRecordView();
  if (!view) return;
  uploadImages(c, *view);
  ImGui::SetCursorPos(ImVec2(kStaffMargin, 120));
  drawPictures(c);
  // Right: answers, flags, consent, actions. A fixed-height, scrolling panel: however many
  // answers and flags, it never reaches the bottom row where the erase button is.
  const float x = kStaffMargin + 840, panelW = c.width() - kStaffMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginChild("detail-panel", ImVec2(panelW, c.height() - 150 - 120), false);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(20, 8));
  ImGui::BeginGroup();
  drawAnswers(c, *view);
  drawActions(c, panelW);
  drawHeadOffice(c, *view);
  ImGui::EndGroup();
  ImGui::PopStyleVar();
  ImGui::EndChild();
  if (m_noteEditing) {
    // Over the pictures on the left, where there is room for the whole keyboard.
    ImGui::SetCursorPos(ImVec2(kStaffMargin, 120));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, palette::kStaffBackground);
    ImGui::BeginChild("note-keyboard", ImVec2(800, 560), false);
    c.keyboard.draw(m_note, KeyboardLayout::kText, 780, c.targets, 200, c.tr);
    if (c.button("note-done", c.tr("staff.done"), 260, 80, true)) m_noteEditing = false;
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  drawErase(c);
  if (!c.staff.eraseArmed()) drawPictureActions(c);
}

void RecordDetailScreen::drawPictureActions(StaffContext& c) {
  // Bottom right, in the row of the record's other actions and far from the erase button; the
  // detail panel above keeps its room for answers, notes and head office's follow-up.
  if (m_noteEditing || m_retaking || !c.staff.canRerender()) return;
  constexpr float kW = 380, kGap = 16;
  ImGui::SetCursorPos(ImVec2(c.width() - kStaffMargin - 2 * kW - kGap, c.height() - 130));
  ImGui::BeginDisabled(c.staff.rendering());  // one render at a time
  if (c.button("rerun-preview", c.tr("staff.rerun_preview"), kW, 90)) c.staff.rerunPreview();
  ImGui::SameLine(0, kGap);
  if (c.button("retake-photo", c.tr("staff.retake_photo"), kW, 90)) {
    m_retaking = true;
    m_noteEditing = false;
  }
  ImGui::EndDisabled();
}

void RecordDetailScreen::drawPictures(StaffContext& c) {
  ImGui::BeginGroup();
  if (m_retaking) {
    // Retake: the live camera where the pictures were; staff frame the client and take it.
    drawLiveCamera(c, kLeftColumnW - 20, 585);
    if (!c.camera.lastFrame().empty() &&
        c.button("retake-take", c.tr("photos.take"), 380, 90, true)) {
      c.staff.retakeFrontPhoto(c.camera.lastFrame());  // a new revision: new images follow
      m_retaking = false;
    }
    ImGui::SameLine(0, 16);
    if (c.button("retake-cancel", c.tr("staff.cancel"), 300, 90)) m_retaking = false;
  }
  m_shownPictures.clear();
  if (m_noteEditing || m_retaking) {  // the keyboard or camera takes this space
    ImGui::EndGroup();
    return;
  }
  std::vector<const char*> roles;
  std::vector<PictureSize> sizes;
  for (const char* role : {"front", "preview", "top", "preview-top", "signature"}) {
    const auto it = m_images.find(role);
    if (it == m_images.end()) continue;
    roles.push_back(role);
    sizes.push_back({it->second->width(), it->second->height()});
  }
  // From the top of the pictures to just above the bottom row of buttons (at height - 130), or
  // above the erase warning while erasure waits for its confirmation.
  const ImVec2 origin = ImGui::GetCursorPos();
  const float bottom =
      c.staff.eraseArmed() ? c.height() - 146 - eraseWarningHeight(c) - 16 : c.height() - 150;
  PictureGridRoom room;
  room.x = origin.x;
  room.y = origin.y;
  room.width = kLeftColumnW;
  room.height = bottom - origin.y;
  room.captionH = ImGui::GetTextLineHeightWithSpacing();
  m_shownPictures = layoutPictureGrid(sizes, room);
  for (size_t i = 0; i < m_shownPictures.size(); ++i) {
    const Rect& r = m_shownPictures[i];
    ImGui::SetCursorPos(ImVec2(r.x, r.y));
    ImGui::Image(reinterpret_cast<ImTextureID>(m_images.at(roles[i])->texture()), ImVec2(r.w, r.h));
    ImGui::SetCursorPos(ImVec2(r.x, r.y + r.h + 4));
    ImGui::TextUnformatted(c.tr(std::string("staff.image_") + roles[i]).c_str());
  }
  ImGui::EndGroup();
}

void RecordDetailScreen::drawAnswers(StaffContext& c, const core::RecordDetailView& v) {
  ImGui::PushFont(c.host.fonts().title);
  ImGui::TextUnformatted(v.clientName.c_str());
  ImGui::PopFont();
  auto line = [&](const std::string& key, const std::string& value) {
    mutedText(c.tr(key));
    ImGui::SameLine(300);
    ImGui::PushTextWrapPos(0.0f);  // a long value wraps inside the panel instead of being cut off
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopTextWrapPos();
  };
  // Translated like the client saw them; a choice the client skipped shows as a dash.
  auto choice = [&](const std::string& key) { return key.empty() ? std::string("-") : c.tr(key); };
  line("staff.field_concern", c.tr(v.concernKey));
  line("staff.field_stage", v.stage);
  line("staff.field_phone", v.phone);
  line("staff.field_email", v.email);
  line("staff.field_look", choice(v.hairlineKey) + " / " + choice(v.densityKey));
  // The parameters the preview was rendered with, so staff can say what the client chose.
  if (v.preview) {
    const core::PreviewSummary& p = *v.preview;
    std::string summary = c.tr.format(
        "staff.preview_params", {p.densityPerCm2, p.dotDiameterMm, p.sessionStage, p.dotCount});
    if (!p.yearsAged.empty()) summary += c.tr.format("staff.preview_aged", {p.yearsAged});
    line("staff.field_preview", summary);
  }
  line("staff.field_consent", v.consentedAt + "  " + v.consentHashShort);
  if (!v.keptUntil.empty()) line("staff.field_kept_until", v.keptUntil);
  line("staff.field_marketing", c.tr(v.marketingConsent ? "health.yes" : "health.no"));
  ImGui::PushTextWrapPos(c.width() - kStaffMargin);
  if (v.healthFlagKeys.empty()) {
    mutedText(c.tr("staff.no_flags"));
  } else {
    for (const auto& key : v.healthFlagKeys)
      coloredText(palette::kWarn, "\xE2\x80\xA2 " + c.tr(key));
  }
  ImGui::PopTextWrapPos();
  if (!v.statusKey.empty()) line("staff.field_status", c.tr(v.statusKey) + "  " + v.statusNote);
  // Head office's latest word in one line; its notes follow the actions (drawHeadOffice).
  if (!v.headOffice.empty()) {
    const auto& latest = v.headOffice.back();
    line("staff.field_head_office",
         c.tr(latest.statusKey) + "  \xC2\xB7  " + latest.when + "  " + latest.author);
  }
}

void RecordDetailScreen::drawActions(StaffContext& c, float panelW) {
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(c.tr("staff.note").c_str());
  // The note field opens the keyboard over the pictures; the answers stay where they are.
  if (textField(c.targets, "note-field", m_note, m_noteEditing, ImVec2(panelW, 70)))
    m_noteEditing = true;
  const float half = (panelW - 12) / 2;
  if (c.button("status:onboarded", c.tr("staff.mark_onboarded"), half, 80)) {
    c.staff.setStatus("onboarded", m_note);
    m_note.clear();
    m_noteEditing = false;
  }
  ImGui::SameLine(0, 12);
  if (c.button("status:booked", c.tr("staff.mark_booked"), half, 80, true)) {
    c.staff.setStatus("booked", m_note);
    m_note.clear();
    m_noteEditing = false;
  }
  ImGui::PushTextWrapPos(0.0f);
  drawNotice(c, c.staff.notice());
  ImGui::PopTextWrapPos();
}

void RecordDetailScreen::drawHeadOffice(StaffContext& c, const core::RecordDetailView& v) {
  // Below the actions, so however many notes head office wrote, the buttons stay in place.
  if (v.headOffice.empty()) return;
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(c.tr("staff.head_office_notes").c_str());
  // Newest first: what the clinic's manager wrote after calling the client.
  ImGui::PushTextWrapPos(0.0f);
  for (auto it = v.headOffice.rbegin(); it != v.headOffice.rend(); ++it) {
    mutedText(c.tr(it->statusKey) + "  \xC2\xB7  " + it->when + "  " + it->author);
    if (!it->note.empty()) ImGui::TextUnformatted(it->note.c_str());
  }
  ImGui::PopTextWrapPos();
}

void RecordDetailScreen::drawErase(StaffContext& c) {
  // Erasure: two confirmations, at the bottom left, away from the everyday buttons.
  const float h = c.height();
  ImGui::SetCursorPos(ImVec2(kStaffMargin, h - 130));
  if (!c.staff.eraseArmed()) {
    if (c.button("back-to-list", c.tr("staff.back_to_list"), 240, 90))
      c.staff.show(core::StaffScreen::kRecords);
    ImGui::SameLine(0, 16);
    if (c.button("edit", c.tr("staff.edit"), 240, 90)) c.staff.beginEdit();
    ImGui::SameLine(0, 40);
    if (c.button("erase", c.tr("staff.erase"), 300, 90)) c.staff.armErase();
    return;
  }
  // Armed: the warning in full above, a way out, and the confirmation; all in the left column
  // so nothing else is under the finger.
  // Wrapped to the left column: the detail panel on the right would cover a longer line.
  const std::string warning = c.tr("staff.erase_confirm");
  const float textH = eraseWarningHeight(c);
  ImGui::SetCursorPos(ImVec2(kStaffMargin, h - 146 - textH));
  ImGui::PushTextWrapPos(kStaffMargin + kLeftColumnW);
  coloredText(palette::kWarn, warning);
  ImGui::PopTextWrapPos();
  ImGui::SetCursorPos(ImVec2(kStaffMargin, h - 130));
  if (c.button("erase-keep", c.tr("staff.erase_keep"), 240, 90))
    c.staff.show(core::StaffScreen::kDetail);
  ImGui::SameLine(0, 16);
  if (button(c.targets, "erase-confirm", c.tr("staff.erase_now"), ImVec2(520, 90),
             ButtonKind::kDanger)) {
    c.staff.confirmErase();
    reset();
  }
}

}  // namespace smp::ui
