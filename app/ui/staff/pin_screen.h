// Staff sign-in: who you are (a list of names) and your PIN on a keypad.
#pragma once

#include "app/ui/staff/staff_context.h"

namespace smp::ui {

void drawPinScreen(StaffContext& c, StaffContext::Clock::time_point now);

}  // namespace smp::ui
