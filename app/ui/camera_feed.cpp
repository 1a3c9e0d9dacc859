#include "app/ui/camera_feed.h"

#include <imgui.h>

#include <algorithm>

namespace smp::ui {
namespace {

const ImVec4 kMuted(0.30f, 0.32f, 0.36f, 1.0f);

}  // namespace

void CameraFeed::poll() {
  if (auto frame = m_slot.latestFrame(m_sequence, &m_sequence)) {
    m_lastFrame = std::move(*frame);
    m_texture.update(m_lastFrame);
  } else if (!m_slot.available()) {
    m_texture.reset();
  }
}

void CameraFeed::clear() {
  m_texture.reset();
  m_lastFrame = engine::RgbImage();
}

void CameraFeed::drawUnavailable(const core::Translations& tr, ImFont* small) const {
  ImGui::TextUnformatted(tr(m_slot.available() ? "photos.starting" : "photos.no_camera").c_str());
  if (!m_slot.available() && !m_slot.error().empty()) {
    ImGui::PushFont(small);
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted(m_slot.error().c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
  }
}

void CameraFeed::drawLive(const core::Translations& tr, ImFont* small, float maxW, float maxH) {
  poll();
  if (!showing()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + maxW);
    drawUnavailable(tr, small);
    ImGui::PopTextWrapPos();
    return;
  }
  const float scale = std::min(maxW / static_cast<float>(m_texture.width()),
                               maxH / static_cast<float>(m_texture.height()));
  ImGui::Image(reinterpret_cast<ImTextureID>(m_texture.texture()),
               ImVec2(static_cast<float>(m_texture.width()) * scale,
                      static_cast<float>(m_texture.height()) * scale));
}

}  // namespace smp::ui
