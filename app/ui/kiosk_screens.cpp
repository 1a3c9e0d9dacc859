// What every client screen shares: the chrome (step, title, back and next, the message line,
// the idle overlay), the dispatcher to each screen's file in app/ui/client/, and the helpers
// (buttons, tiles, fitting an image).
#include "app/ui/kiosk_screens.h"

#include <imgui.h>

#include <cmath>

#include "app/core/sample_portrait.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/loss_icons.h"

namespace smp::ui {

using namespace client_layout;

KioskScreens::KioskScreens(SdlHost& host, core::KioskFlow& flow, core::Translations& tr,
                           platform::CameraSlot& camera, ConsentSource consentText, PlanSource plan,
                           core::UiQueue* ui)
    : m_host(host),
      m_flow(flow),
      m_tr(tr),
      m_consentText(std::move(consentText)),
      m_plan(std::move(plan)),
      m_renderer(ui),
      m_cameraFeed(host.renderer(), camera),
      m_frontThumb(host.renderer()),
      m_topThumb(host.renderer()),
      m_previewTexture(host.renderer()),
      m_beforeTexture(host.renderer()) {
  for (const std::string& stage : core::kLossStages) {
    auto t = std::make_unique<ImageTexture>(host.renderer());
    t->update(renderLossIcon(stage, 150));
    m_lossIcons[stage] = std::move(t);
  }
  // The attract loop shows our own generated mannequins, before and after: never a real person.
  for (const core::BeforeAfter& pair : core::attractLoopPairs()) {
    auto before = std::make_unique<ImageTexture>(host.renderer());
    before->update(pair.before);
    auto after = std::make_unique<ImageTexture>(host.renderer());
    after->update(pair.after);
    m_attract.push_back(std::move(before));
    m_attract.push_back(std::move(after));
  }
}

float KioskScreens::contentWidth() const {
  return static_cast<float>(m_host.width()) - 2 * kMargin;
}

bool KioskScreens::button(const std::string& name, const std::string& label, float w, float h,
                          bool primary, bool selected) {
  return ui::button(m_targets, name, label, ImVec2(w, h),
                    primary ? ButtonKind::kPrimary : ButtonKind::kPlain, selected);
}

bool KioskScreens::tile(const std::string& name, const std::string& label, float w, float h,
                        bool selected) {
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.5f, 0.9f));
  const bool pressed = button(name, label, w, h, false, selected);
  ImGui::PopStyleVar();
  return pressed;
}

void KioskScreens::drawHeader(const std::string& titleKey) {
  ImGui::SetCursorPos(ImVec2(kMargin, 36));
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m_tr.format("nav.step", {std::to_string(m_flow.stepNumber()),
                                                  std::to_string(core::KioskFlow::kStepCount)})
                             .c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::SetCursorPosX(kMargin);
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr(titleKey).c_str());
  ImGui::PopFont();
  // Language switch and the large-text toggle, top right, on every screen.
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(w - kMargin - 3 * 130 - 2 * 12 - 330, 30));
  for (const std::string& lang : core::kLanguages) {
    std::string label = lang;
    for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (button("lang:" + lang, label, 130, 64, false, m_flow.draft().language == lang)) {
      m_flow.setLanguage(lang);
    }
    ImGui::SameLine(0, 12);
  }
  ImGui::SameLine(0, 30);
  if (button("large-text", m_tr(m_largeText ? "nav.normal_text" : "nav.large_text"), 300, 64)) {
    m_largeText = !m_largeText;
  }
}

void KioskScreens::drawFooter(bool showNext) {
  const float y = static_cast<float>(m_host.height()) - 40 - kFooterH;
  ImGui::SetCursorPos(ImVec2(kMargin, y));
  if (button("back", m_tr("nav.back"), 260, kFooterH)) m_flow.back();
  if (showNext) {
    ImGui::SetCursorPos(ImVec2(static_cast<float>(m_host.width()) - kMargin - 360, y));
    if (button("next", m_tr("nav.next"), 360, kFooterH, true)) m_flow.next();
  }
  // The calm message sits between the two buttons, where the eye goes after a tap.
  if (!m_flow.message().empty()) {
    ImGui::SetCursorPos(ImVec2(kMargin + 300, y + 30));
    drawMessage();
  }
}

void KioskScreens::drawMessage() {
  if (m_flow.message().empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.16f, 0.05f, 1.0f));  // 7:1 on background
  ImGui::PushTextWrapPos(static_cast<float>(m_host.width()) - kMargin - 400);
  ImGui::TextUnformatted(m_tr(m_flow.message()).c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void KioskScreens::drawIdleOverlay(int secondsLeft, Clock::time_point now) {
  const ImVec2 size(static_cast<float>(m_host.width()), static_cast<float>(m_host.height()));
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.12f, 0.13f, 0.15f, 0.92f));
  ImGui::Begin(
      "idle", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::SetCursorPos(ImVec2(size.x / 2 - 600, size.y / 2 - 200));
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr("idle.title").c_str());
  ImGui::PopFont();
  ImGui::SetCursorPosX(size.x / 2 - 600);
  ImGui::TextUnformatted(m_tr.format("idle.body", {std::to_string(secondsLeft)}).c_str());
  ImGui::PopStyleColor();
  ImGui::SetCursorPos(ImVec2(size.x / 2 - 600, size.y / 2 + 20));
  if (button("more-time", m_tr("idle.more_time"), 700, 140, true)) m_flow.needMoreTime(now);
  ImGui::End();
  ImGui::PopStyleColor();
}

void KioskScreens::draw(Clock::time_point now) {
  m_targets.clear();
  m_tr.setLanguage(m_flow.draft().language);
  m_host.setTextScale(m_largeText ? 1.2f : 1.0f);
  if (ImGui::IsMouseClicked(0) || ImGui::IsMouseDown(0)) m_flow.touched(now);
  m_flow.tick(now);
  if (m_flow.screen() != m_lastScreen) {
    if (m_flow.screen() == core::Screen::kAttract)
      wipeImages();  // nothing of the last client stays
    m_lastScreen = m_flow.screen();
    m_screenEnteredAt = now;
  }
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(
      ImVec2(static_cast<float>(m_host.width()), static_cast<float>(m_host.height())));
  ImGui::Begin("kiosk", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  switch (m_flow.screen()) {
    case core::Screen::kAttract:
      drawAttract(now);
      break;
    case core::Screen::kConcern:
      drawConcern();
      break;
    case core::Screen::kStage:
      drawStage();
      break;
    case core::Screen::kColours:
      drawColours();
      break;
    case core::Screen::kLook:
      drawLook();
      break;
    case core::Screen::kHealth:
      drawHealth();
      break;
    case core::Screen::kContact:
      drawContact();
      break;
    case core::Screen::kConsent:
      drawConsent();
      break;
    case core::Screen::kPhotos:
      drawPhotos(now);
      break;
    case core::Screen::kPreview:
      drawPreview();
      break;
    case core::Screen::kPlan:
      drawPlan();
      break;
    case core::Screen::kSaved:
      drawSaved(now);
      break;
  }
  ImGui::End();
  if (auto left = m_flow.idleWarning(now)) {
    m_targets.clear();  // only the overlay's button can be tapped now
    drawIdleOverlay(*left, now);
  }
}

void KioskScreens::wipeImages() {
  m_cameraFeed.clear();
  for (ImageTexture* t : {&m_frontThumb, &m_topThumb, &m_previewTexture, &m_beforeTexture}) {
    t->reset();
  }
  m_previewPhoto.reset();
  m_previewTopPhoto.reset();
  m_previewView = core::PhotoKind::kFront;
  m_shownControls.clear();
  m_previewRequestedParams.reset();
  m_photoHint.clear();
  m_countdownEnd.reset();
  m_split = 1.0f;
}

void KioskScreens::imageFit(const ImageTexture& texture, float maxW, float maxH, float* outX,
                            float* outY, float* outScale, float splitFraction,
                            const ImageTexture* before) {
  if (texture.empty()) return;
  const float scale = std::min(maxW / static_cast<float>(texture.width()),
                               maxH / static_cast<float>(texture.height()));
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 size(static_cast<float>(texture.width()) * scale,
                    static_cast<float>(texture.height()) * scale);
  if (outX) *outX = pos.x;
  if (outY) *outY = pos.y;
  if (outScale) *outScale = scale;
  ImGui::Image(reinterpret_cast<ImTextureID>(texture.texture()), size);
  if (before && !before->empty() && splitFraction >= 0.0f && splitFraction < 1.0f) {
    // Before on the left of the divider, after on the right.
    const float cut = size.x * splitFraction;
    ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(before->texture()), pos,
                                         ImVec2(pos.x + cut, pos.y + size.y), ImVec2(0, 0),
                                         ImVec2(splitFraction, 1));
    ImGui::GetWindowDrawList()->AddLine(ImVec2(pos.x + cut, pos.y),
                                        ImVec2(pos.x + cut, pos.y + size.y),
                                        IM_COL32(255, 255, 255, 255), 4.0f);
  }
}

}  // namespace smp::ui
