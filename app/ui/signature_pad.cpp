// Signature pad drawing and stroke capture.
#include "app/ui/signature_pad.h"

#include <imgui.h>

namespace smp::ui {

std::optional<core::Stroke> SignaturePad::draw(const std::vector<core::Stroke>& kept, float w,
                                               float h, TapTargets& targets) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("signature-pad", ImVec2(w, h));
  targets.addLastItem("signature-pad");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + w, origin.y + h), IM_COL32(255, 255, 255, 255),
                    12.0f);
  dl->AddRect(origin, ImVec2(origin.x + w, origin.y + h), IM_COL32(120, 124, 130, 255), 12.0f, 0,
              2.0f);
  dl->AddLine(ImVec2(origin.x + 30, origin.y + h * 0.75f),
              ImVec2(origin.x + w - 30, origin.y + h * 0.75f), IM_COL32(200, 202, 206, 255), 2.0f);
  auto toScreen = [&](const std::pair<float, float>& p) {
    return ImVec2(origin.x + p.first * w, origin.y + p.second * h);
  };
  auto drawStroke = [&](const core::Stroke& s) {
    for (std::size_t i = 1; i < s.size(); ++i)
      dl->AddLine(toScreen(s[i - 1]), toScreen(s[i]), IM_COL32(30, 30, 90, 255), 4.0f);
  };
  for (const auto& s : kept) drawStroke(s);

  const ImGuiIO& io = ImGui::GetIO();
  const bool inside = ImGui::IsItemHovered() || ImGui::IsItemActive();
  if (io.MouseDown[0] && (m_drawing || inside)) {
    const float x = (io.MousePos.x - origin.x) / w, y = (io.MousePos.y - origin.y) / h;
    if (x >= 0 && x <= 1 && y >= 0 && y <= 1) {
      if (m_current.empty() || m_current.back() != std::pair{x, y}) m_current.emplace_back(x, y);
      m_drawing = true;
    }
  }
  drawStroke(m_current);
  if (!io.MouseDown[0] && m_drawing) {
    m_drawing = false;
    core::Stroke done = std::move(m_current);
    m_current.clear();
    if (done.size() >= 2) return done;
  }
  return std::nullopt;
}

}  // namespace smp::ui
