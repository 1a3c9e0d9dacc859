// Photos: the live camera with the head-outline guide, a 3-2-1 countdown, front and top, quality
// hints.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawPhotos(Clock::time_point now) {
  drawHeader("photos.title");
  const auto& d = m_flow.draft();
  m_cameraFeed.poll();
  const ImageTexture& cameraTexture = m_cameraFeed.texture();
  const engine::RgbImage& lastFrame = m_cameraFeed.lastFrame();
  // Which photo is next: front first, then the top of the head.
  const bool frontDone = d.frontPhoto.has_value(), topDone = d.topPhoto.has_value();
  const core::PhotoKind next = !frontDone ? core::PhotoKind::kFront : core::PhotoKind::kTop;

  ImGui::SetCursorPos(ImVec2(kMargin, kTop - 10));
  float x = 0, y = 0, scale = 1;
  if (!m_cameraFeed.showing()) {
    ImGui::BeginChild("nocamera", ImVec2(kPhotoW, kPhotoH), true);
    ImGui::PushTextWrapPos(kPhotoW - 40);
    m_cameraFeed.drawUnavailable(m_tr, m_host.fonts().small);
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
  } else {
    imageFit(cameraTexture, kPhotoW, kPhotoH, &x, &y, &scale);
    if (next == core::PhotoKind::kFront) {
      drawGuide(ImGui::GetWindowDrawList(),
                core::defaultGuide(cameraTexture.width(), cameraTexture.height()), x, y, scale);
    }
    if (m_countdownEnd) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*m_countdownEnd - now).count();
      const std::string n = std::to_string(std::max<long>(1, (left + 999) / 1000));
      ImGui::PushFont(m_host.fonts().title);
      ImGui::GetWindowDrawList()->AddText(m_host.fonts().title, 200.0f,
                                          ImVec2(x + kPhotoW / 2 - 55, y + kPhotoH / 2 - 110),
                                          IM_COL32(255, 255, 255, 240), n.c_str());
      ImGui::PopFont();
    }
  }
  // The countdown fires the capture: the newest frame becomes the photo.
  if (m_countdownEnd && now >= *m_countdownEnd) {
    m_countdownEnd.reset();
    if (!lastFrame.empty()) {
      const core::HeadGuide guide = core::defaultGuide(lastFrame.width, lastFrame.height);
      m_photoHint = core::assessPhoto(lastFrame, guide).hintKey;
      (m_capturing == core::PhotoKind::kFront ? m_frontThumb : m_topThumb).update(lastFrame);
      m_flow.capturePhoto(m_capturing, lastFrame, guide);
    }
  }

  const float panelX = kMargin + kPhotoW + 50;
  const float panelW = static_cast<float>(m_host.width()) - kMargin - panelX;
  ImGui::SetCursorPos(ImVec2(panelX, kTop - 10));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(panelX + panelW);
  ImGui::TextUnformatted(
      m_tr(next == core::PhotoKind::kFront ? "photos.instruction_front" : "photos.instruction_top")
          .c_str());
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(0, 10));
  if (!(frontDone && topDone) && button("take", m_tr("photos.take"), panelW, 110, true) &&
      !m_countdownEnd && !cameraTexture.empty()) {
    m_capturing = next;
    m_countdownEnd = now + kCountdown;
    m_photoHint.clear();
  }
  if (!m_photoHint.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kHint);
    ImGui::PushTextWrapPos(panelX + panelW);
    ImGui::TextUnformatted(m_tr(m_photoHint).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  // Thumbnails of the two photos, each with its own retake.
  for (auto [kind, thumb, labelKey, name] :
       {std::tuple{core::PhotoKind::kFront, &m_frontThumb, "photos.front", "front"},
        std::tuple{core::PhotoKind::kTop, &m_topThumb, "photos.top", "top"}}) {
    const bool done = kind == core::PhotoKind::kFront ? frontDone : topDone;
    ImGui::Dummy(ImVec2(0, 6));
    ImGui::TextUnformatted((m_tr(labelKey) + (done ? ": " + m_tr("photos.taken") : "")).c_str());
    if (done && !thumb->empty()) {
      imageFit(*thumb, 200, 150);
      ImGui::SameLine(0, 20);
      if (button(std::string("retake:") + name, m_tr("photos.retake"), 220, 80)) {
        m_flow.retakePhoto(kind);
        thumb->reset();
        m_photoHint.clear();
      }
    }
  }
  ImGui::EndGroup();
  drawFooter(true);
}

}  // namespace smp::ui
