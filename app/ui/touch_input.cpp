// Touch and mouse to ImGui pointer state.
#include "app/ui/touch_input.h"

#include <imgui.h>

namespace smp::ui {

bool TouchInput::handleEvent(const SDL_Event& e, int w, int h, float mouseScale) {
  switch (e.type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return true;
      m_queue.push_back({static_cast<float>(e.button.x) * mouseScale,
                         static_cast<float>(e.button.y) * mouseScale, e.type == SDL_MOUSEBUTTONDOWN,
                         false});
      return true;
    case SDL_MOUSEMOTION:
      if (e.motion.which == SDL_TOUCH_MOUSEID) return true;
      m_queue.push_back({static_cast<float>(e.motion.x) * mouseScale,
                         static_cast<float>(e.motion.y) * mouseScale, m_down, true});
      return true;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
      // Finger coordinates are normalised to the window, which shows the whole logical area.
      m_queue.push_back({e.tfinger.x * static_cast<float>(w), e.tfinger.y * static_cast<float>(h),
                         e.type != SDL_FINGERUP, e.type == SDL_FINGERMOTION});
      return true;
    default:
      return false;
  }
}

void TouchInput::applyToImGui() {
  ImGuiIO& io = ImGui::GetIO();
  if (m_liftPending) {
    m_x = m_y = -1e6f;
    m_liftPending = false;
  }
  // Coalesce motion, but stop at the first press or release so each gets its own frame.
  while (!m_queue.empty()) {
    const Transition t = m_queue.front();
    m_queue.pop_front();
    m_x = t.x;
    m_y = t.y;
    if (!t.motionOnly && t.down != m_down) {
      m_down = t.down;
      if (!m_down) m_liftPending = true;
      break;
    }
  }
  io.MousePos = ImVec2(m_x, m_y);
  io.MouseDown[0] = m_down;
  for (int i = 1; i < 5; ++i) io.MouseDown[i] = false;
}

}  // namespace smp::ui
