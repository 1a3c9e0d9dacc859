// The window, renderer and ImGui context: SDL2 with ImGui's SDL_Renderer backend, which also
// runs under SDL's dummy video driver for headless tests and screenshots.
#pragma once

#include <SDL.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "app/ui/touch_input.h"
#include "engine/image.h"

struct ImFont;

namespace smp::ui {

class UiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WindowOptions {
  int width = 1920;
  int height = 1080;
  bool fullscreen = false;
  std::string title = "SMP consultation";
};

struct Fonts {
  ImFont* body = nullptr;   // 34 px: readable at arm's length on a 1080p kiosk
  ImFont* title = nullptr;  // 64 px
  ImFont* small = nullptr;  // 26 px
};

class SdlHost {
 public:
  SdlHost(const WindowOptions& options, const std::filesystem::path& assetsDir);
  ~SdlHost();
  SdlHost(const SdlHost&) = delete;
  SdlHost& operator=(const SdlHost&) = delete;

  // Drains SDL events into ImGui and the touch queue; false once the window was asked to close.
  bool pumpEvents();
  void beginFrame();
  // Renders the frame; if `capture` is given, the rendered pixels are copied into it first.
  void endFrame(engine::RgbImage* capture = nullptr);

  SDL_Renderer* renderer() const { return m_renderer; }
  const Fonts& fonts() const { return m_fonts; }
  TouchInput& touch() { return m_touch; }
  int width() const { return m_width; }
  int height() const { return m_height; }

 private:
  SDL_Window* m_window = nullptr;
  SDL_Renderer* m_renderer = nullptr;
  TouchInput m_touch;
  Fonts m_fonts;
  int m_width = 0;
  int m_height = 0;
};

// An SDL texture fed from RgbImage frames; recreated when the size changes.
class ImageTexture {
 public:
  explicit ImageTexture(SDL_Renderer* renderer) : m_renderer(renderer) {}
  ~ImageTexture();
  ImageTexture(const ImageTexture&) = delete;
  ImageTexture& operator=(const ImageTexture&) = delete;
  void update(const engine::RgbImage& image);
  SDL_Texture* texture() const { return m_texture; }
  int width() const { return m_width; }
  int height() const { return m_height; }
  bool empty() const { return m_texture == nullptr; }
  // Frees the texture: nothing of a previous client stays in video memory.
  void reset();

 private:
  SDL_Renderer* m_renderer;
  SDL_Texture* m_texture = nullptr;
  int m_width = 0;
  int m_height = 0;
};

}  // namespace smp::ui
