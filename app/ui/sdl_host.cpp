// SDL2 + ImGui setup, the event pump and frame capture.
#include "app/ui/sdl_host.h"

#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <imgui.h>
#include <imgui_internal.h>  // ErrorCheckEndFrameRecover

#include <algorithm>
#include <cmath>

namespace smp::ui {

SdlHost::SdlHost(const WindowOptions& options, const std::filesystem::path& assetsDir)
    : m_width(options.width), m_height(options.height) {
  // Touch kiosks: no synthetic mouse from touches (we read fingers) and no screensaver.
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
  SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    throw UiError(std::string("no display available (") + SDL_GetError() +
                  "). Run under a display, or headless with: xvfb-run -s '-screen 0 1920x1080x24' "
                  "smp-kiosk ...");
  }
  Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
  if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  m_window = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              options.width, options.height, flags);
  if (!m_window) {
    const std::string why = SDL_GetError();
    SDL_Quit();
    throw UiError("cannot open a window: " + why);
  }
  m_renderer =
      SDL_CreateRenderer(m_window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!m_renderer) m_renderer = SDL_CreateRenderer(m_window, -1, SDL_RENDERER_SOFTWARE);
  if (!m_renderer) {
    const std::string why = SDL_GetError();
    SDL_DestroyWindow(m_window);
    SDL_Quit();
    throw UiError("cannot create a renderer: " + why);
  }
  SDL_GetRendererOutputSize(m_renderer, &m_outputWidth, &m_outputHeight);
  if (options.fullscreen) SDL_ShowCursor(SDL_DISABLE);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no layout file: the kiosk's layout is fixed and nothing is written
  io.LogFilename = nullptr;
  m_fontPath = (assetsDir / "fonts" / "DejaVuSans.ttf").string();
  if (!std::filesystem::is_regular_file(m_fontPath))
    throw UiError("font " + m_fontPath + " is missing");
  applyScale();

  ImGuiStyle& style = ImGui::GetStyle();
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0;
  style.FrameRounding = 14;
  style.GrabRounding = 14;
  style.FramePadding = ImVec2(24, 18);
  style.ItemSpacing = ImVec2(20, 20);
  style.GrabMinSize = 60;
  style.ScrollbarSize = 40;
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.957f, 0.945f, 1.0f);
  style.Colors[ImGuiCol_Text] = ImVec4(0.10f, 0.11f, 0.13f, 1.0f);
  style.Colors[ImGuiCol_Button] = ImVec4(0.86f, 0.87f, 0.89f, 1.0f);
  style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.82f, 0.86f, 1.0f);
  style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.70f, 0.74f, 0.80f, 1.0f);
  style.Colors[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
  style.Colors[ImGuiCol_CheckMark] = ImVec4(0.08f, 0.32f, 0.30f, 1.0f);
  style.Colors[ImGuiCol_SliderGrab] = ImVec4(0.08f, 0.32f, 0.30f, 1.0f);
  style.Colors[ImGuiCol_SliderGrabActive] = ImVec4(0.05f, 0.24f, 0.22f, 1.0f);

  ImGui_ImplSDL2_InitForSDLRenderer(m_window);
  ImGui_ImplSDLRenderer_Init(m_renderer);
}

void SdlHost::loadFonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  // Latin-1 covers English, Spanish and French; add Latin Extended-A, punctuation (bullets,
  // dashes), superscripts and the check mark used for selected choices.
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
    static const ImWchar kExtra[] = {0x0100, 0x017F, 0x2010, 0x2027, 0x2070,
                                     0x209F, 0x2713, 0x2713, 0};
    builder.AddRanges(kExtra);
    builder.BuildRanges(&ranges);
  }
  io.Fonts->Clear();
  const char* font = m_fontPath.c_str();
  m_fonts.body = io.Fonts->AddFontFromFileTTF(font, 34.0f * scale, nullptr, ranges.Data);
  m_fonts.title = io.Fonts->AddFontFromFileTTF(font, 64.0f * scale, nullptr, ranges.Data);
  m_fonts.small = io.Fonts->AddFontFromFileTTF(font, 26.0f * scale, nullptr, ranges.Data);
  if (!m_fonts.body || !m_fonts.title || !m_fonts.small)
    throw UiError("font " + m_fontPath + " cannot be loaded");
  m_fontScale = scale;
}

bool SdlHost::scaleFits(int percent, int screenWidth, int screenHeight) {
  if (percent == 0) return true;
  if (percent < 50 || percent > 400) return false;
  // Logical area = screen / scale must hold the layout (half a percent of slack for rounding).
  const double scale = percent / 100.0;
  return screenWidth / scale >= kDesignWidth * 0.995 &&
         screenHeight / scale >= kDesignHeight * 0.995;
}

bool SdlHost::setUiScale(int percent) {
  const bool fits = scaleFits(percent);
  m_scalePercent = fits ? percent : 0;
  m_scalePending = true;
  return fits;
}

void SdlHost::setTextScale(float scale) {
  m_textScale = scale;
  ImGui::GetIO().FontGlobalScale = m_textScale / m_fontScale;
}

void SdlHost::applyScale() {
  const float fit = std::min(static_cast<float>(m_outputWidth) / kDesignWidth,
                             static_cast<float>(m_outputHeight) / kDesignHeight);
  m_scale = m_scalePercent == 0 || !scaleFits(m_scalePercent) ? fit : m_scalePercent / 100.0f;
  m_width = static_cast<int>(std::lround(m_outputWidth / m_scale));
  m_height = static_cast<int>(std::lround(m_outputHeight / m_scale));
  // SDL scales everything ImGui's backend draws (vertices and clip rectangles): the screens lay
  // out in logical pixels and land on physical ones.
  SDL_RenderSetScale(m_renderer, m_scale, m_scale);
  if (m_scale != m_fontScale || !m_fonts.body) {
    if (m_fonts.body) ImGui_ImplSDLRenderer_DestroyFontsTexture();  // rebuilt by NewFrame
    loadFonts(m_scale);
  }
  ImGui::GetIO().FontGlobalScale = m_textScale / m_fontScale;
  m_scalePending = false;
}

SdlHost::~SdlHost() {
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_DestroyRenderer(m_renderer);
  SDL_DestroyWindow(m_window);
  SDL_Quit();
}

bool SdlHost::pumpEvents() {
  SDL_Event e;
  bool open = true;
  int windowWidth = 0, windowHeight = 0;
  SDL_GetWindowSize(m_window, &windowWidth, &windowHeight);
  // Mouse events come in window coordinates; screens lay out in logical ones.
  const float mouseScale =
      windowWidth > 0 ? static_cast<float>(m_width) / static_cast<float>(windowWidth) : 1.0f;
  while (SDL_PollEvent(&e)) {
    if (m_touch.handleEvent(e, m_width, m_height, mouseScale)) continue;
    ImGui_ImplSDL2_ProcessEvent(&e);
    if (e.type == SDL_QUIT) open = false;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
      SDL_GetRendererOutputSize(m_renderer, &m_outputWidth, &m_outputHeight);
      m_scalePending = true;
    }
  }
  return open;
}

void SdlHost::beginFrame() {
  if (m_scalePending) applyScale();
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  m_touch.applyToImGui();
  ImGui::GetIO().DisplaySize = ImVec2(static_cast<float>(m_width), static_cast<float>(m_height));
  ImGui::NewFrame();
}

void SdlHost::recoverFrame() { ImGui::ErrorCheckEndFrameRecover(nullptr); }

void SdlHost::endFrame(engine::RgbImage* capture) {
  ImGui::Render();
  SDL_SetRenderDrawColor(m_renderer, 246, 244, 241, 255);
  SDL_RenderClear(m_renderer);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  if (capture) {
    *capture = engine::RgbImage(m_outputWidth, m_outputHeight);
    if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_RGB24, capture->pixels.data(),
                             m_outputWidth * 3) != 0) {
      throw UiError(std::string("cannot read the screen: ") + SDL_GetError());
    }
  }
  SDL_RenderPresent(m_renderer);
}

ImageTexture::~ImageTexture() {
  if (m_texture) SDL_DestroyTexture(m_texture);
}

void ImageTexture::reset() {
  if (m_texture) SDL_DestroyTexture(m_texture);
  m_texture = nullptr;
  m_width = m_height = 0;
}

void ImageTexture::update(const engine::RgbImage& image) {
  if (image.empty()) return;
  if (!m_texture || m_width != image.width || m_height != image.height) {
    if (m_texture) SDL_DestroyTexture(m_texture);
    m_texture = SDL_CreateTexture(m_renderer, SDL_PIXELFORMAT_RGB24, SDL_TEXTUREACCESS_STREAMING,
                                  image.width, image.height);
    if (!m_texture) throw UiError(std::string("cannot create a texture: ") + SDL_GetError());
    m_width = image.width;
    m_height = image.height;
  }
  SDL_UpdateTexture(m_texture, nullptr, image.pixels.data(), image.width * 3);
}

}  // namespace smp::ui
