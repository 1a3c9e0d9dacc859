// The banner across the top of the screen when an action failed in a way its screen did not
// expect (a full disk, a damaged file): what happened in plain words, that it is for staff,
// the system's own words in small print, and a button to dismiss it. Drawn over any screen.
#pragma once

#include <optional>
#include <string>

#include "app/core/notice.h"
#include "app/core/translations.h"
#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class ErrorBanner {
 public:
  // What core::failureNotice made of the failure: the words for people and the system's own.
  void show(core::Notice notice) { m_notice = std::move(notice); }
  bool showing() const { return !m_notice.empty(); }
  const core::Notice& notice() const { return m_notice; }
  // Draws it (when showing) in its own window on top; registers "error-banner:ok".
  void draw(SdlHost& host, const core::Translations& tr);
  const TapTargets& targets() const { return m_targets; }
  // Where it was drawn last (nothing when hidden): the screen under it cannot be tapped there.
  std::optional<Rect> area() const { return m_area; }

 private:
  std::optional<Rect> m_area;
  core::Notice m_notice;
  TapTargets m_targets;
};

}  // namespace smp::ui
