// The preview: the client with SMP, hairline handles, style, density, sessions and years, the
// before/after divider, and marking scars and patches by touch.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/core/hairline_choices.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::requestPreviewIfChanged() {
  const auto& d = m_flow.draft();
  if (!d.frontPhoto) return;
  const core::PhotoKind view = d.topPhoto ? d.previewView : core::PhotoKind::kFront;
  const engine::PreviewParams p = core::previewParamsFor(d, view);
  bool photoChanged = view != m_previewView;
  if (m_flow.photoGeneration() != m_previewPhotoGeneration ||
      m_flow.guideGeneration() != m_previewGuideGeneration || !m_previewPhoto) {
    m_previewPhotoGeneration = m_flow.photoGeneration();
    m_previewGuideGeneration = m_flow.guideGeneration();
    m_previewPhoto = std::make_shared<engine::RgbImage>(*d.frontPhoto);
    photoChanged = true;
  }
  if (view == core::PhotoKind::kTop &&
      (m_flow.topPhotoGeneration() != m_previewTopPhotoGeneration || !m_previewTopPhoto)) {
    m_previewTopPhotoGeneration = m_flow.topPhotoGeneration();
    m_previewTopPhoto = std::make_shared<engine::RgbImage>(*d.topPhoto);
    photoChanged = true;
  }
  const bool top = view == core::PhotoKind::kTop;
  const auto& photo = top ? m_previewTopPhoto : m_previewPhoto;
  if (photoChanged) {
    m_previewView = view;
    m_beforeTexture.update(*photo);
    m_previewTexture.update(*photo);  // the plain photo shows until the first render
    m_previewRequestedParams.reset();
    m_shownControls.clear();
    m_previewViewSince = 0;
  }
  const auto& r = m_previewRequestedParams;
  const bool changed =
      !r || r->mode != p.mode || r->hairline != p.hairline || r->densityPerCm2 != p.densityPerCm2 ||
      r->sessionStage != p.sessionStage || r->yearsSinceSession != p.yearsSinceSession ||
      r->hairlineControls.has_value() != p.hairlineControls.has_value() ||
      r->marks.size() != p.marks.size() ||
      (!p.marks.empty() && r->marks.back().points.size() != p.marks.back().points.size()) ||
      (p.hairlineControls && r->hairlineControls->size() == p.hairlineControls->size() &&
       !std::equal(p.hairlineControls->begin(), p.hairlineControls->end(),
                   r->hairlineControls->begin(),
                   [](const auto& a, const auto& b) { return a.x == b.x && a.y == b.y; }));
  if (!changed) return;
  m_previewRequestedParams = p;
  // The top photo is searched for the head where the front photo's guide sat in its frame.
  m_previewRequestedGeneration =
      top ? m_renderer.request(photo, core::defaultGuide(photo->width, photo->height), p,
                               engine::HeadView::kTop, m_previewPhoto, d.guide)
          : m_renderer.request(photo, d.guide, p);
  if (m_previewViewSince == 0) m_previewViewSince = m_previewRequestedGeneration;
}

const engine::RgbImage& KioskScreens::previewPhotoInView() const {
  return m_previewView == core::PhotoKind::kTop && m_previewTopPhoto ? *m_previewTopPhoto
                                                                     : *m_previewPhoto;
}

void KioskScreens::drawViewSwitch(float x, float y, float scale) {
  // Front | Top on the photo's top-right corner, in the small font (the marking tools hold
  // the top-left one). Clients with little hair on top care most about the crown.
  ImGui::PushFont(m_host.fonts().small);
  const std::string front = m_tr("preview.view.front"), top = m_tr("preview.view.top");
  const float frontW = std::max(140.0f, ImGui::CalcTextSize(front.c_str()).x + 56);
  const float topW = std::max(140.0f, ImGui::CalcTextSize(top.c_str()).x + 56);
  const float right = x + static_cast<float>(previewPhotoInView().width) * scale - 12;
  ImGui::SetCursorScreenPos(ImVec2(right - frontW - 10 - topW, y + 12));
  const core::PhotoKind view = m_flow.previewView();
  if (button("view:front", front, frontW, 64, false, view == core::PhotoKind::kFront)) {
    m_flow.setPreviewView(core::PhotoKind::kFront);
  }
  ImGui::SameLine(0, 10);
  if (button("view:top", top, topW, 64, false, view == core::PhotoKind::kTop)) {
    m_flow.setPreviewView(core::PhotoKind::kTop);
  }
  ImGui::PopFont();
}

bool KioskScreens::drawMarking(float x, float y, float scale) {
  // A client who came to hide a scar starts in marking mode, once per photo.
  if (m_markInvitePhotoGeneration != m_flow.photoGeneration()) {
    m_markInvitePhotoGeneration = m_flow.photoGeneration();
    m_marking = m_flow.invitesScarMarking();
    m_painting = false;
    m_marksFull = false;
  }
  const engine::RgbImage& photo = previewPhotoInView();
  const float w = static_cast<float>(photo.width) * scale;
  const float h = static_cast<float>(photo.height) * scale;
  const auto& marks = m_flow.marksInView();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // While marking, what is marked shows as a translucent wash over the photo.
  if (m_marking) {
    auto wash = [&](const engine::MarkStroke& m) {
      // Yellow for scars and patches, green for scalp added, red for scalp taken away.
      const ImU32 colour = m.kind == engine::MarkKind::kAddScalp      ? IM_COL32(40, 190, 120, 110)
                           : m.kind == engine::MarkKind::kRemoveScalp ? IM_COL32(220, 60, 50, 110)
                                                                      : IM_COL32(255, 214, 10, 110);
      const float r = static_cast<float>(m.radiusPx) * scale;
      for (std::size_t k = 0; k < m.points.size(); ++k) {
        const ImVec2 a(x + static_cast<float>(m.points[k].x) * scale,
                       y + static_cast<float>(m.points[k].y) * scale);
        if (k + 1 < m.points.size()) {
          const ImVec2 b(x + static_cast<float>(m.points[k + 1].x) * scale,
                         y + static_cast<float>(m.points[k + 1].y) * scale);
          dl->AddLine(a, b, colour, 2 * r);
        }
        dl->AddCircleFilled(a, r, colour);
      }
    };
    for (const auto& m : marks) wash(m);
    if (m_painting) wash(m_markStroke);
  }
  // The tools sit on the photo's top-left corner, in the small font: they share the photo's
  // width, in every language and with larger text. Each is as wide as its words.
  ImGui::PushFont(m_host.fonts().small);
  const auto fitted = [](const std::string& label, float atLeast) {
    return std::max(atLeast, ImGui::CalcTextSize(label.c_str()).x + 56);
  };
  ImGui::SetCursorScreenPos(ImVec2(x + 12, y + 12));
  const std::string toggle = m_tr(m_marking ? "preview.mark.done" : "preview.mark.start");
  if (button("mark:toggle", toggle, fitted(toggle, 200), 64, false, m_marking)) {
    m_marking = !m_marking;
    m_painting = false;
  }
  if (m_marking && !marks.empty()) {
    ImGui::SameLine(0, 10);
    const std::string undo = m_tr("preview.mark.undo");
    if (button("mark:undo", undo, fitted(undo, 120), 64)) {
      m_flow.undoMark();
      m_marksFull = false;
    }
    ImGui::SameLine(0, 10);
    const std::string clear = m_tr("preview.mark.clear");
    if (button("mark:clear", clear, fitted(clear, 160), 64)) {
      m_flow.clearMarks();
      m_marksFull = false;
    }
  }
  if (!m_marking && m_flow.adjustedByHand()) {
    // Bottom left, over the chin: the crown's outline handle is at the top.
    const std::string label = m_tr("preview.reset");
    ImGui::SetCursorScreenPos(ImVec2(x + 12, y + h - 170));
    if (button("preview:reset", label, fitted(label, 200), 64)) {
      m_flow.resetToAutomatic();
      m_shownControls.clear();
      m_marksFull = false;
    }
  }
  if (!m_marking) {
    ImGui::PopFont();
    return false;
  }
  // The brush's kind, along the photo's lower edge (the face: nothing to paint there), above
  // the hint.
  ImGui::SetCursorScreenPos(ImVec2(x + 12, y + h - 170));
  struct Tool {
    engine::MarkKind kind;
    const char* name;  // tap target "mark:tool:<name>"; its label is "preview.tool.<name>"
  };
  bool first = true;
  for (const Tool& tool :
       {Tool{engine::MarkKind::kScar, "scar"}, Tool{engine::MarkKind::kAddScalp, "add_scalp"},
        Tool{engine::MarkKind::kRemoveScalp, "remove_scalp"}}) {
    if (!first) ImGui::SameLine(0, 10);
    first = false;
    if (button(std::string("mark:tool:") + tool.name,
               m_tr(std::string("preview.tool.") + tool.name), (w - 44) / 3, 64, false,
               m_markKind == tool.kind)) {
      m_markKind = tool.kind;
    }
  }
  ImGui::PopFont();
  // A finger on the photo (below the tools) paints; lifting it commits the stroke.
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 at = io.MousePos;
  const bool onPhoto = at.x >= x && at.x < x + w && at.y >= y + 90 && at.y < y + h;
  if (io.MouseClicked[0] && onPhoto && !ImGui::IsAnyItemHovered()) {
    // About 7 mm across: a fingertip's width on the head, whatever the photo's scale.
    const double pxPerMm = m_markPxPerMm > 0 ? m_markPxPerMm : photo.width / 250.0;
    m_markStroke = {{}, std::max(2.0, 3.5 * pxPerMm), m_markKind};
    m_painting = true;
  }
  if (m_painting && io.MouseDown[0]) {
    const engine::ControlPoint p{(at.x - x) / scale, (at.y - y) / scale};
    const auto& pts = m_markStroke.points;
    if (pts.empty() || std::hypot(p.x - pts.back().x, p.y - pts.back().y) * scale >= 4) {
      m_markStroke.points.push_back(p);
    }
  } else if (m_painting) {
    m_painting = false;
    m_marksFull = !m_flow.addMark(std::move(m_markStroke)) &&
                  m_flow.marksInView().size() >= engine::kMaxMarkStrokes;
    m_markStroke = {};
  }
  return true;
}

void KioskScreens::drawPreview() {
  drawHeader("preview.title");
  requestPreviewIfChanged();
  std::uint64_t generation = 0;
  if (auto result = m_renderer.takeResult(&generation);
      result && m_previewViewSince > 0 && generation >= m_previewViewSince) {
    m_previewTexture.update(result->image);
    m_previewShownGeneration = generation;
    m_markPxPerMm = result->pxPerMm;
    m_hairHidesPigment = result->hairHidesPigment;
    if (m_dragging < 0) m_shownControls = result->hairline.controls;
  }
  const auto& d = m_flow.draft();
  ImGui::SetCursorPos(ImVec2(kMargin, kTop - 10));
  float x = 0, y = 0, scale = 1;
  imageFit(m_previewTexture, kPhotoW, kPhotoH, &x, &y, &scale, m_split, &m_beforeTexture);

  const bool marking = d.frontPhoto && drawMarking(x, y, scale);
  const bool topView = m_previewView == core::PhotoKind::kTop;
  if (d.frontPhoto && d.topPhoto && !marking) drawViewSwitch(x, y, scale);

  // Head-outline handles (squares, top and side): dragging them moves the outline the scalp
  // region is proposed from. Hidden while the client marks a scar, and from above (the head's
  // outline is found there, not framed).
  if (d.frontPhoto && !marking && !topView) {
    const core::HeadGuide& g = d.guide;
    const ImVec2 top(x + static_cast<float>(g.centerX) * scale,
                     y + static_cast<float>(g.centerY - g.radiusY) * scale);
    const ImVec2 side(x + static_cast<float>(g.centerX + g.radiusX) * scale,
                      y + static_cast<float>(g.centerY) * scale);
    for (auto [name, c] : {std::pair{"outline:top", top}, std::pair{"outline:side", side}}) {
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(c.x - 18, c.y - 18),
                                                ImVec2(c.x + 18, c.y + 18),
                                                IM_COL32(255, 255, 255, 210), 4.0f);
      ImGui::GetWindowDrawList()->AddRect(ImVec2(c.x - 18, c.y - 18), ImVec2(c.x + 18, c.y + 18),
                                          IM_COL32(20, 82, 77, 255), 4.0f, 0, 4.0f);
      m_targets.add(name, {c.x - 30, c.y - 30, 60, 60});
    }
    const ImGuiIO& in = ImGui::GetIO();
    if (in.MouseClicked[0]) {
      if (std::hypot(in.MousePos.x - top.x, in.MousePos.y - top.y) < 40) m_outlineDrag = 1;
      if (std::hypot(in.MousePos.x - side.x, in.MousePos.y - side.y) < 40) m_outlineDrag = 2;
    }
    if (m_outlineDrag > 0 && in.MouseDown[0]) {
      core::HeadGuide moved = g;
      if (m_outlineDrag == 1) {
        // The chin stays put; the crown follows the finger.
        const double chin = g.centerY + g.radiusY;
        const double crown = std::min(static_cast<double>((in.MousePos.y - y) / scale), chin - 60);
        moved.radiusY = (chin - crown) / 2;
        moved.centerY = (chin + crown) / 2;
      } else {
        moved.radiusX =
            std::max(30.0, static_cast<double>((in.MousePos.x - x) / scale) - g.centerX);
      }
      m_flow.setGuide(moved);
      m_shownControls.clear();
    } else if (!in.MouseDown[0]) {
      m_outlineDrag = 0;
    }
  }

  // Hairline handles: the five controls across the forehead can be dragged with a finger.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiIO& io = ImGui::GetIO();
  if (m_shownControls.size() >= 9 && !marking) {
    const std::size_t first = (m_shownControls.size() - 5) / 2;
    for (std::size_t k = first; k < first + 5; ++k) {
      const ImVec2 c(x + static_cast<float>(m_shownControls[k].x) * scale,
                     y + static_cast<float>(m_shownControls[k].y) * scale);
      dl->AddCircleFilled(c, 22, IM_COL32(255, 255, 255, 200));
      dl->AddCircle(c, 22, IM_COL32(20, 82, 77, 255), 0, 5);
      m_targets.add("handle:" + std::to_string(k - first), {c.x - 30, c.y - 30, 60, 60});
      if (io.MouseClicked[0] && std::hypot(io.MousePos.x - c.x, io.MousePos.y - c.y) < 40)
        m_dragging = static_cast<int>(k);
    }
    if (m_dragging >= 0 && io.MouseDown[0]) {
      auto controls = m_shownControls;
      auto& c = controls[static_cast<std::size_t>(m_dragging)];
      c.y = std::clamp(static_cast<double>((io.MousePos.y - y) / scale), 0.0,
                       static_cast<double>(previewPhotoInView().height));
      m_shownControls = controls;
      m_flow.setHairlineControls(controls);  // re-rendered live on the background thread
    } else if (!io.MouseDown[0]) {
      m_dragging = -1;
    }
  }

  // On the photo's lower edge: how to use the handles or, when the face was not found well, a
  // calm word about it (the handles still place the hairline by hand).
  if (d.frontPhoto) {
    const std::string faceTrouble = topView ? "" : m_renderer.faceTroubleKey();
    std::string key = !faceTrouble.empty() ? faceTrouble
                      : m_hairHidesPigment ? "preview.keep_hair.hidden"
                      : topView            ? "preview.top_hint"
                                           : "preview.drag_hint";
    if (marking) {
      key = m_marksFull                                    ? "preview.mark.full"
            : m_markKind == engine::MarkKind::kAddScalp    ? "preview.mark.add_hint"
            : m_markKind == engine::MarkKind::kRemoveScalp ? "preview.mark.remove_hint"
            : m_flow.invitesScarMarking()                  ? "preview.mark.invite"
                                                           : "preview.mark.hint";
    }
    m_previewHintKey = key;
    const std::string text = m_tr(key);
    const float w = static_cast<float>(previewPhotoInView().width) * scale;
    const float bottom = y + static_cast<float>(previewPhotoInView().height) * scale;
    ImGui::PushFont(m_host.fonts().small);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, w - 32);
    dl->AddRectFilled(ImVec2(x, bottom - size.y - 24), ImVec2(x + w, bottom),
                      IM_COL32(255, 255, 255, 235));
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(x + 16, bottom - size.y - 12),
                IM_COL32(20, 82, 77, 255), text.c_str(), nullptr, w - 32);
    ImGui::PopFont();
  }

  // Before | after divider under the photo: slide left to reveal the photo as it is today.
  ImGui::SetCursorPos(ImVec2(kMargin, kTop - 10 + kPhotoH + 16));
  ImGui::TextUnformatted(m_tr("preview.before").c_str());
  ImGui::SameLine(0, 16);
  ImGui::SetNextItemWidth(kPhotoW - 300);
  ImGui::SliderFloat("##compare", &m_split, 0.0f, 1.0f, "");
  m_targets.addLastItem("compare");
  ImGui::SameLine(0, 16);
  ImGui::TextUnformatted(m_tr("preview.after").c_str());

  const float panelX = kMargin + kPhotoW + 50;
  const float panelW = static_cast<float>(m_host.width()) - kMargin - panelX;
  // The panel ends above the footer whatever the text size: with larger text the labels grow,
  // so the five rows of buttons give way (never below 60 px, the kiosk's smallest target).
  const float footerTop = static_cast<float>(m_host.height()) - 40 - kFooterH;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float fixedH =
      4 * ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFrameHeight() + 6 * spacing + 16;
  const float rowH = std::clamp((footerTop - (kTop - 10) - fixedH) / 5, 60.0f, 70.0f);
  ImGui::SetCursorPos(ImVec2(panelX, kTop - 10));
  ImGui::BeginGroup();
  // Buzz (the head clipped short) or keep my hair (pigment only between hairs).
  for (auto [mode, key] : {std::pair{engine::PreviewMode::kBuzz, "preview.mode.buzz"},
                           std::pair{engine::PreviewMode::kKeepHair, "preview.mode.keep_hair"}}) {
    if (mode == engine::PreviewMode::kKeepHair) ImGui::SameLine(0, 10);
    if (button(key, m_tr(key), (panelW - 10) / 2, rowH, false, d.preview.mode == mode)) {
      m_flow.setPreviewMode(mode);
    }
  }
  ImGui::TextUnformatted(m_tr("preview.hairline").c_str());
  int i = 0;
  for (const core::HairlineChoice& choice : core::hairlineChoices()) {
    if (i++ % 3 != 0) ImGui::SameLine(0, 10);
    if (button("hairline:" + choice.name, m_tr(choice.labelKey), (panelW - 20) / 3, rowH, false,
               d.hairline == choice.style)) {
      m_flow.setHairline(choice.style);
      m_shownControls.clear();
    }
  }
  float density = static_cast<float>(d.preview.densityPerCm2);
  ImGui::TextUnformatted(
      m_tr.format("preview.density", {std::to_string(static_cast<int>(std::lround(density)))})
          .c_str());
  ImGui::SetNextItemWidth(panelW);
  if (ImGui::SliderFloat("##density", &density, static_cast<float>(engine::kMinDensity),
                         static_cast<float>(engine::kMaxDensity), "")) {
    m_flow.setPreviewDensity(density);
  }
  m_targets.addLastItem("density");
  ImGui::TextUnformatted(m_tr("preview.session").c_str());
  for (int s = 1; s <= 3; ++s) {
    if (s > 1) ImGui::SameLine(0, 10);
    if (button("session:" + std::to_string(s), std::to_string(s), (panelW - 20) / 3, rowH, false,
               d.preview.sessionStage == s)) {
      m_flow.setPreviewSession(s);
    }
  }
  ImGui::TextUnformatted(m_tr("preview.years").c_str());
  for (int years : {0, 5, 10}) {
    if (years > 0) ImGui::SameLine(0, 10);
    const std::string label =
        years == 0 ? m_tr("preview.now") : m_tr.format("preview.in_years", {std::to_string(years)});
    if (button("years:" + std::to_string(years), label, (panelW - 20) / 3, rowH, false,
               std::lround(d.preview.yearsSinceSession) == years)) {
      m_flow.setPreviewYears(years);
    }
  }
  ImGui::EndGroup();
  drawFooter(true);
}

}  // namespace smp::ui
