// Staff screens. Sizes as for the client screens: targets of at least 60 px, high contrast.
#include "app/ui/staff_screens.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "app/core/consultation_draft.h"
#include "app/imageio/image_io.h"
#include "app/ui/staff_style.h"

namespace smp::ui {
namespace {

using namespace staff_style;

constexpr float kCorner = 120.0f;

std::string ago(std::int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " d";
}

// "norwood-3" -> "Norwood III": how clinicians write the scales.
std::string stageName(const std::string& stage) {
  static const char* kRoman[] = {"I", "II", "III", "IV", "V", "VI", "VII"};
  const auto dash = stage.find('-');
  if (dash == std::string::npos || stage.size() != dash + 2) return stage;
  const int n = stage[dash + 1] - '0';
  if (n < 1 || n > 7) return stage;
  std::string name = stage.substr(0, dash);
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name + " " + kRoman[n - 1];
}

}  // namespace

StaffScreens::StaffScreens(SdlHost& host, core::StaffMode& staff, core::Translations& tr,
                           platform::CameraSlot& camera)
    : m_host(host), m_staff(staff), m_tr(tr), m_cameraFeed(host.renderer(), camera) {}

bool StaffScreens::button(const std::string& name, const std::string& label, float w, float h,
                          bool primary, bool selected) {
  const bool filled = primary || selected;
  if (filled) {
    ImGui::PushStyleColor(ImGuiCol_Button, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  }
  ImGui::PushID(name.c_str());
  const bool pressed =
      ImGui::Button((selected ? "\xE2\x9C\x93 " + label : label).c_str(), ImVec2(w, h));
  ImGui::PopID();
  if (filled) ImGui::PopStyleColor(4);
  m_targets.addLastItem(name);
  return pressed;
}

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

void StaffScreens::draw(Clock::time_point now) {
  m_targets.clear();
  m_host.setTextScale(1.0f);  // a client's large-text choice is theirs, not staff's
  if (ImGui::IsMouseDown(0)) m_staff.touched(now);
  m_staff.tick(now);
  if (!m_staff.active()) return;
  if (m_staff.screen() != core::StaffScreen::kSettings) m_settingsLoaded = false;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(
      ImVec2(static_cast<float>(m_host.width()), static_cast<float>(m_host.height())));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.93f, 0.94f, 0.95f, 1.0f));
  ImGui::Begin(
      "staff", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  switch (m_staff.screen()) {
    case core::StaffScreen::kPin:
      drawPin(now);
      break;
    case core::StaffScreen::kRecords:
      drawRecords();
      break;
    case core::StaffScreen::kDetail:
      drawDetail();
      break;
    case core::StaffScreen::kEdit:
      drawEdit();
      break;
    case core::StaffScreen::kSyncHealth:
      drawSyncHealth(now);
      break;
    case core::StaffScreen::kSettings:
      drawSettings();
      break;
    case core::StaffScreen::kTeam:
      drawTeam();
      break;
    case core::StaffScreen::kClosed:
      break;
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

void StaffScreens::drawTabs() {
  ImGui::SetCursorPos(ImVec2(kMargin, 24));
  const auto screen = m_staff.screen();
  if (button("tab:records", m_tr("staff.records"), 260, 70, false,
             screen == core::StaffScreen::kRecords || screen == core::StaffScreen::kDetail)) {
    m_staff.show(core::StaffScreen::kRecords);
  }
  ImGui::SameLine(0, 12);
  if (button("tab:sync", m_tr("staff.sync_health"), 300, 70, false,
             screen == core::StaffScreen::kSyncHealth)) {
    m_staff.show(core::StaffScreen::kSyncHealth);
  }
  ImGui::SameLine(0, 12);
  if (button("tab:settings", m_tr("staff.settings"), 260, 70, false,
             screen == core::StaffScreen::kSettings)) {
    m_staff.show(core::StaffScreen::kSettings);
  }
  if (m_staff.isAdmin()) {
    ImGui::SameLine(0, 12);
    if (button("tab:team", m_tr("staff.team"), 220, 70, false,
               screen == core::StaffScreen::kTeam)) {
      m_staff.show(core::StaffScreen::kTeam);
      m_teamField = 0;
      m_keyboard.capitalizeNext();  // a name starts with a capital
    }
  }
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(w - kMargin - 260 - 20 - 420, 44));
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(
      m_tr.format("staff.signed_in", {m_staff.staff() ? m_staff.staff()->name : ""}).c_str());
  ImGui::PopStyleColor();
  ImGui::SetCursorPos(ImVec2(w - kMargin - 260, 24));
  if (button("logout", m_tr("staff.logout"), 260, 70, true)) m_staff.logout();
}

void StaffScreens::drawPin(Clock::time_point now) {
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(kMargin, 40));
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr("staff.title").c_str());
  ImGui::PopFont();
  ImGui::SetCursorPos(ImVec2(kMargin, 160));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(m_tr("staff.who").c_str());
  for (const auto& m : m_staff.members()) {
    if (button("who:" + m.id, m.name, 520, 80, false, m_staff.chosenStaff() == m.id))
      m_staff.chooseStaff(m.id);
  }
  ImGui::EndGroup();
  const float padX = w / 2 + 40;
  ImGui::SetCursorPos(ImVec2(padX, 160));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(m_tr("staff.pin").c_str());
  ImGui::PushFont(m_host.fonts().title);
  std::string dots;
  for (std::size_t i = 0; i < m_staff.pinEntered().size(); ++i) dots += "\xE2\x80\xA2 ";
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  ImGui::PopFont();
  static const char* kKeys = "123456789";
  for (int i = 0; i < 9; ++i) {
    if (i % 3) ImGui::SameLine(0, 12);
    if (button(std::string("pin:") + kKeys[i], std::string(1, kKeys[i]), 160, 100))
      m_staff.pinDigit(kKeys[i]);
  }
  if (button("pin:delete", m_tr("keyboard.delete"), 160, 100)) m_staff.pinDelete();
  ImGui::SameLine(0, 12);
  if (button("pin:0", "0", 160, 100)) m_staff.pinDigit('0');
  ImGui::SameLine(0, 12);
  if (button("pin:ok", "OK", 160, 100, true)) m_staff.submitPin(now);
  // Messages carry their number after a colon: "staff.pin_wrong:3".
  const std::string& msg = m_staff.message();
  if (!msg.empty()) {
    const auto colon = msg.find(':');
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::PushTextWrapPos(w - kMargin);
    ImGui::TextUnformatted(
        colon == std::string::npos
            ? m_tr(msg).c_str()
            : m_tr.format(msg.substr(0, colon), {msg.substr(colon + 1)}).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  ImGui::EndGroup();
  ImGui::SetCursorPos(ImVec2(kMargin, static_cast<float>(m_host.height()) - 140));
  if (button("cancel", m_tr("staff.cancel"), 300, 100)) m_staff.cancel();
}

void StaffScreens::drawRecords() {
  drawTabs();
  const float w = static_cast<float>(m_host.width()), h = static_cast<float>(m_host.height());
  const float listW = 1080;
  auto& q = m_staff.query();
  ImGui::SetCursorPos(ImVec2(kMargin, 120));
  ImGui::BeginChild("records", ImVec2(listW, h - 160), true);
  const auto rows = m_staff.records();
  if (rows.empty()) ImGui::TextUnformatted(m_tr("staff.no_records").c_str());
  for (const auto& r : rows) {
    std::string when = r.createdAt.substr(0, 16);
    if (when.size() > 10) when[10] = ' ';
    std::string label = r.syncState == "purged" ? m_tr("staff.purged_row") + "\n" + when
                                                : r.clientName + "   " + r.phone + "\n" + when;
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    const bool open = button("record:" + r.id, label + "##" + r.id, listW - 60, 100);
    ImGui::PopStyleVar();
    // Badges at the right end of the row: flags, sync state, status.
    const ImVec2 max = ImGui::GetItemRectMax();
    std::string badges;
    if (r.healthFlags > 0) badges += m_tr("staff.flagged") + "  ";
    badges += m_tr("staff.sync_" + r.syncState);
    if (!r.staffStatus.empty()) badges += "  " + m_tr("staff.status_" + r.staffStatus);
    const ImVec2 size = ImGui::CalcTextSize(badges.c_str());
    ImGui::GetWindowDrawList()->AddText(ImVec2(max.x - size.x - 20, max.y - 44),
                                        r.healthFlags > 0 || r.syncState == "quarantined"
                                            ? IM_COL32(140, 40, 12, 255)
                                            : IM_COL32(60, 62, 70, 255),
                                        badges.c_str());
    if (open) m_staff.openRecord(r.id);
  }
  ImGui::EndChild();
  // Search and filters on the right.
  const float x = kMargin + listW + 40, panelW = w - kMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(m_tr("staff.search").c_str());
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
  ImGui::BeginChild("search", ImVec2(panelW, 76), true);
  ImGui::TextUnformatted((q.text + "|").c_str());
  ImGui::EndChild();
  ImGui::PopStyleColor();
  if (button("filter:flagged", m_tr("staff.filter_flagged"), panelW, 70, false, q.flaggedOnly))
    q.flaggedOnly = !q.flaggedOnly;
  if (button("filter:pending", m_tr("staff.filter_pending"), panelW, 70, false, q.pendingOnly))
    q.pendingOnly = !q.pendingOnly;
  if (button("filter:quarantined", m_tr("staff.filter_quarantined"), panelW, 70, false,
             q.quarantinedOnly)) {
    q.quarantinedOnly = !q.quarantinedOnly;
  }
  m_keyboard.draw(q.text, KeyboardLayout::kEmail, panelW, m_targets, 40, m_tr);
  ImGui::EndGroup();
  if (!m_staff.message().empty()) {
    ImGui::SetCursorPos(ImVec2(x, h - 60));
    ImGui::TextUnformatted(m_tr(m_staff.message()).c_str());
  }
}

void StaffScreens::loadRecordImages() {
  if (m_imagesFor == m_staff.openId()) return;
  m_images.clear();
  m_imagesFor = m_staff.openId();
  const auto record = m_staff.openRecordData();
  if (!record) return;
  auto load = [&](const protocol::BlobRef& ref) {
    const auto bytes = m_staff.blob(ref.sha256);
    if (!bytes) return;
    try {
      auto t = std::make_unique<ImageTexture>(m_host.renderer());
      t->update(imageio::decodeRgb(*bytes, ref.role));
      m_images[ref.role] = std::move(t);
    } catch (const std::exception&) {
      // A damaged image is shown as missing; the record itself stays readable.
    }
  };
  for (const auto& p : record->photos) load(p);
  for (const auto& p : record->previews) load(p);
}

void StaffScreens::drawDetail() {
  drawTabs();
  loadRecordImages();
  const auto record = m_staff.openRecordData();
  if (!record) return;
  const float w = static_cast<float>(m_host.width()), h = static_cast<float>(m_host.height());
  // Left: the pictures.
  ImGui::SetCursorPos(ImVec2(kMargin, 120));
  ImGui::BeginGroup();
  int shown = 0;
  if (m_retaking) {
    // Retake: the live camera where the pictures were; staff frame the client and take it.
    drawLiveCamera(780, 585);
    if (!m_cameraFeed.lastFrame().empty() &&
        button("retake-take", m_tr("photos.take"), 380, 90, true)) {
      m_staff.retakeFrontPhoto(m_cameraFeed.lastFrame());
      m_retaking = false;
      m_imagesFor.clear();  // reload the new photo and preview
    }
    ImGui::SameLine(0, 16);
    if (button("retake-cancel", m_tr("staff.cancel"), 300, 90)) m_retaking = false;
  }
  for (const char* role : {"front", "preview", "top", "signature"}) {
    if (m_noteEditing || m_retaking) break;  // the keyboard or camera takes this space
    auto it = m_images.find(role);
    if (it == m_images.end()) continue;
    if (shown % 2) ImGui::SameLine(0, 16);
    ImGui::BeginGroup();
    const float scale = std::min(400.0f / static_cast<float>(it->second->width()),
                                 300.0f / static_cast<float>(it->second->height()));
    ImGui::Image(reinterpret_cast<ImTextureID>(it->second->texture()),
                 ImVec2(static_cast<float>(it->second->width()) * scale,
                        static_cast<float>(it->second->height()) * scale));
    ImGui::TextUnformatted(m_tr(std::string("staff.image_") + role).c_str());
    ImGui::EndGroup();
    ++shown;
  }
  ImGui::EndGroup();
  // Right: answers, flags, consent, actions.
  const float x = kMargin + 840, panelW = w - kMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 120));
  // A fixed-height, scrolling panel: however many answers and flags, it never reaches the
  // bottom row where the erase button is.
  ImGui::BeginChild("detail-panel", ImVec2(panelW, h - 150 - 120), false);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(20, 8));
  ImGui::BeginGroup();
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(record->clientName.c_str());
  ImGui::PopFont();
  const auto& in = record->intake;
  auto line = [&](const std::string& key, const std::string& value) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted(m_tr(key).c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(300);
    ImGui::PushTextWrapPos(0.0f);  // a long value wraps inside the panel instead of being cut off
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopTextWrapPos();
  };
  line("staff.field_concern", m_tr("concern." + record->concern));
  line("staff.field_stage", stageName(in.value("loss_stage", "")));
  line("staff.field_phone", in.value("phone", ""));
  line("staff.field_email", in.value("email", ""));
  // Translated like the client saw them; a choice the client skipped shows as a dash.
  const std::string hairline = in.value("desired_hairline", "");
  const std::string density = in.value("desired_density", "");
  line("staff.field_look", (hairline.empty() ? std::string("-") : m_tr("hairline." + hairline)) +
                               " / " +
                               (density.empty() ? std::string("-") : m_tr("density." + density)));
  // The parameters the preview was rendered with, so staff can say what the client chose.
  const auto& params = record->previewParams;
  if (params.contains("density_per_cm2")) {
    auto fixed = [](double v, int decimals) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
      return std::string(buf);
    };
    std::string summary =
        m_tr.format("staff.preview_params", {fixed(params.value("density_per_cm2", 0.0), 0),
                                             fixed(params.value("dot_diameter_mm", 0.0), 2),
                                             std::to_string(params.value("session_stage", 0)),
                                             std::to_string(params.value("dot_count", 0))});
    const double years = params.value("years_since_session", 0.0);
    if (years > 0) summary += m_tr.format("staff.preview_aged", {fixed(years, 0)});
    line("staff.field_preview", summary);
  }
  line("staff.field_consent", record->consentedAt + "  " + record->consentTextSha256.substr(0, 12));
  if (const std::string until = m_staff.openRecordKeptUntil(); !until.empty())
    line("staff.field_kept_until", until);
  line("staff.field_marketing",
       in.value("marketing_photo_consent", false) ? m_tr("health.yes") : m_tr("health.no"));
  const auto flags = in.value("health_flags", nlohmann::json::array());
  ImGui::PushStyleColor(ImGuiCol_Text, flags.empty() ? kMuted : kWarn);
  ImGui::PushTextWrapPos(w - kMargin);
  if (flags.empty()) {
    ImGui::TextUnformatted(m_tr("staff.no_flags").c_str());
  } else {
    for (const auto& f : flags)
      ImGui::TextUnformatted(("\xE2\x80\xA2 " + m_tr("health." + f.get<std::string>())).c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  if (in.contains("staff_status")) {
    line("staff.field_status", m_tr("staff.status_" + in["staff_status"].value("status", "")) +
                                   "  " + in["staff_status"].value("note", ""));
  }
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(m_tr("staff.note").c_str());
  // The note field opens the keyboard below the status buttons; the answers stay above.
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
  if (ImGui::Button((m_note + (m_noteEditing ? "|" : "") + "##note").c_str(), ImVec2(panelW, 70)))
    m_noteEditing = true;
  m_targets.addLastItem("note-field");
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  if (button("status:onboarded", m_tr("staff.mark_onboarded"), (panelW - 12) / 2, 80)) {
    m_staff.setStatus("onboarded", m_note);
    m_note.clear();
    m_noteEditing = false;
  }
  ImGui::SameLine(0, 12);
  if (button("status:booked", m_tr("staff.mark_booked"), (panelW - 12) / 2, 80, true)) {
    m_staff.setStatus("booked", m_note);
    m_note.clear();
    m_noteEditing = false;
  }
  if (m_staff.canRerender()) {
    if (button("rerun-preview", m_tr("staff.rerun_preview"), (panelW - 12) / 2, 80)) {
      if (m_staff.rerunPreview()) m_imagesFor.clear();
    }
    ImGui::SameLine(0, 12);
    if (button("retake-photo", m_tr("staff.retake_photo"), (panelW - 12) / 2, 80)) {
      m_retaking = true;
      m_noteEditing = false;
    }
  }
  ImGui::EndGroup();
  ImGui::PopStyleVar();
  ImGui::EndChild();
  if (m_noteEditing) {
    // Over the pictures on the left, where there is room for the whole keyboard.
    ImGui::SetCursorPos(ImVec2(kMargin, 120));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.93f, 0.94f, 0.95f, 1.0f));
    ImGui::BeginChild("note-keyboard", ImVec2(800, 560), false);
    m_keyboard.draw(m_note, KeyboardLayout::kText, 780, m_targets, 200, m_tr);
    if (button("note-done", m_tr("staff.done"), 260, 80, true)) m_noteEditing = false;
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  // Erasure: two confirmations, at the bottom left, away from the everyday buttons.
  ImGui::SetCursorPos(ImVec2(kMargin, h - 130));
  if (!m_staff.eraseArmed() && button("back-to-list", m_tr("staff.back_to_list"), 240, 90))
    m_staff.show(core::StaffScreen::kRecords);
  if (!m_staff.eraseArmed()) ImGui::SameLine(0, 16);
  if (!m_staff.eraseArmed() && button("edit", m_tr("staff.edit"), 240, 90)) {
    m_staff.beginEdit();
    m_editField = 0;
  }
  ImGui::SameLine(0, 40);
  if (!m_staff.eraseArmed()) {
    if (button("erase", m_tr("staff.erase"), 300, 90)) m_staff.armErase();
  } else {
    // Armed: the warning in full above, a way out, and the confirmation; all in the left
    // column so nothing else is under the finger.
    ImGui::SetCursorPos(ImVec2(kMargin, h - 180));
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextUnformatted(m_tr("staff.erase_confirm").c_str());
    ImGui::PopStyleColor();
    ImGui::SetCursorPos(ImVec2(kMargin, h - 130));
    if (button("erase-keep", m_tr("staff.erase_keep"), 240, 90))
      m_staff.show(core::StaffScreen::kDetail);
    ImGui::SameLine(0, 16);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.6f, 0.12f, 0.05f, 1));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    const bool confirm = ImGui::Button(m_tr("staff.erase_now").c_str(), ImVec2(520, 90));
    m_targets.addLastItem("erase-confirm");
    ImGui::PopStyleColor(2);
    if (confirm) {
      m_staff.confirmErase();
      m_imagesFor.clear();
      m_images.clear();
    }
  }
}

void StaffScreens::drawEdit() {
  drawTabs();
  auto& e = m_staff.edits();
  const float w = static_cast<float>(m_host.width()), h = static_cast<float>(m_host.height());
  // Left: the three contact fields and the keyboard for the selected one.
  ImGui::SetCursorPos(ImVec2(kMargin, 120));
  ImGui::BeginGroup();
  struct Field {
    int index;
    const char* labelKey;
    std::string* value;
  };
  const Field fields[] = {{0, "contact.name", &e.clientName},
                          {1, "contact.phone", &e.phone},
                          {2, "contact.email", &e.email}};
  for (const Field& f : fields) {
    ImGui::TextUnformatted(m_tr(f.labelKey).c_str());
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    const std::string label =
        *f.value + (m_editField == f.index ? "|" : "") + "##edit" + std::to_string(f.index);
    if (ImGui::Button(label.c_str(), ImVec2(840, 70))) m_editField = f.index;
    m_targets.addLastItem("edit-field:" + std::to_string(f.index));
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
  }
  ImGui::Dummy(ImVec2(0, 6));
  const KeyboardLayout layout = m_editField == 1   ? KeyboardLayout::kPhone
                                : m_editField == 2 ? KeyboardLayout::kEmail
                                                   : KeyboardLayout::kText;
  m_keyboard.draw(*fields[m_editField].value, layout, m_editField == 1 ? 500 : 840, m_targets,
                  m_editField == 0 ? 100 : 120, m_tr);
  ImGui::EndGroup();
  // Right: the health answers.
  const float x = kMargin + 900;
  ImGui::SetCursorPos(ImVec2(x, 120));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(w - kMargin - 300);
  for (const auto& q : core::kHealthQuestions) {
    const float y = ImGui::GetCursorPosY();
    ImGui::PushFont(m_host.fonts().small);
    ImGui::TextUnformatted(m_tr("health." + q).c_str());
    ImGui::PopFont();
    ImGui::SetCursorPos(ImVec2(w - kMargin - 290, y));
    const auto it = e.health.find(q);
    if (button("edit-health:" + q + ":yes", m_tr("health.yes"), 140, 64, false,
               it != e.health.end() && it->second)) {
      e.health[q] = true;
    }
    ImGui::SameLine(0, 10);
    if (button("edit-health:" + q + ":no", m_tr("health.no"), 140, 64, false,
               it != e.health.end() && !it->second)) {
      e.health[q] = false;
    }
    ImGui::SetCursorPos(ImVec2(x, y + 74));
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  // Under the health answers: the keyboard fills the left column to the bottom.
  ImGui::SetCursorPos(ImVec2(x, h - 130));
  if (button("edit-cancel", m_tr("staff.cancel"), 300, 90))
    m_staff.show(core::StaffScreen::kDetail);
  ImGui::SameLine(0, 40);
  if (button("edit-save", m_tr("staff.save_changes"), 400, 90, true)) m_staff.saveEdits();
  if (!m_staff.message().empty()) {
    ImGui::SameLine(0, 40);
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextUnformatted(m_tr(m_staff.message()).c_str());
    ImGui::PopStyleColor();
  }
}

void StaffScreens::drawReenrol() {
  const float w = static_cast<float>(m_host.width());
  // Left: what to do; right: the token field and the keyboard to type it on.
  ImGui::SetCursorPos(ImVec2(kMargin, 140));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(kMargin + 780);
  ImGui::TextUnformatted(m_tr("staff.reenrol_how").c_str());
  const std::string& msg = m_staff.message();
  if (!msg.empty()) {
    ImGui::Dummy(ImVec2(0, 12));
    ImGui::PushStyleColor(ImGuiCol_Text, msg == "staff.checking" ? kMuted : kWarn);
    ImGui::TextUnformatted(m_tr(msg).c_str());
    ImGui::PopStyleColor();
    if (!m_staff.messageDetail().empty()) {
      ImGui::PushFont(m_host.fonts().small);
      ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
      ImGui::TextUnformatted(m_staff.messageDetail().c_str());
      ImGui::PopStyleColor();
      ImGui::PopFont();
    }
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  const float x = kMargin + 860, fieldW = w - kMargin - x;
  ImGui::SetCursorPos(ImVec2(x, 140));
  ImGui::BeginGroup();
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m_tr("staff.reenrol_token").c_str());
  ImGui::PopStyleColor();
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
  ImGui::PushFont(m_host.fonts().small);  // 69 characters must fit on one line
  ImGui::Button((m_token + "|##reenrol-token").c_str(), ImVec2(fieldW, 70));
  ImGui::PopFont();
  m_targets.addLastItem("reenrol-token");
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, 6));
  m_keyboard.draw(m_token, KeyboardLayout::kText, fieldW, m_targets, 200, m_tr);
  ImGui::Dummy(ImVec2(0, 6));
  if (button("reenrol-cancel", m_tr("staff.cancel"), 300, 90)) {
    m_reenrolling = false;
    m_token.clear();
  }
  ImGui::SameLine(0, 20);
  if (button("reenrol-submit", m_tr("staff.reenrol_submit"), fieldW - 320, 90, true) &&
      !m_staff.checking()) {
    m_staff.reenrol(m_token);  // head office answers in a later frame
  }
  if (m_staff.message() == "staff.reenrolled") {
    m_reenrolling = false;
    m_token.clear();  // a token is a secret: it does not stay in memory
  }
  ImGui::EndGroup();
}

void StaffScreens::drawSyncHealth(Clock::time_point now) {
  drawTabs();
  if (m_reenrolling) return drawReenrol();
  const core::SyncHealth s = m_staff.syncHealth(now);
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(kMargin, 140));
  ImGui::BeginGroup();
  ImGui::PushFont(m_host.fonts().title);
  ImGui::PushStyleColor(ImGuiCol_Text, s.online ? kPrimary : kWarn);
  ImGui::TextUnformatted(m_tr(s.online ? "staff.online" : "staff.offline").c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::TextUnformatted(m_tr.format("staff.pending", {std::to_string(s.pending)}).c_str());
  if (s.oldestPendingSeconds) {
    ImGui::PushStyleColor(ImGuiCol_Text,
                          s.oldestPendingWarning ? kWarn : ImVec4(0.1f, 0.11f, 0.13f, 1));
    ImGui::TextUnformatted(m_tr.format("staff.oldest", {ago(*s.oldestPendingSeconds)}).c_str());
    if (s.oldestPendingWarning) ImGui::TextUnformatted(m_tr("staff.oldest_warning").c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PushTextWrapPos(w - kMargin);
  ImGui::TextUnformatted(m_tr.format("staff.last_result", {s.lastResult}).c_str());
  if (!s.lastSyncAt.empty())
    ImGui::TextUnformatted(m_tr.format("staff.last_at", {s.lastSyncAt}).c_str());
  if (s.needsReenrolment) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextUnformatted(m_tr("staff.reenrol").c_str());
    ImGui::PopStyleColor();
  }
  if (m_staff.message() == "staff.reenrolled") {
    ImGui::PushStyleColor(ImGuiCol_Text, kPrimary);
    ImGui::TextUnformatted(m_tr("staff.reenrolled").c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 10));
  if (button("sync-now", m_tr("staff.sync_now"), 360, 90, true)) m_staff.syncNow();
  if (s.needsReenrolment && m_staff.isAdmin()) {
    ImGui::SameLine(0, 20);
    if (button("reenrol-open", m_tr("staff.reenrol_open"), 420, 90)) {
      m_reenrolling = true;
      m_token.clear();
    }
  }
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(
      m_tr.format("staff.quarantined", {std::to_string(s.quarantined.size())}).c_str());
  for (const auto& q : s.quarantined) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextUnformatted(
        (q.consultationId.substr(0, 8) + "  " + q.lastError.substr(0, 100)).c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(w - kMargin - 300);
    if (button("release:" + q.consultationId, m_tr("staff.release"), 300, 70))
      m_staff.releaseQuarantine(q);
  }
  ImGui::EndGroup();
}

void StaffScreens::drawLiveCamera(float maxW, float maxH) {
  m_cameraFeed.poll();
  if (!m_cameraFeed.showing()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + maxW);
    m_cameraFeed.drawUnavailable(m_tr, m_host.fonts().small);
    ImGui::PopTextWrapPos();
    return;
  }
  const ImageTexture& texture = m_cameraFeed.texture();
  const float scale = std::min(maxW / static_cast<float>(texture.width()),
                               maxH / static_cast<float>(texture.height()));
  ImGui::Image(reinterpret_cast<ImTextureID>(texture.texture()),
               ImVec2(static_cast<float>(texture.width()) * scale,
                      static_cast<float>(texture.height()) * scale));
}

void StaffScreens::drawTeam() {
  drawTabs();
  const float w = static_cast<float>(m_host.width());
  // Left: who can sign in, each with a two-step remove.
  ImGui::SetCursorPos(ImVec2(kMargin, 130));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(m_tr("staff.team_members").c_str());
  for (const auto& m : m_staff.members()) {
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(kMargin, y + 18));
    ImGui::TextUnformatted(
        (m.name + (m.admin ? "  (" + m_tr("staff.team_admin_badge") + ")" : "")).c_str());
    ImGui::SetCursorPos(ImVec2(kMargin + 340, y));
    if (m_staff.removeArmed() == m.id) {
      if (button("team-keep:" + m.id, m_tr("staff.team_keep"), 160, 70)) m_staff.disarmRemove();
      ImGui::SameLine(0, 12);
      if (button("team-remove-confirm:" + m.id, m_tr("staff.team_remove_confirm"), 330, 70, true))
        m_staff.confirmRemove();
    } else if (!m_staff.staff() || m.id != m_staff.staff()->id) {
      if (button("team-remove:" + m.id, m_tr("staff.team_remove"), 180, 70))
        m_staff.armRemove(m.id);
    } else {
      ImGui::Dummy(ImVec2(180, 70));
    }
  }
  ImGui::EndGroup();

  // Right: the form for a new member; the keyboard or keypad for the selected field below it.
  auto& form = m_staff.newStaff();
  const float x = kMargin + 900, fieldW = w - kMargin - x, halfW = (fieldW - 20) / 2;
  ImGui::SetCursorPos(ImVec2(x, 130));
  ImGui::BeginGroup();
  // The heading line doubles as the outcome line: seen where the admin is looking, and the
  // keyboard below never moves.
  const std::string& msg = m_staff.message();
  const bool good = msg == "staff.team_added" || msg == "staff.team_removed";
  ImGui::PushStyleColor(ImGuiCol_Text, msg.empty() ? ImGui::GetStyleColorVec4(ImGuiCol_Text)
                                       : good      ? kPrimary
                                                   : kWarn);
  ImGui::TextUnformatted(m_tr(msg.empty() ? "staff.team_add_title" : msg).c_str());
  ImGui::PopStyleColor();
  auto field = [&](int index, const char* labelKey, const std::string& value, bool secret,
                   float width) {
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted(m_tr(labelKey).c_str());
    ImGui::PopStyleColor();
    std::string shown = value;
    if (secret) {
      shown.clear();
      for (std::size_t k = 0; k < value.size(); ++k) shown += "\xE2\x80\xA2 ";
    }
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    const std::string label =
        shown + (m_teamField == index ? "|" : "") + "##team-field" + std::to_string(index);
    if (ImGui::Button(label.c_str(), ImVec2(width, 70))) m_teamField = index;
    m_targets.addLastItem("team-field:" + std::to_string(index));
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    ImGui::EndGroup();
  };
  field(0, "staff.team_name", form.name, false, fieldW);
  const float pinY = ImGui::GetCursorPosY();
  field(1, "staff.team_pin", form.pin, true, halfW);
  ImGui::SetCursorPos(
      ImVec2(x + halfW + 20, pinY));  // not SameLine: that shifts a text-first group
  field(2, "staff.team_pin_again", form.pinAgain, true, halfW);
  ImGui::SetCursorPosX(x);
  if (button("team-admin", m_tr("staff.team_admin"), halfW, 70, false, form.admin)) {
    form.admin = !form.admin;
  }
  ImGui::SameLine(0, 20);
  if (button("team-add", m_tr("staff.team_add"), halfW, 70, true) && m_staff.addStaff()) {
    m_teamField = 0;
    m_keyboard.capitalizeNext();
  }
  ImGui::Dummy(ImVec2(0, 4));
  if (m_teamField == 0) {
    m_keyboard.draw(form.name, KeyboardLayout::kText, fieldW, m_targets, 60, m_tr);
  } else {
    std::string& pin = m_teamField == 1 ? form.pin : form.pinAgain;
    static const char* kKeys = "1234567890";
    const float keyW = (fieldW - 5 * 12) / 6;
    for (int i = 0; i < 10; ++i) {
      if (i % 5) ImGui::SameLine(0, 12);
      if (button(std::string("team-pin:") + kKeys[i], std::string(1, kKeys[i]), keyW, 90) &&
          pin.size() < 8)
        pin += kKeys[i];
      if (i == 4) {
        ImGui::SameLine(0, 12);
        if (button("team-pin:delete", m_tr("keyboard.delete"), keyW, 90) && !pin.empty())
          pin.pop_back();
      }
    }
  }
  ImGui::EndGroup();
}

}  // namespace smp::ui
