// Shown instead of the client flow when the kiosk cannot safely take consultations (its
// database is damaged or from newer software): calm words for a client, the reason for staff.
#pragma once

#include <string>

#include "app/ui/sdl_host.h"

namespace smp::ui {

void drawNeedsStaffScreen(const SdlHost& host, const std::string& technicalReason);

}  // namespace smp::ui
