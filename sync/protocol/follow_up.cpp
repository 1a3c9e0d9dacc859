#include "sync/protocol/follow_up.h"

#include <algorithm>

namespace smp::protocol {

bool isFollowUpStatus(std::string_view status) {
  return std::find(kFollowUpStatuses.begin(), kFollowUpStatuses.end(), status) !=
         kFollowUpStatuses.end();
}

}  // namespace smp::protocol
