// The camera slot's newest frame, kept as an image (to take as a photo) and as a texture (to
// show), for the client's photo screen and staff's retake and settings views alike.
#pragma once

#include <cstdint>

#include "app/core/translations.h"
#include "app/platform/camera_slot.h"
#include "app/ui/sdl_host.h"

namespace smp::ui {

class CameraFeed {
 public:
  CameraFeed(SDL_Renderer* renderer, platform::CameraSlot& slot)
      : m_slot(slot), m_texture(renderer) {}

  // Takes a newer frame if there is one; forgets the picture when the camera is gone (staff
  // switched to one that did not start), so no stale image stays on screen.
  void poll();
  // Wipes the frame and the texture (a client's session ended).
  void clear();

  platform::CameraSlot& slot() { return m_slot; }
  const engine::RgbImage& lastFrame() const { return m_lastFrame; }
  const ImageTexture& texture() const { return m_texture; }
  bool showing() const { return !m_texture.empty(); }
  // Says why there is no picture: still starting, or no camera and the reason in small print.
  // Wraps at the current wrap position.
  void drawUnavailable(const core::Translations& tr, ImFont* small) const;
  // Polls, then draws the newest frame fitted into maxW x maxH at the cursor, or why there is
  // none (staff's settings and retake, and the setup screens).
  void drawLive(const core::Translations& tr, ImFont* small, float maxW, float maxH);

 private:
  platform::CameraSlot& m_slot;
  ImageTexture m_texture;
  engine::RgbImage m_lastFrame;
  std::uint64_t m_sequence = 0;
};

}  // namespace smp::ui
