// The developer's widget gallery (`smp-kiosk --gallery`): every widget of ours in every state
// on one screen, working (taps do what they do on the real screens). It is the UI's living
// documentation and a screenshot test: a change to a widget shows here first.
#pragma once

#include <filesystem>
#include <string>

#include "app/core/translations.h"
#include "app/ui/error_banner.h"
#include "app/ui/on_screen_keyboard.h"
#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class WidgetGallery {
 public:
  WidgetGallery(SdlHost& host, const core::Translations& tr) : m_host(host), m_tr(tr) {}
  // Between host.beginFrame() and host.endFrame().
  void draw();
  const TapTargets& targets() const { return m_targets; }

 private:
  void drawButtons();
  void drawFields();
  void drawKeypads();
  void drawNotices();
  void drawKeyboard();

  SdlHost& m_host;
  const core::Translations& m_tr;
  TapTargets m_targets;
  OnScreenKeyboard m_keyboard;
  ErrorBanner m_banner;
  bool m_selected = true;
  int m_pressed = 0;
  int m_focusedField = 1;
  std::string m_empty;
  std::string m_name = "Dana Moore";
  std::string m_pin = "4821";
  std::string m_pinPad;
  KeyboardLayout m_layout = KeyboardLayout::kEmail;
};

// Runs the gallery in a window until it closes (or maxFrames); returns the exit code.
int runWidgetGallery(const WindowOptions& window, const std::filesystem::path& assetsDir,
                     long maxFrames);

}  // namespace smp::ui
