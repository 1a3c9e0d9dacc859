// Chrome shared by every step, the attract loop and the choice screens (concern, stage,
// colours, look, health). Sizes are for a 1920x1080 kiosk; every target is >= 60 px tall.
#include "app/ui/kiosk_screens.h"

#include <imgui.h>

#include <cmath>

#include "app/core/sample_portrait.h"
#include "app/ui/loss_icons.h"

namespace smp::ui {
namespace {

constexpr float kMargin = 60.0f;
constexpr float kTop = 200.0f;
constexpr float kFooterH = 100.0f;
const ImVec4 kPrimary(0.08f, 0.32f, 0.30f, 1.0f);  // deep teal: 9.6:1 against white text
const ImVec4 kPrimaryHover(0.10f, 0.38f, 0.36f, 1.0f);
const ImVec4 kMuted(0.30f, 0.32f, 0.36f, 1.0f);  // 8:1 on the background

const char* kHairColourNames[] = {"black", "dark-brown", "brown", "light-brown", "grey"};
const ImU32 kHairSwatches[] = {IM_COL32(28, 24, 22, 255), IM_COL32(66, 44, 30, 255),
                               IM_COL32(110, 74, 46, 255), IM_COL32(160, 120, 80, 255),
                               IM_COL32(170, 170, 168, 255)};
const ImU32 kSkinSwatches[] = {IM_COL32(242, 214, 196, 255), IM_COL32(228, 190, 164, 255),
                               IM_COL32(204, 160, 126, 255), IM_COL32(170, 124, 90, 255),
                               IM_COL32(120, 82, 58, 255),   IM_COL32(78, 52, 38, 255)};
const char* kRoman[] = {"I", "II", "III", "IV", "V", "VI", "VII"};

}  // namespace

KioskScreens::KioskScreens(SdlHost& host, core::KioskFlow& flow, core::Translations& tr,
                           platform::CameraSlot& camera, ConsentSource consentText, PlanSource plan)
    : m_host(host),
      m_flow(flow),
      m_tr(tr),
      m_consentText(std::move(consentText)),
      m_plan(std::move(plan)),
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
  const bool filled = primary || selected;
  if (filled) {
    ImGui::PushStyleColor(ImGuiCol_Button, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kPrimaryHover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  }
  ImGui::PushID(name.c_str());
  // A selected choice also says so in words shape: a check mark, not colour alone.
  const std::string text = selected ? "\xE2\x9C\x93 " + label : label;
  const bool pressed = ImGui::Button(text.c_str(), ImVec2(w, h));
  ImGui::PopID();
  if (filled) ImGui::PopStyleColor(4);
  m_targets.addLastItem(name);
  return pressed;
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
  m_shownControls.clear();
  m_previewRequestedParams.reset();
  m_photoHint.clear();
  m_countdownEnd.reset();
  m_split = 1.0f;
}

void KioskScreens::drawAttract(Clock::time_point now) {
  const float w = static_cast<float>(m_host.width());
  if (!m_clinicName.empty()) {
    ImGui::SetCursorPos(ImVec2(kMargin + 20, 110));
    ImGui::PushStyleColor(ImGuiCol_Text, kPrimary);
    ImGui::TextUnformatted(m_clinicName.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::SetCursorPos(ImVec2(kMargin + 20, 180));
  ImGui::BeginGroup();
  ImGui::PushFont(m_host.fonts().title);
  ImGui::PushTextWrapPos(kMargin + 20 + 760);
  ImGui::TextUnformatted(m_tr("attract.title").c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::PushTextWrapPos(kMargin + 20 + 740);
  ImGui::TextUnformatted(m_tr("attract.subtitle").c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, 40));
  if (button("start", m_tr("attract.start"), 420, 120, true)) m_flow.start(now);
  ImGui::Dummy(ImVec2(0, 40));
  for (const std::string& lang : core::kLanguages) {
    static const std::map<std::string, std::string> kNames = {
        {"en", "English"}, {"es", "Español"}, {"fr", "Français"}};
    if (button("lang:" + lang, kNames.at(lang), 230, 80, false, m_flow.draft().language == lang))
      m_flow.setLanguage(lang);
    ImGui::SameLine(0, 16);
  }
  ImGui::EndGroup();
  // A calm loop: three generated heads, before and after, changing every five seconds.
  const auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::size_t pair = static_cast<std::size_t>((secs / 5) % 3);
  const float imgW = 440, imgH = 330;
  for (int k = 0; k < 2; ++k) {
    ImGui::SetCursorPos(
        ImVec2(w - kMargin - 2 * imgW - 20 + static_cast<float>(k) * (imgW + 20), 240));
    imageFit(*m_attract[pair * 2 + static_cast<std::size_t>(k)], imgW, imgH);
    ImGui::SetCursorPosX(w - kMargin - 2 * imgW - 20 + static_cast<float>(k) * (imgW + 20));
    ImGui::TextUnformatted(m_tr(k == 0 ? "attract.before" : "attract.after").c_str());
  }
  ImGui::SetCursorPos(ImVec2(w - kMargin - 2 * imgW - 20, 650));
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m_tr("attract.caption").c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void KioskScreens::drawConcern() {
  drawHeader("concern.title");
  const float colW = (contentWidth() - 40) / 3;
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 40));
  ImGui::BeginGroup();
  int i = 0;
  for (std::string_view concern : protocol::kConcerns) {
    const std::string id(concern);
    if (i % 3 != 0) ImGui::SameLine(0, 20);
    if (button("concern:" + id, m_tr("concern." + id), colW, 160, false,
               m_flow.draft().concern == id)) {
      m_flow.setConcern(id);
    }
    if (i % 3 == 2) ImGui::Dummy(ImVec2(0, 20));
    ++i;
  }
  ImGui::EndGroup();
  drawFooter(true);
}

void KioskScreens::drawStage() {
  drawHeader("stage.title");
  const float cell = 200, icon = 150;
  auto group = [&](const char* captionKey, const char* prefix, int count, float y) {
    ImGui::SetCursorPos(ImVec2(kMargin, y));
    ImGui::TextUnformatted(m_tr(captionKey).c_str());
    for (int n = 1; n <= count; ++n) {
      const std::string id = std::string(prefix) + "-" + std::to_string(n);
      ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(n - 1) * (cell + 16), y + 50));
      const ImVec2 at = ImGui::GetCursorScreenPos();
      if (tile("stage:" + id, kRoman[n - 1], cell, cell + 40, m_flow.draft().lossStage == id)) {
        m_flow.setLossStage(id);
      }
      const ImageTexture& t = *m_lossIcons.at(id);
      ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(t.texture()),
                                           ImVec2(at.x + (cell - icon) / 2, at.y + 14),
                                           ImVec2(at.x + (cell + icon) / 2, at.y + 14 + icon));
    }
  };
  group("stage.norwood", "norwood", 7, kTop - 10);
  group("stage.ludwig", "ludwig", 3, kTop + 300);
  drawFooter(true);
}

void KioskScreens::drawColours() {
  drawHeader("colours.title");
  const auto& d = m_flow.draft();
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 10));
  ImGui::TextUnformatted(m_tr("colours.hair").c_str());
  for (int i = 0; i < 5; ++i) {
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(i) * 330, kTop + 60));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const auto colour = static_cast<engine::HairColour>(i);
    const std::string name = kHairColourNames[i];
    if (tile("hair:" + name, m_tr("hair." + name), 310, 170, d.hairColour == colour))
      m_flow.setHairColour(colour);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x + 20, at.y + 16),
                                              ImVec2(at.x + 290, at.y + 90), kHairSwatches[i], 10);
  }
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 290));
  ImGui::TextUnformatted(m_tr("colours.skin").c_str());
  for (int t = 1; t <= 6; ++t) {
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(t - 1) * 275, kTop + 340));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (tile("skin:" + std::to_string(t), kRoman[t - 1], 255, 170, d.fitzpatrick == t))
      m_flow.setFitzpatrick(t);
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(at.x + 20, at.y + 16), ImVec2(at.x + 235, at.y + 90), kSkinSwatches[t - 1], 10);
  }
  drawFooter(true);
}

void KioskScreens::drawLook() {
  drawHeader("look.title");
  const auto& d = m_flow.draft();
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 10));
  ImGui::TextUnformatted(m_tr("look.hairline").c_str());
  const engine::HairlineStyle styles[] = {
      engine::HairlineStyle::kSoft, engine::HairlineStyle::kSharp, engine::HairlineStyle::kMature,
      engine::HairlineStyle::kBroken, engine::HairlineStyle::kWidowsPeak};
  for (int i = 0; i < 5; ++i) {
    const std::string name(engine::hairlineStyleName(styles[i]));
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(i) * 356, kTop + 60));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (tile("hairline:" + name, m_tr("hairline." + name), 336, 200, d.hairline == styles[i])) {
      m_flow.setHairline(styles[i]);
    }
    // A small drawing of the line's shape across the forehead (within +-1.2 half-widths).
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const engine::Hairline h = engine::makeHairline(styles[i], {at.x + 168, at.y + 100, 110}, 1.3);
    for (float x = at.x + 36; x < at.x + 296; x += 4) {
      dl->AddLine(ImVec2(x, static_cast<float>(h.curveY(x))),
                  ImVec2(x + 4, static_cast<float>(h.curveY(x + 4))), IM_COL32(60, 50, 45, 255),
                  styles[i] == engine::HairlineStyle::kSharp ? 5.0f : 3.0f);
    }
  }
  ImGui::SetCursorPos(ImVec2(kMargin, kTop + 320));
  ImGui::TextUnformatted(m_tr("look.density").c_str());
  int i = 0;
  for (const char* choice : {"light", "medium", "full"}) {
    ImGui::SetCursorPos(ImVec2(kMargin + static_cast<float>(i++) * 420, kTop + 370));
    if (button(std::string("density:") + choice, m_tr(std::string("density.") + choice), 400, 120,
               false, d.density == choice)) {
      m_flow.setDensityChoice(choice);
    }
  }
  drawFooter(true);
}

void KioskScreens::drawHealth() {
  drawHeader("health.title");
  ImGui::SetCursorPos(ImVec2(kMargin, kTop - 36));
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m_tr("health.subtitle").c_str());
  ImGui::PopStyleColor();
  const auto& answers = m_flow.draft().health;
  const float rowH = 78;
  for (std::size_t i = 0; i < core::kHealthQuestions.size(); ++i) {
    const std::string& q = core::kHealthQuestions[i];
    const float y = kTop + 16 + static_cast<float>(i) * rowH;
    ImGui::SetCursorPos(ImVec2(kMargin, y + 18));
    ImGui::TextUnformatted(m_tr("health." + q).c_str());
    const auto it = answers.find(q);
    ImGui::SetCursorPos(ImVec2(static_cast<float>(m_host.width()) - kMargin - 2 * 180 - 16, y));
    if (button("health:" + q + ":yes", m_tr("health.yes"), 180, 70, false,
               it != answers.end() && it->second)) {
      m_flow.setHealthAnswer(q, true);
    }
    ImGui::SameLine(0, 16);
    if (button("health:" + q + ":no", m_tr("health.no"), 180, 70, false,
               it != answers.end() && !it->second)) {
      m_flow.setHealthAnswer(q, false);
    }
  }
  if (!m_flow.draft().healthFlags().empty()) {
    // Calm, never alarming: a yes only means a specialist talks it through.
    ImGui::SetCursorPos(ImVec2(kMargin, kTop + 16 + 8 * rowH + 4));
    ImGui::PushStyleColor(ImGuiCol_Text, kPrimary);
    ImGui::TextUnformatted(m_tr("health.flag_note").c_str());
    ImGui::PopStyleColor();
  }
  drawFooter(true);
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
