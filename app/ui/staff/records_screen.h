// The records list: newest first, badges for health flags, sync state and status; search by
// name, phone or date on the keyboard at the right, and three filters.
#pragma once

#include "app/ui/staff/staff_context.h"

namespace smp::ui {

void drawRecordsScreen(StaffContext& c);

}  // namespace smp::ui
