// A touch keyboard for kiosks without a physical one: letters, digits, space, shift, backspace.
#pragma once

#include <string>

#include "app/ui/tap_targets.h"

namespace smp::ui {

class OnScreenKeyboard {
 public:
  // Draws at the cursor inside the current ImGui window, `width` wide; edits `text` in place.
  // Returns true when the text changed.
  bool draw(std::string& text, float width, TapTargets& targets, std::size_t maxLength);

 private:
  bool m_shift = true;  // names start with a capital
};

}  // namespace smp::ui
