// The widgets every screen shares (client screens, staff screens, the widget gallery): one
// palette, one button, one text field, one digit keypad. Each registers its tap target by name,
// so headless tests tap the real place and the accessibility check measures the real size.
// Sizes are the caller's; every target on a kiosk is at least 60 px tall.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>

#include "app/core/notice.h"
#include "app/core/translations.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

namespace palette {
inline const ImVec4 kPrimary(0.08f, 0.32f, 0.30f, 1.0f);  // deep teal: 9.6:1 against white
inline const ImVec4 kPrimaryHover(0.10f, 0.38f, 0.36f, 1.0f);
inline const ImVec4 kMuted(0.30f, 0.32f, 0.36f, 1.0f);  // 8:1 on the backgrounds
inline const ImVec4 kWarn(0.55f, 0.16f, 0.05f, 1.0f);   // 7:1 on the backgrounds
inline const ImVec4 kInk(0.10f, 0.11f, 0.13f, 1.0f);
inline const ImVec4 kDanger(0.60f, 0.12f, 0.05f, 1.0f);  // the one button that erases
inline const ImVec4 kWhite(1.0f, 1.0f, 1.0f, 1.0f);
inline const ImVec4 kStaffBackground(0.93f, 0.94f, 0.95f, 1.0f);
inline constexpr float kStaffMargin = 50.0f;
}  // namespace palette

enum class ButtonKind { kPlain, kPrimary, kDanger };

// A button registered as tap target `name`. A selected choice is filled and carries a check
// mark, so it is told by shape and not by colour alone.
bool button(TapTargets& targets, const std::string& name, const std::string& label, ImVec2 size,
            ButtonKind kind = ButtonKind::kPlain, bool selected = false);

// A one-line text field: white, text from the left, a caret while it has the keyboard. Tapping
// it returns true (the caller gives it the keyboard). `shown` is what to display: the text, or
// dots for a secret (secretDots).
bool textField(TapTargets& targets, const std::string& name, const std::string& shown, bool focused,
               ImVec2 size);
std::string secretDots(std::size_t count);

// Text in a colour of the palette.
void coloredText(const ImVec4& colour, const std::string& text);
inline void mutedText(const std::string& text) { coloredText(palette::kMuted, text); }

// A notice in its tone's colour (nothing when empty), translated; its detail (words from head
// office or the system) below in `detailFont` when given.
void noticeText(const core::Translations& tr, const core::Notice& notice, ImFont* detailFont);

// A digit keypad. kPinPad: 1-9 in three rows, then delete, 0 and OK (the staff sign-in).
// kTwoRows: 1-5 and delete, 6-0 (a PIN typed into a form). Targets are `prefix` + the digit,
// `prefix` + "delete" and `prefix` + "ok".
enum class KeypadShape { kPinPad, kTwoRows };
struct KeypadPress {
  enum Kind { kNone, kDigit, kDelete, kOk } kind = kNone;
  char digit = 0;
};
KeypadPress keypad(TapTargets& targets, const std::string& prefix, KeypadShape shape,
                   ImVec2 keySize, const std::string& deleteLabel);
// Applies a press to a digit string of at most maxDigits; true if it changed.
bool applyDigit(const KeypadPress& press, std::string& digits, std::size_t maxDigits);

}  // namespace smp::ui
