// The one place an action's unexpected failure becomes words for the person at the kiosk: a
// full or failing disk, a damaged file or a locked one each say what happened and who can fix
// it; anything else says that something went wrong. SQLite's own words go in the detail.
#pragma once

#include <exception>

#include "app/core/notice.h"

namespace smp::core {

Notice failureNotice(const std::exception& e);

}  // namespace smp::core
