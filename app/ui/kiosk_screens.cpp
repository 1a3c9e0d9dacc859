// Screen drawing. Sizes are for a 1920x1080 portrait-less kiosk; every target is >= 60 px tall.
#include "app/ui/kiosk_screens.h"

#include <imgui.h>

#include <cmath>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"

namespace smp::ui {
namespace {

constexpr float kMargin = 60.0f;
// The photo area: 4:3 like the camera, leaving room for the bottom buttons.
constexpr float kPhotoW = 933.0f, kPhotoH = 700.0f, kContentTop = 200.0f;
constexpr float kBottomButtonH = 100.0f, kBottomGap = 40.0f;
const ImVec4 kPrimary(0.08f, 0.32f, 0.30f, 1.0f);  // deep teal: 9.6:1 against white text
const ImVec4 kPrimaryHover(0.10f, 0.38f, 0.36f, 1.0f);
const ImVec4 kMuted(0.30f, 0.32f, 0.36f, 1.0f);  // 8:1 on the background

struct ConcernChoice {
  const char* id;
  const char* label;
};
constexpr ConcernChoice kConcernChoices[] = {
    {"pattern-baldness", "Pattern baldness"},     {"diffuse-thinning", "Thinning all over"},
    {"alopecia", "Alopecia (patches)"},           {"scar", "A scar to hide"},
    {"after-chemotherapy", "After chemotherapy"}, {"other", "Something else"}};

struct HairlineChoice {
  engine::HairlineStyle style;
  const char* label;
};
constexpr HairlineChoice kHairlineChoices[] = {
    {engine::HairlineStyle::kSoft, "Soft"},
    {engine::HairlineStyle::kSharp, "Sharp"},
    {engine::HairlineStyle::kMature, "Mature"},
    {engine::HairlineStyle::kBroken, "Natural"},
    {engine::HairlineStyle::kWidowsPeak, "Widow's peak"}};

}  // namespace

KioskScreens::KioskScreens(SdlHost& host, core::KioskFlow& flow, platform::Camera* camera,
                           std::string cameraError)
    : m_host(host),
      m_flow(flow),
      m_camera(camera),
      m_cameraError(std::move(cameraError)),
      m_cameraTexture(host.renderer()),
      m_previewTexture(host.renderer()),
      m_welcomeTexture(host.renderer()) {
  // The welcome picture is our own generated mannequin with an SMP preview: never a real person.
  engine::RgbImage sample = core::samplePortrait(720, 540, 3, 7);
  const core::HeadGuide guide = core::defaultGuide(sample.width, sample.height);
  const engine::ScalpProposal scalp = engine::proposeScalp(sample, guide);
  const engine::GrayImage& mask = scalp.mask;
  engine::PreviewParams params;
  params.hairline = engine::HairlineStyle::kSoft;
  params.pxPerMm = scalp.pxPerMm;
  params.hairlinePlacement = scalp.hairline;
  m_welcomeTexture.update(engine::renderPreview({&sample, &mask, nullptr}, params).image);
}

bool KioskScreens::button(const char* name, const char* label, float width, float height,
                          bool primary) {
  if (primary) {
    ImGui::PushStyleColor(ImGuiCol_Button, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kPrimaryHover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, kPrimary);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  }
  ImGui::PushID(name);
  const bool pressed = ImGui::Button(label, ImVec2(width, height));
  ImGui::PopID();
  if (primary) ImGui::PopStyleColor(4);
  m_targets.addLastItem(name);
  return pressed;
}

void KioskScreens::drawHeader(const char* title) {
  ImGui::SetCursorPos(ImVec2(kMargin, 40));
  if (m_flow.stepNumber() > 0) {
    ImGui::PushFont(m_host.fonts().small);
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::Text("Step %d of %d", m_flow.stepNumber(), m_flow.stepCount());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SetCursorPosX(kMargin);
  }
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
}

void KioskScreens::drawMessage() {
  if (m_flow.message().empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.16f, 0.05f, 1.0f));  // 7:1 on background
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 800);
  ImGui::TextUnformatted(m_flow.message().c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void KioskScreens::imageFit(ImageTexture& texture, float maxW, float maxH, float* outX, float* outY,
                            float* outScale) {
  if (texture.empty()) return;
  const float scale = std::min(maxW / static_cast<float>(texture.width()),
                               maxH / static_cast<float>(texture.height()));
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  if (outX) *outX = pos.x;
  if (outY) *outY = pos.y;
  if (outScale) *outScale = scale;
  ImGui::Image(reinterpret_cast<ImTextureID>(texture.texture()),
               ImVec2(static_cast<float>(texture.width()) * scale,
                      static_cast<float>(texture.height()) * scale));
}

void KioskScreens::draw(Clock::time_point now) {
  m_targets.clear();
  if (m_flow.screen() != m_lastScreen) {
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
    case core::Screen::kWelcome:
      drawWelcome();
      break;
    case core::Screen::kIntake:
      drawIntake();
      break;
    case core::Screen::kPhoto:
      drawPhoto();
      break;
    case core::Screen::kPreview:
      drawPreview();
      break;
    case core::Screen::kSaved:
      drawSaved(now);
      break;
  }
  ImGui::End();
}

void KioskScreens::drawWelcome() {
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(kMargin + 20, 200));
  ImGui::BeginGroup();
  ImGui::PushFont(m_host.fonts().title);
  ImGui::PushTextWrapPos(kMargin + 20 + 820);
  ImGui::TextUnformatted("See yourself with scalp micropigmentation");
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::PushTextWrapPos(kMargin + 20 + 780);
  ImGui::TextUnformatted(
      "A private consultation in three short steps. Take your photo and see a "
      "preview of the result on your own head.");
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, 40));
  if (button("start", "Start", 420, 120, true)) m_flow.start();
  ImGui::EndGroup();
  ImGui::SetCursorPos(ImVec2(w - kMargin - 780, 220));
  imageFit(m_welcomeTexture, 780, 585);
  ImGui::SetCursorPos(ImVec2(w - kMargin - 780, 820));
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted("Illustration: a generated model head with a soft hairline.");
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void KioskScreens::drawIntake() {
  drawHeader("About you");
  const float w = static_cast<float>(m_host.width());
  const float columnW = (w - 3 * kMargin) / 2;
  const float top = 220;

  // Left: name with the on-screen keyboard.
  ImGui::SetCursorPos(ImVec2(kMargin, top));
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Your name");
  std::string name = m_flow.draft().clientName;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
  ImGui::BeginChild("name", ImVec2(columnW, 90), true);
  ImGui::SetCursorPos(ImVec2(20, 22));
  ImGui::Text("%s|", name.c_str());
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, 10));
  if (m_keyboard.draw(name, columnW, m_targets, core::kMaxNameLength)) m_flow.setName(name);
  ImGui::EndGroup();

  // Right: concern choices, consent and navigation.
  ImGui::SetCursorPos(ImVec2(2 * kMargin + columnW, top));
  ImGui::BeginGroup();
  ImGui::TextUnformatted("What brings you here?");
  const float choiceW = (columnW - 20) / 2;
  int i = 0;
  for (const auto& c : kConcernChoices) {
    if (i % 2 == 1) ImGui::SameLine();
    const bool selected = m_flow.draft().concern == c.id;
    if (button((std::string("concern:") + c.id).c_str(),
               selected ? (std::string("* ") + c.label).c_str() : c.label, choiceW, 90, selected)) {
      m_flow.setConcern(c.id);
    }
    ++i;
  }
  ImGui::Dummy(ImVec2(0, 10));
  bool consent = m_flow.draft().consentGiven;
  ImGui::PushTextWrapPos(2 * kMargin + 2 * columnW);
  if (ImGui::Checkbox("##consent", &consent)) m_flow.setConsent(consent);
  m_targets.addLastItem("consent");
  ImGui::SameLine();
  ImGui::PushFont(m_host.fonts().small);
  ImGui::TextUnformatted(
      "I agree that this clinic stores my answers and photos for my "
      "consultation. They are not used for marketing.");
  ImGui::PopFont();
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 10));
  drawMessage();
  ImGui::EndGroup();

  const float bottom = static_cast<float>(m_host.height()) - kBottomGap - kBottomButtonH;
  ImGui::SetCursorPos(ImVec2(kMargin, bottom));
  if (button("back", "Back", 260, kBottomButtonH)) m_flow.back();
  ImGui::SetCursorPos(ImVec2(w - kMargin - 360, bottom));
  if (button("next", "Next", 360, kBottomButtonH, true)) m_flow.next();
}

void KioskScreens::drawPhoto() {
  drawHeader("Your photo");
  if (m_camera) {
    if (auto frame = m_camera->latestFrame(m_frameSequence, &m_frameSequence)) {
      m_lastFrame = std::move(*frame);
      m_cameraTexture.update(m_lastFrame);
    }
  }
  const float top = kContentTop;
  ImGui::SetCursorPos(ImVec2(kMargin, top));
  if (m_cameraTexture.empty()) {
    ImGui::BeginChild("nocamera", ImVec2(kPhotoW, kPhotoH), true);
    ImGui::PushTextWrapPos(1000);
    ImGui::TextUnformatted(m_camera ? "Starting the camera..."
                                    : "The camera is not available right now. Please ask our staff "
                                      "for help.");
    if (!m_camera && !m_cameraError.empty()) {
      ImGui::PushFont(m_host.fonts().small);
      ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
      ImGui::TextUnformatted(m_cameraError.c_str());
      ImGui::PopStyleColor();
      ImGui::PopFont();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
  } else {
    float x = 0, y = 0, scale = 1;
    imageFit(m_cameraTexture, kPhotoW, kPhotoH, &x, &y, &scale);
    // Head-outline guide: the client frames their head inside it.
    const core::HeadGuide g = core::defaultGuide(m_cameraTexture.width(), m_cameraTexture.height());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    constexpr int kSegments = 96;
    ImVec2 points[kSegments];
    for (int i = 0; i < kSegments; ++i) {
      const double a = 2.0 * 3.14159265358979 * i / kSegments;
      points[i] = ImVec2(x + static_cast<float>(g.centerX + g.radiusX * std::cos(a)) * scale,
                         y + static_cast<float>(g.centerY + g.radiusY * std::sin(a)) * scale);
    }
    dl->AddPolyline(points, kSegments, IM_COL32(255, 255, 255, 230), ImDrawFlags_Closed, 6.0f);
  }
  ImGui::SetCursorPos(ImVec2(kMargin + kPhotoW + kMargin, top));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(static_cast<float>(m_host.width()) - kMargin);
  ImGui::TextUnformatted("Look straight at the camera and fit your head inside the outline.");
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 30));
  if (button("capture", "Take photo", 420, 120, true) && !m_lastFrame.empty()) {
    m_flow.capturePhoto(m_lastFrame, core::defaultGuide(m_lastFrame.width, m_lastFrame.height));
  }
  ImGui::Dummy(ImVec2(0, 10));
  drawMessage();
  ImGui::EndGroup();
  ImGui::SetCursorPos(
      ImVec2(kMargin, static_cast<float>(m_host.height()) - kBottomGap - kBottomButtonH));
  if (button("back", "Back", 260, kBottomButtonH)) m_flow.back();
}

void KioskScreens::requestPreviewIfChanged() {
  const auto& d = m_flow.draft();
  if (!d.frontPhoto) return;
  const engine::PreviewParams p = core::previewParamsFor(d);
  if (m_flow.photoGeneration() != m_previewPhotoGeneration) {
    m_previewPhotoGeneration = m_flow.photoGeneration();
    m_previewPhoto = std::make_shared<engine::RgbImage>(*d.frontPhoto);
    m_previewMask =
        std::make_shared<engine::GrayImage>(engine::proposeScalp(*d.frontPhoto, d.guide).mask);
    m_previewTexture.update(*m_previewPhoto);  // the plain photo shows until the first render
    m_previewRequestedParams.reset();
  }
  const bool changed = !m_previewRequestedParams ||
                       m_previewRequestedParams->hairline != p.hairline ||
                       m_previewRequestedParams->densityPerCm2 != p.densityPerCm2;
  if (!changed) return;
  m_previewRequestedParams = p;
  m_previewRequestedGeneration = m_renderer.request(m_previewPhoto, m_previewMask, p);
}

void KioskScreens::drawPreview() {
  drawHeader("Your preview");
  requestPreviewIfChanged();
  std::uint64_t generation = 0;
  if (auto result = m_renderer.takeResult(&generation)) {
    m_previewTexture.update(result->image);
    m_previewShownGeneration = generation;
  }
  const float top = kContentTop;
  ImGui::SetCursorPos(ImVec2(kMargin, top));
  imageFit(m_previewTexture, kPhotoW, kPhotoH);

  ImGui::SetCursorPos(ImVec2(kMargin + kPhotoW + kMargin, top));
  ImGui::BeginGroup();
  const float panelW = static_cast<float>(m_host.width()) - 3 * kMargin - kPhotoW;
  ImGui::TextUnformatted("Hairline");
  int i = 0;
  for (const auto& h : kHairlineChoices) {
    if (i % 2 == 1) ImGui::SameLine();
    const bool selected = m_flow.draft().preview.hairline == h.style;
    if (button((std::string("hairline:") + std::string(engine::hairlineStyleName(h.style))).c_str(),
               h.label, (panelW - 20) / 2, 84, selected)) {
      m_flow.setHairline(h.style);
    }
    ++i;
  }
  ImGui::Dummy(ImVec2(0, 6));
  float density = static_cast<float>(m_flow.draft().preview.densityPerCm2);
  // The value sits in the label, not inside the slider, where the grab would cover it.
  ImGui::Text("Density: %.0f dots per cm\xC2\xB2", static_cast<double>(density));
  ImGui::SetNextItemWidth(panelW);
  if (ImGui::SliderFloat("##density", &density, static_cast<float>(engine::kMinDensity),
                         static_cast<float>(engine::kMaxDensity), "")) {
    m_flow.setDensity(density);
  }
  m_targets.addLastItem("density");
  drawMessage();
  ImGui::EndGroup();

  const float bottom = static_cast<float>(m_host.height()) - kBottomGap - kBottomButtonH;
  ImGui::SetCursorPos(ImVec2(kMargin, bottom));
  if (button("back", "Retake photo", 360, kBottomButtonH)) m_flow.retake();
  ImGui::SetCursorPos(ImVec2(static_cast<float>(m_host.width()) - kMargin - 420, bottom));
  if (button("save", "Save and finish", 420, kBottomButtonH, true)) m_flow.save();
}

void KioskScreens::drawSaved(Clock::time_point now) {
  const float w = static_cast<float>(m_host.width());
  ImGui::SetCursorPos(ImVec2(kMargin + 20, 300));
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted("Thank you. Your consultation is saved.");
  ImGui::PopFont();
  ImGui::SetCursorPosX(kMargin + 20);
  ImGui::PushTextWrapPos(w - kMargin);
  ImGui::TextUnformatted(
      "Please let our specialist know you are ready. They will go through your "
      "preview and plan with you.");
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 40));
  ImGui::SetCursorPosX(kMargin + 20);
  if (button("done", "Done", 360, 110, true)) m_flow.finish();
  // Hand-back: the screen clears itself so the next person never sees this client's session.
  constexpr auto kHandBack = std::chrono::seconds(30);
  const auto left =
      std::chrono::duration_cast<std::chrono::seconds>(kHandBack - (now - m_screenEnteredAt));
  ImGui::SetCursorPosX(kMargin + 20);
  ImGui::PushFont(m_host.fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::Text("This screen returns to the start in %d seconds.",
              static_cast<int>(std::max<long>(0, left.count())));
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (left.count() <= 0) m_flow.finish();
}

}  // namespace smp::ui
