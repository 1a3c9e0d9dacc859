// Head office's follow-up of a consultation: where the client stands between the consultation
// and treatment, and the notes head office wrote on the way. Head office owns it; the kiosk that
// took the consultation receives it (GET /v1/follow-ups) and shows it on the staff screen.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace smp::protocol {

// In funnel order: every consultation starts as "new".
inline constexpr std::array<std::string_view, 5> kFollowUpStatuses = {"new", "contacted", "booked",
                                                                      "treated", "not_interested"};

bool isFollowUpStatus(std::string_view status);

// A note is a few sentences a person typed; longer is refused rather than cut.
inline constexpr std::size_t kMaxFollowUpNoteBytes = 2000;

// One change of a follow-up: its status from then on and the note written with it (may be
// empty). `seq` orders the changes for one kiosk; a kiosk asks for those after the last it has.
struct FollowUp {
  std::int64_t seq = 0;
  std::string consultationId;
  std::string status;
  std::string note;
  std::string author;  // the head-office account that wrote it
  std::string at;      // ISO 8601 UTC
};

}  // namespace smp::protocol
