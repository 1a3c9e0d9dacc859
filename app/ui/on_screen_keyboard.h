// Touch keyboards for kiosks without a physical one: letters (with @, .com, shift, space,
// backspace) for names and email, with ":", "/" and "https://" for addresses, and a phone
// keypad.
#pragma once

#include <string>

#include "app/core/translations.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

enum class KeyboardLayout { kText, kEmail, kPhone, kUrl };

class OnScreenKeyboard {
 public:
  // Draws at the cursor, `width` wide; edits `text` in place. Returns true when it changed.
  bool draw(std::string& text, KeyboardLayout layout, float width, TapTargets& targets,
            std::size_t maxLength, const core::Translations& tr);
  void capitalizeNext() { m_shift = true; }

 private:
  bool m_shift = true;  // names start with a capital
};

}  // namespace smp::ui
