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

// The layout is drawn for this many logical pixels; the UI scale maps them to the screen.
inline constexpr int kDesignWidth = 1920;
inline constexpr int kDesignHeight = 1080;

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
  // After an exception escaped mid-frame: closes the windows and pops the styles it left open,
  // so endFrame() can still draw (the frame shows what was drawn before the error).
  void recoverFrame();
  void endFrame(engine::RgbImage* capture = nullptr);

  SDL_Renderer* renderer() const { return m_renderer; }
  const Fonts& fonts() const { return m_fonts; }
  TouchInput& touch() { return m_touch; }
  // The logical size screens lay out in (the screen's pixels divided by the UI scale).
  int width() const { return m_width; }
  int height() const { return m_height; }
  int screenWidth() const { return m_outputWidth; }
  int screenHeight() const { return m_outputHeight; }

  // UI scale in percent; 0 fits the 1920x1080 layout to the screen. Fonts are rasterised at
  // the scaled size, so text stays sharp. A scale whose logical area would be smaller than the
  // layout does not fit (parts would be cut off): it is refused and the fit is used. Applied
  // at the next beginFrame (fonts cannot be rebuilt inside a frame).
  static bool scaleFits(int percent, int screenWidth, int screenHeight);
  bool scaleFits(int percent) const { return scaleFits(percent, m_outputWidth, m_outputHeight); }
  bool setUiScale(int percent);
  float uiScale() const { return m_scale; }
  // Text size on top of the UI scale (the client's large-text toggle); applies at once.
  void setTextScale(float scale);

 private:
  void loadFonts(float scale);
  void applyScale();

  SDL_Window* m_window = nullptr;
  SDL_Renderer* m_renderer = nullptr;
  TouchInput m_touch;
  Fonts m_fonts;
  std::string m_fontPath;
  int m_outputWidth = 0;  // the renderer's pixels
  int m_outputHeight = 0;
  int m_width = 0;  // logical
  int m_height = 0;
  int m_scalePercent = 0;
  bool m_scalePending = false;
  float m_scale = 1;
  float m_fontScale = 1;  // the scale the font atlas was built for
  float m_textScale = 1;
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
