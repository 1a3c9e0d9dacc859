// Pointer input for a touchscreen. ImGui 1.86's SDL backend reads SDL_GetMouseState and ignores
// finger and pushed events, so we feed io.MousePos/MouseDown ourselves after its NewFrame.
// Transitions are queued and applied one per frame so a quick tap is never lost, and the
// pointer leaves the screen the frame after a finger lifts (touch has no hover).
#pragma once

#include <SDL.h>

#include <deque>

namespace smp::ui {

class TouchInput {
 public:
  // Returns true if the event was a pointer event it consumed. Positions come out in the
  // logical size the screens lay out in; mouseScale maps window coordinates to it.
  bool handleEvent(const SDL_Event& event, int logicalWidth, int logicalHeight,
                   float mouseScale = 1.0f);
  // Call after ImGui_ImplSDL2_NewFrame(): writes this frame's pointer state into ImGui.
  void applyToImGui();
  bool idle() const { return m_queue.empty(); }

 private:
  struct Transition {
    float x;
    float y;
    bool down;
    bool motionOnly;
  };
  std::deque<Transition> m_queue;
  float m_x = -1e6f, m_y = -1e6f;
  bool m_down = false;
  bool m_liftPending = false;
};

}  // namespace smp::ui
